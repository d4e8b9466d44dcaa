using System.Text;
using System.Text.Json.Nodes;
using XSystem.Cli.Tests.Infrastructure;
using XSystem.Serialization;

namespace XSystem.Cli.Tests;

/// <summary>Runs the real <c>xsys convert</c> and <c>xsys fmt</c> as child processes, with files and with pipes.</summary>
public class SerializationProcessTests
{
    private static Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(string? stdin, params string[] args) =>
        XsysProcess.RunBytesAsync(stdin is null ? null : Encoding.UTF8.GetBytes(stdin), environment: null, args);

    private static JsonNode? Json(byte[] bytes) => JsonNode.Parse(bytes);

    [Fact]
    public async Task Convert_YamlFileToJsonFile_WritesEquivalentJson()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("app.yaml", "name: app\nports: [80, 443]\ndb:\n  host: localhost\n  pass: null\n");

        var (exit, _, stderr) = await RunAsync(null, "convert", input, dir.File("app.json"));

        exit.ShouldBe(0, stderr);
        var expected = new JsonObject
        {
            ["name"] = "app",
            ["ports"] = new JsonArray(80, 443),
            ["db"] = new JsonObject { ["host"] = "localhost", ["pass"] = null },
        };
        JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(dir.File("app.json"))), expected).ShouldBeTrue();
        dir.FileNames().ShouldBe(["app.json", "app.yaml"]);
    }

    [Fact]
    public async Task Convert_YamlPipeToJsonPipe_KeepsUnicode()
    {
        var (exit, stdout, stderr) = await RunAsync("name: \"ü ✓\"\nemoji: \"😀\"\nn: 1\n", "convert", "-", "-", "--from", "yaml", "--to", "json", "--compact");

        exit.ShouldBe(0, stderr);
        string text = Encoding.UTF8.GetString(stdout);
        text.ShouldStartWith("{\"name\":\"ü ✓\",");
        text.ShouldEndWith(",\"n\":1}\n");
        Json(stdout)!["emoji"]!.GetValue<string>().ShouldBe("😀");
    }

    [Fact]
    public async Task Convert_JsonPipeToTomlFile_WritesToml()
    {
        using var dir = new TempDirectory();

        var (exit, _, stderr) = await RunAsync("""{"title": "x", "server": {"port": 8080}}""", "convert", "-", dir.File("out.toml"));

        exit.ShouldBe(0, stderr);
        JsonNode back = Serializer.Load(dir.File("out.toml"))!;
        back["server"]!["port"]!.GetValue<long>().ShouldBe(8080);
        File.ReadAllText(dir.File("out.toml")).ShouldContain("[server]");
    }

    [Fact]
    public async Task Convert_CsvFileToJsonLinesFile_OneLinePerRow()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("people.csv", "name,city\nAda,London\n\"Lovelace, A\",\"New\nYork\"\n");

        var (exit, _, stderr) = await RunAsync(null, "convert", input, dir.File("people.jsonl"));

        exit.ShouldBe(0, stderr);
        string[] lines = File.ReadAllLines(dir.File("people.jsonl"));
        lines.Length.ShouldBe(2);
        JsonNode.DeepEquals(JsonNode.Parse(lines[1]), new JsonObject { ["name"] = "Lovelace, A", ["city"] = "New\nYork" }).ShouldBeTrue(lines[1]);
    }

    [Fact]
    public async Task Convert_CsvPipeToJsonLinesPipe_Converts()
    {
        var (exit, stdout, stderr) = await RunAsync("a,b\n1,2\n3,4\n", "convert", "-", "-", "--from", "csv", "--to", "jsonl");

        exit.ShouldBe(0, stderr);
        Encoding.UTF8.GetString(stdout).ShouldBe("{\"a\":\"1\",\"b\":\"2\"}\n{\"a\":\"3\",\"b\":\"4\"}\n");
    }

    [Fact]
    public async Task Convert_InputWithoutExtension_IsDetectedFromContent()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("settings", "[server]\nhost = \"example.org\"\nport = 8080\n");

        var (exit, stdout, stderr) = await RunAsync(null, "convert", input, "-", "--to", "json", "--compact");

        exit.ShouldBe(0, stderr);
        JsonNode.DeepEquals(Json(stdout), new JsonObject { ["server"] = new JsonObject { ["host"] = "example.org", ["port"] = 8080 } })
            .ShouldBeTrue(Encoding.UTF8.GetString(stdout));
    }

    [Fact]
    public async Task Convert_StdinWithoutFrom_IsDetectedFromContent()
    {
        var (exit, stdout, stderr) = await RunAsync("<config><name>x</name></config>", "convert", "-", "-", "--to", "json", "--compact");

        exit.ShouldBe(0, stderr);
        Encoding.UTF8.GetString(stdout).ShouldContain("\"name\":\"x\"");
    }

    [Fact]
    public async Task Convert_NullIntoToml_ExitsOneWithTheJsonPath()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("in.json", """{"db": {"hosts": ["a", null]}}""");

        var (exit, stdout, stderr) = await RunAsync(null, "convert", input, dir.File("out.toml"));

        exit.ShouldBe(1);
        stderr.ShouldStartWith("error: TOML: ");
        stderr.ShouldContain("$.db.hosts[1]");
        stderr.ShouldNotContain("   at ");
        stdout.ShouldBeEmpty();
        dir.FileNames().ShouldBe(["in.json"]);
    }

    [Fact]
    public async Task Convert_UnknownOutputExtension_IsAUsageError()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("in.json", "{}");

        var (exit, _, stderr) = await RunAsync(null, "convert", input, dir.File("out.nosuchformat"));

        exit.ShouldBe(2);
        stderr.ShouldContain("'.nosuchformat'");
        stderr.ShouldContain("pass --to");
    }

    [Fact]
    public async Task Convert_UnknownOption_IsAUsageError()
    {
        var (exit, stdout, stderr) = await RunAsync("{}", "convert", "-", "-", "--to", "json", "--bogus");

        exit.ShouldBe(2);
        (Encoding.UTF8.GetString(stdout) + stderr).ShouldContain("bogus");
    }

    [Fact]
    public async Task Fmt_CheckOnBadFile_PrintsLineAndColumn()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("bad.toml", "a = 1\nb = [1, 2\nc = 3\n");

        var (exit, stdout, stderr) = await RunAsync(null, "fmt", file, "--check");

        exit.ShouldBe(1);
        stdout.ShouldBeEmpty();
        stderr.ShouldMatch($@"^{System.Text.RegularExpressions.Regex.Escape(file)}:\d+:\d+: TOML: ");
    }

    [Fact]
    public async Task Fmt_InPlace_RewritesAtomically()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("conf.yaml", "a:   1\nlist: [alpha,    beta]\n");

        var (exit, stdout, stderr) = await RunAsync(null, "fmt", file, "--in-place");

        exit.ShouldBe(0, stderr);
        stdout.ShouldBeEmpty();
        File.ReadAllText(file).ShouldBe("a: 1\nlist:\n  - alpha\n  - beta\n");
        dir.FileNames().ShouldBe(["conf.yaml"]);
    }
}
