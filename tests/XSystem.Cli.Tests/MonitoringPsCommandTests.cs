using System.Text.Json.Nodes;
using Spectre.Console.Testing;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys ps</c> with a test console.</summary>
public class MonitoringPsCommandTests
{
    private sealed record Run(int ExitCode, string Console);

    private static async Task<Run> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(200);
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => output, error, outputIsTerminal: false);
        int exit = await XsysApp.RunAsync(args, console, streams, TestContext.Current.CancellationToken);
        return new Run(exit, console.Output);
    }

    private static JsonArray ParseJson(Run run)
    {
        run.ExitCode.ShouldBe(0, run.Console);
        return JsonNode.Parse(run.Console)!.AsArray();
    }

    [Fact]
    public async Task Ps_Json_IncludesThisProcessWithCamelCaseFacts()
    {
        JsonArray list = ParseJson(await RunAsync("ps", "--json", "--interval", "0.1"));

        JsonNode self = list.Single(p => p!["pid"]!.GetValue<int>() == Environment.ProcessId)!;
        self["ppid"]!.GetValue<int>().ShouldBeGreaterThan(0);
        self["user"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        self["cpuPercent"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        self["rss"]!.GetValue<long>().ShouldBeGreaterThan(1024 * 1024);
        self["threads"]!.GetValue<int>().ShouldBeGreaterThan(1);
        self["name"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        self["status"]!.GetValue<string>().ShouldBeOneOf("running", "sleeping");
        self["commandLine"]!.AsArray().Count.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Ps_Top_LimitsRows()
    {
        JsonArray three = ParseJson(await RunAsync("ps", "--json", "--top", "3", "--interval", "0.05"));
        Run table = await RunAsync("ps", "--top", "2", "--sort", "pid", "--interval", "0.05");

        three.Count.ShouldBe(3);
        table.ExitCode.ShouldBe(0, table.Console);
        table.Console.ShouldContain("PID");
        table.Console.ShouldContain("THREADS");
        table.Console.ShouldContain("2 of ");
    }

    [Fact]
    public async Task Ps_SortMem_OrdersByRssDescending()
    {
        JsonArray list = ParseJson(await RunAsync("ps", "--json", "--sort", "mem", "--interval", "0.05"));

        long[] rss = [.. list.Select(p => p!["rss"]!.GetValue<long>())];
        rss.Length.ShouldBeGreaterThan(3);
        rss.ShouldBeInOrder(SortDirection.Descending);
    }

    [Fact]
    public async Task Ps_SortPidAndName_Ordered()
    {
        JsonArray byPid = ParseJson(await RunAsync("ps", "--json", "--sort", "pid", "--interval", "0.05"));
        JsonArray byName = ParseJson(await RunAsync("ps", "--json", "--sort", "name", "--interval", "0.05"));

        byPid.Select(p => p!["pid"]!.GetValue<int>()).ShouldBeInOrder(SortDirection.Ascending);
        string[] names = [.. byName.Select(p => p!["name"]!.GetValue<string>())];
        names.ShouldBe(names.Order(StringComparer.OrdinalIgnoreCase).ToArray());
    }

    [Fact]
    public async Task Ps_SortCpu_OrdersByCpuDescending()
    {
        JsonArray list = ParseJson(await RunAsync("ps", "--json", "--interval", "0.1"));

        list.Select(p => p!["cpuPercent"]!.GetValue<double>()).ShouldBeInOrder(SortDirection.Descending);
    }

    [Theory]
    [InlineData("--sort", "size")]
    [InlineData("--top", "0")]
    [InlineData("--interval", "0")]
    public async Task Ps_BadOption_ExitsWithUsageError(string option, string value)
    {
        Run run = await RunAsync("ps", option, value);

        run.ExitCode.ShouldBe(2);
        run.Console.ShouldContain(option);
    }

    [Fact]
    public async Task Ps_Table_ShowsKernelThreadInBrackets()
    {
        Run run = await RunAsync("ps", "--sort", "pid", "--top", "5", "--interval", "0.05");

        run.ExitCode.ShouldBe(0, run.Console);
        run.Console.ShouldContain("[kthreadd]");
    }
}
