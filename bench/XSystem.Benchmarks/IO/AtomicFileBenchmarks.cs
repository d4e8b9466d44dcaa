using BenchmarkDotNet.Attributes;
using XSystem.IO;
using XSystem.IO.Internal;

namespace XSystem.Benchmarks.IO;

/// <summary>
/// AtomicFile.WriteAllBytes against (a) File.WriteAllBytes, which is neither atomic nor durable, and (b) the
/// minimal durable recipe written inline (create temp, write, fsync, rename, fsync directory) as the baseline.
/// </summary>
[MemoryDiagnoser]
public class AtomicFileBenchmarks
{
    private byte[] _payload = [];
    private string _directory = string.Empty;
    private string _path = string.Empty;
    private string _temp = string.Empty;

    [Params(4 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[Size];
        new Random(42).NextBytes(_payload);
        _directory = Directory.CreateTempSubdirectory("xsystem-bench-").FullName;
        _path = Path.Combine(_directory, "target.bin");
        _temp = Path.Combine(_directory, ".target.bin.tmp");
        File.WriteAllBytes(_path, _payload);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Description = "File.WriteAllBytes (not durable)")]
    public void FileWriteAllBytes() => File.WriteAllBytes(_path, _payload);

    [Benchmark(Baseline = true, Description = "durable recipe inline")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void DurableRecipeInline()
    {
        using (var handle = File.OpenHandle(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, _payload, 0);
            RandomAccess.FlushToDisk(handle);
        }

        PosixFileSystem.Rename(_temp, _path);
        PosixFileSystem.FsyncDirectory(_directory);
    }

    [Benchmark(Description = "AtomicFile.WriteAllBytes")]
    public void AtomicFileWriteAllBytes() => AtomicFile.WriteAllBytes(_path, _payload);
}
