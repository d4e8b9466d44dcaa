using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Plist;

/// <summary>
/// Cross-checks with Python's plistlib: fixtures it wrote (Fixtures/plist, made by generate.py) read to the trees it
/// reads, and files we write load in plistlib to the same trees (when python3 is installed).
/// </summary>
public sealed class PlistFixtureTests
{
    private static readonly string FixtureDirectory = Path.Combine(TestPaths.RepositoryRoot, "tests", "XSystem.Serialization.Tests", "Fixtures", "plist");

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(FixtureDirectory, "*.plist").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    private static JsonNode? Expected(string fixture) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, Path.ChangeExtension(fixture, ".json"))));

    [Fact]
    public void Fixtures_Present_CoverBothForms()
    {
        string[] names = [.. Fixtures().Select(row => (string)row.Data)];

        names.Count(n => n.EndsWith(".xml.plist", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(4);
        names.Count(n => n.EndsWith(".binary.plist", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(5);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_PlistlibFixture_GivesPlistlibTree(string fixture)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(FixtureDirectory, fixture));

        JsonNode? tree = new PlistFormat().Parse(bytes, SerializerOptions.Default);

        TypedTree.ShouldMatch(tree, Expected(fixture), fixture);
        if (fixture.EndsWith(".binary.plist", StringComparison.Ordinal))
        {
            TypedTree.ShouldMatch(new BinaryPlistFormat().Parse(bytes, SerializerOptions.Default), Expected(fixture), fixture);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Write_FixtureTree_LoadsInPlistlibAsTheSameTree(string fixture)
    {
        Assert.SkipUnless(PythonAvailable.Value, "python3 is not installed");
        bool binary = fixture.EndsWith(".binary.plist", StringComparison.Ordinal);
        JsonNode? tree = new PlistFormat().Parse(File.ReadAllBytes(Path.Combine(FixtureDirectory, fixture)), SerializerOptions.Default);
        IFormat writer = binary ? new BinaryPlistFormat() : new PlistFormat();
        var buffer = new ArrayBufferWriter<byte>();
        writer.Write(tree, buffer, SerializerOptions.Default);
        string temp = Path.Combine(Path.GetTempPath(), $"xsystem-plist-{Guid.NewGuid():N}.plist");
        try
        {
            File.WriteAllBytes(temp, buffer.WrittenSpan.ToArray());

            JsonNode? loaded = JsonNode.Parse(RunPython(Path.Combine(FixtureDirectory, "generate.py"), "--describe", temp));

            JsonNode.DeepEquals(loaded, Expected(fixture)).ShouldBeTrue(
                $"plistlib read our {writer.Name} output of {fixture} differently:\n{loaded?.ToJsonString()}");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static readonly Lazy<bool> PythonAvailable = new(() =>
    {
        try
        {
            RunPython("-c", "import plistlib");
            return true;
        }
        catch (Win32Exception)
        {
            return false;
        }
    });

    private static string RunPython(params string[] arguments)
    {
        var start = new ProcessStartInfo("python3")
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
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("python3 did not finish in 60 s");
        }

        process.ExitCode.ShouldBe(0, $"python3 failed: {error.Result}");
        return output;
    }
}
