using System.Text.RegularExpressions;
using Spectre.Console.Testing;
using XSystem.Cli.Commands.Monitoring;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys monitor</c> with a test console (output not a terminal: plain lines).</summary>
public partial class MonitoringMonitorCommandTests
{
    private sealed record Run(int ExitCode, string Console);

    private static async Task<Run> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(300);
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => output, error, outputIsTerminal: false);
        int exit = await XsysApp.RunAsync(args, console, streams, TestContext.Current.CancellationToken);
        return new Run(exit, console.Output);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ cpu \d+\.\d% \[[\d ]+\] mem \d+\.\d% \(.+/.+\) disk r .+/s w .+/s net rx .+/s tx .+/s top .+\(\d+\) \d+%")]
    private static partial Regex PlainLine();

    [Fact]
    public async Task Monitor_Redirected_PrintsOnePlainLinePerRefresh()
    {
        Run run = await RunAsync("monitor", "--count", "2", "--interval", "0.1", "--top", "3");

        run.ExitCode.ShouldBe(0, run.Console);
        string[] lines = run.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Length.ShouldBe(2, run.Console);
        foreach (string line in lines)
        {
            PlainLine().IsMatch(line).ShouldBeTrue(line);
            line.ShouldNotContain("\u001b[");
        }
    }

    [Fact]
    public void Sampler_SecondSample_ReportsRatesAndBusiestProcesses()
    {
        var sampler = new DashboardSampler(top: 5);
        // Burn some CPU in this process so it has a measurable share between the two samples.
        var until = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(until) < TimeSpan.FromMilliseconds(150))
        {
            _ = Math.Sqrt(until++);
        }

        DashboardSample sample = sampler.Next();

        sample.PerCpuPercent.Count.ShouldBe(Environment.ProcessorCount);
        sample.CpuPercent.ShouldBeInRange(0, 100);
        sample.Memory.Total.ShouldBeGreaterThan(0);
        sample.Top.Count.ShouldBe(5);
        sample.Top.Select(t => t.CpuPercent).ShouldBeInOrder(SortDirection.Descending);
        sample.Top.ShouldContain(t => t.Pid == Environment.ProcessId, "this process burned CPU between the samples");
    }

    [Fact]
    public void Render_Dashboard_ShowsCoresMemoryAndProcesses()
    {
        var sampler = new DashboardSampler(top: 3);
        DashboardSample sample = sampler.Next();
        var console = new TestConsole().Width(160);

        console.Write(DashboardSampler.Render(sample, 1));

        console.Output.ShouldContain("cpu0");
        console.Output.ShouldContain("Memory");
        console.Output.ShouldContain("Net in");
        console.Output.ShouldContain("PID");
        console.Output.ShouldContain("Press q or Ctrl+C to quit");
    }

    [Theory]
    [InlineData("--interval", "0")]
    [InlineData("--count", "-1")]
    [InlineData("--top", "51")]
    public async Task Monitor_BadOption_FailsWithMessage(string option, string value)
    {
        Run run = await RunAsync("monitor", option, value);

        run.ExitCode.ShouldNotBe(0);
        run.Console.ShouldContain(option);
    }
}
