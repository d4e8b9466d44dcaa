using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console.Testing;
using XSystem.Cli.Tests.Infrastructure;
using XSystem.Validation;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys validate</c> and <c>xsys schema</c>.</summary>
public class ValidationCommandTests
{
    private const string Schema = """
        {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","required":["name","age"],
         "properties":{"name":{"type":"string","minLength":1},"age":{"type":"integer","minimum":0},
                       "tags":{"type":"array","items":{"type":"string"}},"id":{"type":"string","format":"uuid"}}}
        """;

    private sealed record Run(int ExitCode, string Console, string Stdout, string Stderr);

    private static async Task<Run> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(300);
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => output, error, outputIsTerminal: false);
        int exit = await XsysApp.RunAsync(args, console, streams, TestContext.Current.CancellationToken);
        return new Run(exit, console.Output, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    [Fact]
    public async Task Validate_ValidYaml_ExitsZero()
    {
        using var dir = new TempDirectory();
        var schema = dir.Write("s.json", Schema);
        var data = dir.Write("d.yaml", "name: Ann\nage: 30\ntags: [a, b]\n");

        var run = await RunAsync("validate", data, "--schema", schema);

        run.ExitCode.ShouldBe(0, run.Console + run.Stderr);
        run.Console.ShouldContain("valid");
    }

    [Fact]
    public async Task Validate_InvalidJson_ListsErrorsWithPathsAndExitsOne()
    {
        using var dir = new TempDirectory();
        var schema = dir.Write("s.json", Schema);
        var data = dir.Write("d.json", """{"name":"","age":-1,"tags":["ok",3],"id":"nope"}""");

        var run = await RunAsync("validate", data, "--schema", schema);

        run.ExitCode.ShouldBe(1);
        run.Console.ShouldContain("invalid");
        run.Console.ShouldContain("/name");
        run.Console.ShouldContain("/age");
        run.Console.ShouldContain("/tags/1");
        run.Console.ShouldContain("/id");
    }

    [Fact]
    public async Task Validate_MissingRequired_ReportsAtRoot()
    {
        using var dir = new TempDirectory();
        var schema = dir.Write("s.json", Schema);
        var data = dir.Write("d.toml", "name = \"x\"\n");

        var run = await RunAsync("validate", data, "--schema", schema);

        run.ExitCode.ShouldBe(1);
        run.Console.ShouldContain("/: ");
        run.Console.ShouldContain("required");
    }

    [Fact]
    public async Task Validate_NoSchemaOption_IsUsageError()
    {
        using var dir = new TempDirectory();
        var data = dir.Write("d.json", "{}");

        var run = await RunAsync("validate", data);

        run.ExitCode.ShouldBe(2);
    }

    [Fact]
    public async Task Validate_MissingSchemaFile_FailsWithMessage()
    {
        using var dir = new TempDirectory();
        var data = dir.Write("d.json", "{}");

        var run = await RunAsync("validate", data, "--schema", dir.File("missing.json"));

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("schema file not found");
    }

    [Fact]
    public async Task Validate_ModelSchemaFromXModel_AgreesWithModel()
    {
        using var dir = new TempDirectory();
        var schema = dir.Write("s.json", CliSampleUser.ModelJsonSchema().ToJsonString());
        var good = dir.Write("good.json", """{"name":"a","age":3}""");
        var bad = dir.Write("bad.json", """{"name":"a","age":300}""");

        (await RunAsync("validate", good, "--schema", schema)).ExitCode.ShouldBe(0);
        (await RunAsync("validate", bad, "--schema", schema)).ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task Schema_ModelInAssembly_PrintsSchema()
    {
        var assembly = typeof(CliSampleUser).Assembly.Location;

        var run = await RunAsync("schema", assembly, typeof(CliSampleUser).FullName!);

        run.ExitCode.ShouldBe(0, run.Stderr);
        var schema = JsonNode.Parse(run.Stdout)!;
        schema["title"]!.GetValue<string>().ShouldBe("CliSampleUser");
        schema["properties"]!["age"]!["maximum"]!.GetValue<int>().ShouldBe(150);
    }

    [Fact]
    public async Task Schema_SimpleName_Resolves()
    {
        var run = await RunAsync("schema", typeof(CliSampleUser).Assembly.Location, "CliSampleUser");

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldContain("\"$schema\"");
    }

    [Fact]
    public async Task Schema_UnknownType_FailsWithMessage()
    {
        var run = await RunAsync("schema", typeof(CliSampleUser).Assembly.Location, "NoSuchType");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("not found");
    }

    [Fact]
    public async Task Schema_NotAModel_FailsWithMessage()
    {
        var run = await RunAsync("schema", typeof(CliSampleUser).Assembly.Location, typeof(ValidationCommandTests).FullName!);

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("not a model type");
    }

    [Fact]
    public async Task Schema_MissingAssembly_FailsWithMessage()
    {
        var run = await RunAsync("schema", "/nonexistent/x.dll", "T");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("assembly not found");
    }
}

/// <summary>A model the schema command loads from this test assembly.</summary>
public sealed class CliSampleUser : XModel<CliSampleUser>
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Age.</summary>
    [Field(Ge = 0, Le = 150)]
    public int Age { get; init; }
}
