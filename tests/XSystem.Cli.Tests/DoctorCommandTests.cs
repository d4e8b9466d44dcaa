using System.Text.Json.Nodes;
using Spectre.Console.Testing;
using XSystem.Cli.Doctor;

namespace XSystem.Cli.Tests;

public class DoctorCommandTests
{
    private sealed class FakeCheck(string module, bool pass, Exception? toThrow = null, TimeSpan? delay = null) : IDoctorCheck
    {
        public string Module => module;

        public string Description => "fake check";

        public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
        {
            if (delay is { } d)
            {
                await Task.Delay(d, cancellationToken);
            }

            if (toThrow is not null)
            {
                throw toThrow;
            }

            return pass ? CheckResult.Pass("all good") : CheckResult.Fail("broken on purpose");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<IDoctorCheck>? checks, params string[] args)
    {
        var console = new TestConsole().Width(160);
        int exit = await XsysApp.RunAsync(args, console, checks, TestContext.Current.CancellationToken);
        return (exit, console.Output);
    }

    [Fact]
    public async Task Doctor_RealChecks_PassAndExitZero()
    {
        var (exit, output) = await RunAsync(null, "doctor");

        exit.ShouldBe(0, output);
        output.ShouldContain("xsys doctor");
        output.ShouldContain("Runtime");
        output.ShouldContain(".NET 10");
        output.ShouldContain("CPUs");
        output.ShouldContain(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.ShouldContain(XSystemInfo.Version);
        output.ShouldNotContain("FAIL");
        output.ShouldContain("self-checks passed");
    }

    [Fact]
    public async Task Doctor_RealChecks_CoverIoAndTerminal()
    {
        var checks = DoctorChecks.Create();

        checks.Select(c => c.Module).ShouldContain("XSystem.IO");
        checks.Select(c => c.Module).ShouldContain("XSystem.Terminal");
        foreach (IDoctorCheck check in checks)
        {
            CheckResult result = await check.RunAsync(TestContext.Current.CancellationToken);
            result.Passed.ShouldBeTrue($"{check.Module}: {result.Detail}");
        }
    }

    [Fact]
    public async Task Doctor_EveryModule_IsListedWithItsStatus()
    {
        var (_, output) = await RunAsync([], "doctor");

        string[] lines = output.Split('\n');
        foreach (ModuleInfo module in ModuleCatalog.All)
        {
            string row = lines.Single(l => l.Contains(module.Name + " ", StringComparison.Ordinal) || l.TrimEnd().EndsWith(module.Name, StringComparison.Ordinal) || l.Contains(module.Name + "│", StringComparison.Ordinal));
            row.ShouldContain(ModuleCatalog.Label(module.Status), customMessage: row);
        }
    }

    [Fact]
    public async Task Doctor_FailingCheck_ExitsOneAndShowsDetail()
    {
        var (exit, output) = await RunAsync([new FakeCheck("XSystem.IO", pass: true), new FakeCheck("XSystem.Terminal", pass: false)], "doctor");

        exit.ShouldBe(1);
        output.ShouldContain("FAIL");
        output.ShouldContain("broken on purpose");
        output.ShouldContain("1 of 2 self-checks failed");
    }

    [Fact]
    public async Task Doctor_ThrowingCheck_CountsAsFailureWithMessage()
    {
        var (exit, output) = await RunAsync([new FakeCheck("XSystem.IO", pass: true, new IOException("disk on fire"))], "doctor");

        exit.ShouldBe(1);
        output.ShouldContain("IOException: disk on fire");
    }

    [Fact]
    public async Task Doctor_Json_IsParseableAndCarriesResults()
    {
        var (exit, output) = await RunAsync([new FakeCheck("XSystem.IO", pass: false)], "doctor", "--json");

        exit.ShouldBe(1);
        JsonNode report = JsonNode.Parse(output)!;
        report["ok"]!.GetValue<bool>().ShouldBeFalse();
        report["cpuCount"]!.GetValue<string>().ShouldBe(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        report["xsystemVersion"]!.GetValue<string>().ShouldBe(XSystemInfo.Version);
        var modules = report["modules"]!.AsArray();
        modules.Count.ShouldBe(ModuleCatalog.All.Count);
        var io = modules.Single(m => m!["name"]!.GetValue<string>() == "XSystem.IO")!;
        io["checks"]![0]!["passed"]!.GetValue<bool>().ShouldBeFalse();
        io["checks"]![0]!["detail"]!.GetValue<string>().ShouldBe("broken on purpose");
    }

    [Fact]
    public async Task Doctor_Json_MarkupInDetailIsNotInterpreted()
    {
        var (_, output) = await RunAsync([new FakeCheck("XSystem.IO", pass: true, new IOException("[red]x[/]"))], "doctor", "--json");

        JsonNode.Parse(output)!["modules"]![1]!["checks"]![0]!["detail"]!.GetValue<string>().ShouldBe("IOException: [red]x[/]");
    }

    [Fact]
    public async Task Doctor_UnknownOption_ExitsTwoWithHint()
    {
        var (exit, output) = await RunAsync([], "doctor", "--bogus");

        exit.ShouldBe(2);
        output.ShouldContain("xsys --help");
    }
}
