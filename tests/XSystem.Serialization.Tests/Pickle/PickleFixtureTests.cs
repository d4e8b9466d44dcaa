using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Pickle;

/// <summary>Fixtures written by CPython (Fixtures/pickle/generate.py) read back to their expected trees; malicious ones are refused.</summary>
public sealed class PickleFixtureTests
{
    private static readonly PickleFormat Format = new();

    public static TheoryData<string> Fixtures() =>
    [
        "protocol0", "protocol1", "protocol2", "protocol3", "protocol4", "protocol5",
        "small_protocol0", "small_protocol1", "small_protocol2", "small_protocol3", "small_protocol4", "small_protocol5",
        "py2_protocol0", "py2_protocol2",
    ];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_CPythonFixture_MatchesExpectedTree(string name)
    {
        byte[] data = File.ReadAllBytes(PickleExpectation.Fixture(name + ".pkl"));
        JsonNode? expected = JsonNode.Parse(File.ReadAllText(PickleExpectation.Fixture(name + ".expected.json")));

        JsonNode? actual = Format.Parse(data, SerializerOptions.Default);

        PickleExpectation.AssertMatches(expected, actual);
    }

    [Fact]
    public void Parse_RichFixture_SharedReferencesAreCopiedNotAliased()
    {
        JsonNode? tree = Format.Parse(File.ReadAllBytes(PickleExpectation.Fixture("protocol4.pkl")), SerializerOptions.Default);

        JsonArray shared = tree!["shared"]!.AsArray();
        shared[0].ShouldNotBeSameAs(shared[1]);
        JsonNode.DeepEquals(shared[0], shared[1]).ShouldBeTrue();
    }

    public static TheoryData<string> MaliciousFixtures() =>
    [
        .. ReadManifest().Globals.Keys,
    ];

    [Theory]
    [MemberData(nameof(MaliciousFixtures))]
    public void Parse_MaliciousPickle_ThrowsUnsafePickleExceptionNamingTheGlobalAndRunsNothing(string file)
    {
        var (marker, globals) = ReadManifest();
        File.Exists(marker).ShouldBeFalse($"{marker} exists before the test; remove it");
        byte[] data = File.ReadAllBytes(Path.Combine(PickleExpectation.FixtureDirectory, "malicious", file));

        var ex = Should.Throw<UnsafePickleException>(() => Format.Parse(data, SerializerOptions.Default));

        ex.GlobalName.ShouldBe(globals[file]);
        ex.Message.ShouldContain(globals[file]);
        ex.FormatName.ShouldBe("pickle");
        File.Exists(marker).ShouldBeFalse("the payload ran");
    }

    [Fact]
    public void Serializer_LoadMaliciousPickleThroughTheFacade_ThrowsUnsafePickleException()
    {
        string path = Path.Combine(PickleExpectation.FixtureDirectory, "malicious", "os_system_reduce.pkl");

        Should.Throw<UnsafePickleException>(() => Serializer.Parse(File.ReadAllBytes(path), Formats.Pickle));
    }

    [Fact]
    public void Write_RichTree_LoadsInCPythonToTheSameValues()
    {
        string? python = FindPython();
        Assert.SkipUnless(python is not null, "python3 is not on PATH");
        var tree = new JsonObject
        {
            ["text"] = "Grüße 🎉",
            ["lone"] = "\ud800",
            ["long"] = new string('y', 70_000),
            ["ints"] = new JsonArray(0L, 255L, 256L, 65536L, -1L, int.MinValue, long.MaxValue, long.MinValue, JsonValue.Create(BigInteger.Pow(2, 100)), JsonValue.Create(-BigInteger.Pow(7, 400))),
            ["floats"] = new JsonArray(1.5, -0.0, double.NaN, double.PositiveInfinity, 5e-324),
            ["flags"] = new JsonArray(true, false, null),
            ["bytes"] = JsonValue.Create(new byte[] { 0, 1, 255 }),
            ["bigBytes"] = JsonValue.Create(Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray()),
            ["naive"] = JsonValue.Create(new DateTime(2024, 2, 29, 13, 45, 30, DateTimeKind.Unspecified).AddTicks(1_234_560)),
            ["utc"] = JsonValue.Create(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc)),
            ["aware"] = JsonValue.Create(new DateTimeOffset(2023, 11, 5, 1, 30, 0, TimeSpan.FromHours(-8))),
            ["date"] = JsonValue.Create(new DateOnly(2020, 2, 29)),
            ["time"] = JsonValue.Create(new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990))),
            ["span"] = JsonValue.Create(TimeSpan.FromDays(-1) + TimeSpan.FromSeconds(5)),
            ["decimal"] = JsonValue.Create(1.10m),
            ["many"] = new JsonArray(Enumerable.Range(0, 2500).Select(i => (JsonNode)JsonValue.Create((long)i)).ToArray()),
            ["wide"] = new JsonObject(Enumerable.Range(0, 1500).Select(i => KeyValuePair.Create("k" + i, (JsonNode?)JsonValue.Create((long)i)))),
            ["nested"] = new JsonObject { ["a"] = new JsonArray(new JsonObject(), new JsonArray(), new JsonArray(1L)) },
            ["json"] = JsonNode.Parse("""{"n": 12345678901234567890123, "x": 0.5, "s": "t", "b": true, "z": null}"""),
        };
        string directory = Directory.CreateTempSubdirectory("xsystem-pickle-").FullName;
        try
        {
            string file = Path.Combine(directory, "tree.pkl");
            var buffer = new ArrayBufferWriter<byte>();
            Format.Write(tree, buffer, SerializerOptions.Default);
            File.WriteAllBytes(file, buffer.WrittenSpan.ToArray());

            string described = RunPython(python!, PickleExpectation.Fixture("generate.py"), "--describe", file);
            JsonNode? fromPython = JsonNode.Parse(described);

            // The lone surrogate survives (Python's 'surrogatepass'); System.Text.Json cannot read it, so check the text.
            described.ShouldContain("\"lone\": \"\\ud800\"");
            fromPython!.AsObject().Remove("lone");
            JsonNode? readBack = Format.Parse(buffer.WrittenSpan, SerializerOptions.Default);
            readBack!["lone"]!.GetValue<string>().ShouldBe("\ud800");
            readBack.AsObject().Remove("lone");

            // CPython's view of the file agrees with ours, value by value and type by type.
            PickleExpectation.AssertMatches(fromPython, readBack);
            fromPython["utc"]!.AsObject().ContainsKey("$datetimeoffset").ShouldBeTrue();
            fromPython["naive"]!["$datetime"]!.GetValue<string>().ShouldBe("2024-02-29T13:45:30.123456");
            fromPython["span"]!["$timedelta"]!.ToJsonString().ShouldBe("[-1,5,0]");
            fromPython["json"]!["n"]!["$int"].ShouldNotBeNull(described);
            fromPython["json"]!["n"]!["$int"]!.GetValue<string>().ShouldBe("12345678901234567890123");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (string Marker, Dictionary<string, string> Globals) ReadManifest()
    {
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(PickleExpectation.FixtureDirectory, "malicious", "manifest.json")))!;
        var globals = manifest["globals"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        return (manifest["marker"]!.GetValue<string>(), globals);
    }

    internal static string? FindPython()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "python3");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string RunPython(string python, params string[] arguments)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException("python3 did not finish in 60 seconds");
            }

            process.ExitCode.ShouldBe(0, stderr.Result);
            return stdout.Result;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
