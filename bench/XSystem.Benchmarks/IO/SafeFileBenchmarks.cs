using System.Text;
using BenchmarkDotNet.Attributes;
using XSystem.IO;

namespace XSystem.Benchmarks.IO;

/// <summary>SafeFile.ReadAllText (size limit, BOM detection, strict UTF-8) against File.ReadAllText.</summary>
[MemoryDiagnoser]
public class SafeFileBenchmarks
{
    private string _directory = string.Empty;
    private string _path = string.Empty;

    [Params(64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("xsystem-bench-").FullName;
        _path = Path.Combine(_directory, "text.txt");
        const string Line = "The quick brown fox jumps over the lazy dog; 0123456789 — naïve café, Grüße, 日本語.\n";
        var text = new StringBuilder(Size + Line.Length);
        while (Encoding.UTF8.GetByteCount(text.ToString()) < Size - Line.Length * 4)
        {
            text.Append(Line);
        }

        File.WriteAllText(_path, text.ToString());
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true, Description = "File.ReadAllText")]
    public string FileReadAllText() => File.ReadAllText(_path);

    [Benchmark(Description = "SafeFile.ReadAllText")]
    public string SafeFileReadAllText() => SafeFile.ReadAllText(_path);
}
