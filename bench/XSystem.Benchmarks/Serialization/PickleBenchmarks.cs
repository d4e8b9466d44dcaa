using System.Buffers;
using System.Diagnostics;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using XSystem.Serialization;
using XSystem.Serialization.Json;

namespace XSystem.Benchmarks.Serialization;

/// <summary>
/// Pickle read throughput on a ~10 MB protocol 4 pickle of a list of dicts, as XSystem writes it and (when python3 is on
/// PATH) as CPython writes it (with memo references for repeated strings). The baseline parses the same data as JSON
/// text with XSystem's JSON format, the tree every format reads to. MB/s = pickle size / Mean.
/// </summary>
[MemoryDiagnoser]
public class PickleBenchmarks
{
    private const int TargetBytes = 10 * 1024 * 1024;

    private readonly PickleFormat _pickle = new();
    private readonly JsonFormat _json = new();
    private byte[] _ours = [];
    private byte[] _cpython = [];
    private byte[] _jsonText = [];
    private JsonNode? _tree;

    [GlobalSetup]
    public void Setup()
    {
        _tree = Records(1000);
        int perRecord = Write(_pickle, _tree).Length / 1000;
        _tree = Records(TargetBytes / perRecord);
        _ours = Write(_pickle, _tree);
        _jsonText = Write(_json, _tree);
        _cpython = RewriteWithCPython(_ours) ?? _ours;
        Console.WriteLine($"// pickle (XSystem) {_ours.Length:N0} bytes; pickle (CPython) {_cpython.Length:N0} bytes; JSON {_jsonText.Length:N0} bytes");
    }

    [Benchmark(Baseline = true, Description = "JSON parse (same data)")]
    public JsonNode? JsonParse() => _json.Parse(_jsonText, SerializerOptions.Default);

    [Benchmark(Description = "pickle parse (XSystem-written)")]
    public JsonNode? PickleParse() => _pickle.Parse(_ours, SerializerOptions.Default);

    [Benchmark(Description = "pickle parse (CPython-written)")]
    public JsonNode? PickleParseCPython() => _pickle.Parse(_cpython, SerializerOptions.Default);

    [Benchmark(Description = "pickle write")]
    public int PickleWrite()
    {
        var buffer = new ArrayBufferWriter<byte>(_ours.Length + 1024);
        _pickle.Write(_tree, buffer, SerializerOptions.Default);
        return buffer.WrittenCount;
    }

    private static JsonArray Records(int count)
    {
        var records = new JsonArray();
        for (int i = 0; i < count; i++)
        {
            records.Add(new JsonObject
            {
                ["id"] = (long)i,
                ["name"] = "user" + i,
                ["email"] = $"user{i}@example.org",
                ["score"] = i * 1.25,
                ["active"] = i % 3 != 0,
                ["balance"] = (long)i * 1_000_003,
                ["tags"] = new JsonArray("alpha", i % 2 == 0 ? "even" : "odd"),
                ["note"] = null,
            });
        }

        return records;
    }

    private static byte[] Write(IFormat format, JsonNode? tree)
    {
        var buffer = new ArrayBufferWriter<byte>();
        format.Write(tree, buffer, new SerializerOptions { Indent = false });
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Loads our pickle in CPython and dumps it again with protocol 4; null when python3 is not available.</summary>
    private static byte[]? RewriteWithCPython(byte[] pickle)
    {
        string directory = Directory.CreateTempSubdirectory("xsystem-pickle-bench-").FullName;
        try
        {
            string input = Path.Combine(directory, "in.pkl");
            string output = Path.Combine(directory, "out.pkl");
            File.WriteAllBytes(input, pickle);
            var start = new ProcessStartInfo("python3") { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import pickle,sys; pickle.dump(pickle.load(open(sys.argv[1],'rb')), open(sys.argv[2],'wb'), protocol=4)");
            start.ArgumentList.Add(input);
            start.ArgumentList.Add(output);
            using var process = Process.Start(start);
            if (process is null || !process.WaitForExit(TimeSpan.FromMinutes(2)) || process.ExitCode != 0)
            {
                return null;
            }

            return File.ReadAllBytes(output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
