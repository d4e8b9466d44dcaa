using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console.Testing;
using XSystem.Cli.Commands.Serialization;
using XSystem.Cli.Doctor;
using XSystem.Cli.Tests.Infrastructure;
using XSystem.Serialization;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys formats</c>, <c>fmt</c> and <c>convert</c> with a test console and memory streams.</summary>
public class SerializationCommandTests
{
    private sealed record Run(int ExitCode, string Console, byte[] Stdout, string Stderr)
    {
        public string StdoutText => Encoding.UTF8.GetString(Stdout);
    }

    private static async Task<Run> RunAsync(string? stdin, params string[] args)
    {
        var console = new TestConsole().Width(200);
        using var input = new MemoryStream(stdin is null ? [] : Encoding.UTF8.GetBytes(stdin));
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => output, error, outputIsTerminal: false);
        int exit = await XsysApp.RunAsync(args, console, streams, TestContext.Current.CancellationToken);
        return new Run(exit, console.Output, output.ToArray(), error.ToString());
    }

    private sealed class FakeBinaryFormat(bool broken = false) : IFormat
    {
        public string Name => "fakebin";

        public IReadOnlyList<string> Aliases => [];

        public IReadOnlyList<string> Extensions => [".fakebin"];

        public IReadOnlyList<string> MediaTypes => [];

        public FormatCapabilities Capabilities => FormatCapabilities.Tree;

        public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options) =>
            broken ? new JsonObject { ["changed"] = true } : JsonNode.Parse(data);

        public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options) =>
            output.Write(Encoding.UTF8.GetBytes(tree?.ToJsonString() ?? "null"));

        public double Probe(ReadOnlySpan<byte> sample) => 0;
    }

    // ---- formats ----

    [Fact]
    public async Task Formats_Table_ListsEveryAvailableFormatWithExtensions()
    {
        Run run = await RunAsync(null, "formats");

        run.ExitCode.ShouldBe(0);
        foreach (IFormat format in Formats.All)
        {
            run.Console.ShouldContain(format.Name);
            run.Console.ShouldContain(format.Extensions[0]);
        }

        run.Console.ShouldContain(".yml");
        run.Console.ShouldContain("multi-document");
        run.Console.ShouldContain($"{Formats.All.Count} formats");
    }

    [Fact]
    public async Task Formats_Json_DescribesEachFormat()
    {
        Run run = await RunAsync(null, "formats", "--json");

        run.ExitCode.ShouldBe(0);
        JsonArray list = JsonNode.Parse(run.Console)!.AsArray();
        list.Count.ShouldBe(Formats.All.Count);
        JsonNode yaml = list.Single(f => f!["name"]!.GetValue<string>() == "yaml")!;
        yaml["aliases"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldContain("yml");
        yaml["extensions"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldContain(".yaml");
        yaml["mediaTypes"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldContain("application/yaml");
        yaml["kind"]!.GetValue<string>().ShouldBe("text");
        yaml["capabilities"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["tree", "multi-document", "comments"]);
        yaml["package"]!.GetValue<string>().ShouldBe("XSystem.Serialization.Yaml");
        list.Single(f => f!["name"]!.GetValue<string>() == "csv")!["capabilities"]!.AsArray()
            .Select(a => a!.GetValue<string>()).ShouldContain("records");
    }

    // ---- fmt ----

    [Fact]
    public async Task Fmt_CompactJson_PrettyPrintsToStdout()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("a.json", """{"b":[1,2],"a":{"c":"ü"}}""");

        Run run = await RunAsync(null, "fmt", file);

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.StdoutText.ShouldBe("{\n  \"b\": [\n    1,\n    2\n  ],\n  \"a\": {\n    \"c\": \"ü\"\n  }\n}\n");
        File.ReadAllText(file).ShouldBe("""{"b":[1,2],"a":{"c":"ü"}}""");
    }

    [Fact]
    public async Task Fmt_CheckValidFile_ExitsZeroSilently()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("a.toml", "title = \"x\"\n[server]\nport = 8080\n");

        Run run = await RunAsync(null, "fmt", file, "--check");

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldBeEmpty();
        run.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public async Task Fmt_CheckBadJson_PrintsFileLineColumnAndExitsOne()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("bad.json", "{\n  \"a\": 1,\n  \"b\": [1,, 2]\n}\n");

        Run run = await RunAsync(null, "fmt", file, "--check");

        run.ExitCode.ShouldBe(1);
        run.Stdout.ShouldBeEmpty();
        run.Stderr.ShouldStartWith($"{file}:3:");
        run.Stderr.ShouldContain("JSON: ");
        run.Stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Fmt_CheckBadYaml_PrintsFileLineColumn()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n");

        Run run = await RunAsync(null, "fmt", file, "--check");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldMatch($@"^{System.Text.RegularExpressions.Regex.Escape(file)}:\d+:\d+: YAML: ");
    }

    [Fact]
    public async Task Fmt_BadFileWithoutCheck_PrintsErrorLineAndExitsOne()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("bad.json", "{\"a\": }");

        Run run = await RunAsync(null, "fmt", file);

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldStartWith("error: JSON: ");
        run.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Fmt_InPlace_RewritesTheFileAndLeavesNothingElse()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("a.json", """{"a":[1,{"b":null}]}""");

        Run run = await RunAsync(null, "fmt", file, "--in-place");

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldBeEmpty();
        File.ReadAllText(file).ShouldBe("{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ]\n}");
        dir.FileNames().ShouldBe(["a.json"]);
    }

    [Fact]
    public async Task Fmt_InPlaceOnBadFile_LeavesItUntouched()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("a.json", "{\"a\": [1, 2}");

        Run run = await RunAsync(null, "fmt", file, "--in-place");

        run.ExitCode.ShouldBe(1);
        File.ReadAllText(file).ShouldBe("{\"a\": [1, 2}");
    }

    [Fact]
    public async Task Fmt_CheckWithInPlace_IsAUsageError()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("a.json", "{}");

        Run run = await RunAsync(null, "fmt", file, "--check", "--in-place");

        run.ExitCode.ShouldBe(2);
        run.Console.ShouldContain("exclude each other");
    }

    [Fact]
    public async Task Fmt_MultiDocumentYaml_KeepsEveryDocument()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("many.yaml", "a: 1\n---\nb:   [x,   y]\n");

        Run run = await RunAsync(null, "fmt", file);

        run.ExitCode.ShouldBe(0, run.Stderr);
        IReadOnlyList<JsonNode?> documents = Serialization.Yaml.YamlFormat.ParseAll(run.Stdout);
        documents.Count.ShouldBe(2);
        JsonNode.DeepEquals(documents[1], new JsonObject { ["b"] = new JsonArray("x", "y") }).ShouldBeTrue(run.StdoutText);
    }

    [Fact]
    public async Task Fmt_StdinWithFormat_PrettyPrints()
    {
        Run run = await RunAsync("[1,2]", "fmt", "-", "--format", "json5");

        run.ExitCode.ShouldBe(0, run.Stderr);
        JsonNode.DeepEquals(Serializer.Parse(run.Stdout, Formats.Json5), new JsonArray(1, 2)).ShouldBeTrue();
    }

    [Fact]
    public async Task Fmt_UnknownFormatName_IsAUsageError()
    {
        Run run = await RunAsync("{}", "fmt", "-", "--format", "nosuch");

        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("no format is known as 'nosuch'");
        run.Stderr.ShouldContain("xsys formats");
    }

    // ---- convert ----

    [Fact]
    public async Task Convert_StdinYamlToStdoutJson_Converts()
    {
        Run run = await RunAsync("name: app\nports: [80, 443]\n", "convert", "-", "-", "--to", "json", "--compact");

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.StdoutText.ShouldBe("""{"name":"app","ports":[80,443]}""" + "\n");
    }

    [Fact]
    public async Task Convert_StdoutWithoutTo_IsAUsageErrorNamingTo()
    {
        Run run = await RunAsync("a: 1\n", "convert", "-", "-");

        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("pass --to");
        run.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Convert_StdinOverMaxBytes_ExitsOneNamingTheLimit()
    {
        Run run = await RunAsync(new string(' ', 3000) + "{}", "convert", "-", "-", "--to", "json", "--max-bytes", "2KiB");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("--max-bytes");
        run.Stderr.ShouldContain("2.0 KiB");
    }

    [Fact]
    public async Task Convert_FileOverMaxBytes_ExitsOneNamingTheOption()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("big.json", "[" + string.Join(",", Enumerable.Repeat("1", 2000)) + "]");

        Run run = await RunAsync(null, "convert", input, dir.File("big.yaml"), "--max-bytes", "1k");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("--max-bytes");
        File.Exists(dir.File("big.yaml")).ShouldBeFalse();
    }

    [Fact]
    public async Task Convert_BadMaxBytes_IsAUsageError()
    {
        Run run = await RunAsync("{}", "convert", "-", "-", "--to", "json", "--max-bytes", "lots");

        run.ExitCode.ShouldBe(2);
        run.Console.ShouldContain("--max-bytes");
    }

    [Fact]
    public async Task Convert_MissingInputFile_ExitsOneWithClearMessage()
    {
        using var dir = new TempDirectory();

        Run run = await RunAsync(null, "convert", dir.File("nope.json"), dir.File("out.yaml"));

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldBe($"error: input file not found: {dir.File("nope.json")}" + Environment.NewLine);
    }

    [Fact]
    public async Task Convert_MalformedStdin_ExitsOneWithErrorLineNotStackTrace()
    {
        Run run = await RunAsync("{\"a\": [1, 2}", "convert", "-", "-", "--from", "json", "--to", "yaml");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldStartWith("error: JSON: ");
        run.Stderr.ShouldNotContain("   at ");
        run.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Convert_UndetectableStdin_IsAUsageErrorNamingFrom()
    {
        Run run = await RunAsync("\u0001\u0002 not anything", "convert", "-", "-", "--to", "json");

        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("pass --from");
    }

    [Fact]
    public async Task Convert_ExtensionOfMissingPackage_NamesThePackage()
    {
        Assert.SkipWhen(Formats.TryFromName("msgpack", out _), "the MessagePack package is part of this build now");

        Run run = await RunAsync("{}", "convert", "-", Path.Combine(Path.GetTempPath(), "never-written.msgpack"), "--from", "json");

        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("XSystem.Serialization.MessagePack");
    }

    [Fact]
    public async Task Convert_TypedValuesBetweenFiles_ComeThroughTheTree()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("a.toml", "when = 1979-05-27T07:32:00Z\n[owner]\nname = \"Tom\"\n");

        Run run = await RunAsync(null, "convert", input, dir.File("a.yaml"));

        run.ExitCode.ShouldBe(0, run.Stderr);
        JsonNode back = Serializer.Load(dir.File("a.yaml"))!;
        back["owner"]!["name"]!.GetValue<string>().ShouldBe("Tom");
        File.ReadAllText(dir.File("a.yaml")).ShouldContain("1979-05-27");
        dir.FileNames().ShouldBe(["a.toml", "a.yaml"]);
    }

    [Fact]
    public async Task Convert_Cancelled_ExitsWith130AndWritesNothing()
    {
        using var dir = new TempDirectory();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("a: 1\n"));
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => Stream.Null, error, outputIsTerminal: false);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        int exit = await XsysApp.RunAsync(["convert", "-", dir.File("out.json")], new TestConsole(), streams, cancelled.Token);

        exit.ShouldBe(130);
        dir.FileNames().ShouldBeEmpty();
    }

    // ---- helpers, doctor ----

    [Fact]
    public async Task WriteOutput_BinaryToTerminal_IsRefusedUnlessForced()
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => Stream.Null, () => output, error, outputIsTerminal: true);
        byte[] bytes = [0x82, 0x00, 0xff];

        var refused = await Should.ThrowAsync<CommandProblemException>(() =>
            DataCommandSupport.WriteOutputAsync(DataCommandSupport.StandardStream, bytes, new FakeBinaryFormat(), streams, force: false, TestContext.Current.CancellationToken));
        await DataCommandSupport.WriteOutputAsync(DataCommandSupport.StandardStream, bytes, new FakeBinaryFormat(), streams, force: true, TestContext.Current.CancellationToken);

        refused.ExitCode.ShouldBe(2);
        refused.Message.ShouldContain("--force");
        output.ToArray().ShouldBe(bytes);
    }

    [Fact]
    public void ProtectDash_LoneDash_BecomesTheStandardStreamToken()
    {
        string[] args = XsysApp.ProtectDash(["convert", "-", "--to", "json", "-x", "--", "a-b"]);

        args.ShouldBe(["convert", DataCommandSupport.StandardStream, "--to", "json", "-x", "--", "a-b"]);
    }

    [Fact]
    public async Task SerializationCheck_RealFormats_PassesAndCountsThem()
    {
        CheckResult result = await new SerializationCheck().RunAsync(TestContext.Current.CancellationToken);

        result.Passed.ShouldBeTrue(result.Detail);
        result.Detail.ShouldStartWith($"{Formats.All.Count} of {Formats.All.Count} formats round-trip; detection OK");
        DoctorChecks.Create().OfType<SerializationCheck>().ShouldHaveSingleItem();
    }

    [Fact]
    public void SerializationCheck_FormatThatChangesData_IsReported()
    {
        string? problem = SerializationCheck.RoundTrip(new FakeBinaryFormat(broken: true));
        string? fine = SerializationCheck.RoundTrip(new FakeBinaryFormat());

        problem.ShouldBe("came back different");
        fine.ShouldBeNull();
    }
}
