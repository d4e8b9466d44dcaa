using System.Text;
using Spectre.Console.Testing;
using XSystem.Cli.Doctor;
using XSystem.Cli.Tests.Infrastructure;

namespace XSystem.Cli.Tests;

/// <summary>Tests of <c>xsys run</c> (in-process, with real child processes) and of the IPC doctor check.</summary>
public class IpcRunCommandTests
{
    private sealed record Run(int ExitCode, string Console, string Stdout, string Stderr);

    private static async Task<Run> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var console = new TestConsole().Width(200);
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => output, error, outputIsTerminal: false);
        int exit = await XsysApp.RunAsync(args, console, streams, cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return new Run(exit, console.Output, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    private static Task<Run> RunAsync(params string[] args) => RunAsync(TestContext.Current.CancellationToken, args);

    [Fact]
    public async Task Run_CommandExits_PrefixesOutputAndReturnsChildExitCode()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");

        Run run = await RunAsync("run", "--", "/bin/sh", "-c", "echo hello; echo oops >&2; exit 4");

        run.ExitCode.ShouldBe(4);
        run.Stdout.ShouldBe("[sh] hello\n");
        run.Stderr.ShouldContain("[sh:err] oops");
        run.Stderr.ShouldContain("exited with code 4");
    }

    [Fact]
    public async Task Run_OnFailureWithMaxRestarts_RestartsThenExitsWithLastCode()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");

        Run run = await RunAsync("run", "--restart", "on-failure", "--max-restarts", "2", "--restart-delay", "0.05", "--name", "job", "--", "/bin/sh", "-c", "echo try; exit 3");

        run.ExitCode.ShouldBe(3);
        run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["[job] try", "[job] try", "[job] try"]);
        run.Stderr.ShouldContain("restart limit (MaxRestarts = 2)");
    }

    [Fact]
    public async Task Run_NeverPolicyFailingCommand_RunsOnce()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");

        Run run = await RunAsync("run", "--restart", "never", "--", "/bin/sh", "-c", "echo once; exit 1");

        run.ExitCode.ShouldBe(1);
        run.Stdout.ShouldBe("[sh] once\n");
    }

    [Fact]
    public async Task Run_CtrlC_StopsChildGracefullyAndExits130()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix signals");
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        ctrlC.CancelAfter(TimeSpan.FromSeconds(1)); // a real child runs: no fake clock applies

        Run run = await RunAsync(ctrlC.Token, "run", "--grace", "5", "--", "/bin/sh", "-c", "trap 'echo got TERM; exit 0' TERM; echo ready; while :; do sleep 0.1; done");

        run.ExitCode.ShouldBe(XsysApp.ExitCancelled);
        run.Stdout.ShouldContain("[sh] ready");
        run.Stdout.ShouldContain("[sh] got TERM");
    }

    [Fact]
    public async Task Run_MissingProgram_Exits127WithMessage()
    {
        Run run = await RunAsync("run", "--", "/no/such/program-xsys");

        run.ExitCode.ShouldBe(127);
        run.Stderr.ShouldContain("/no/such/program-xsys");
    }

    [Fact]
    public async Task Run_NoCommand_ExitsUsage()
    {
        Run run = await RunAsync("run");

        run.ExitCode.ShouldBe(XsysApp.ExitUsage);
        run.Stderr.ShouldContain("no command to run");
    }

    [Fact]
    public async Task Run_UnknownPolicy_ExitsUsage()
    {
        Run run = await RunAsync("run", "--restart", "sometimes", "--", "true");

        run.ExitCode.ShouldBe(XsysApp.ExitUsage);
        run.Console.ShouldContain("--restart must be never, on-failure or always");
    }

    [Fact]
    public async Task IpcCheck_RealChild_PassesRoundTrip()
    {
        CheckResult result = await new IpcCheck().RunAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        result.Passed.ShouldBeTrue(result.Detail);
        result.Detail.ShouldContain("100 round trips");
    }

    [Fact]
    public async Task Help_RealProcess_HidesIpcEchoAndListsRun()
    {
        var (exit, stdout, _) = await XsysProcess.RunAsync(null, "--help");

        exit.ShouldBe(0);
        stdout.ShouldContain("run");
        stdout.ShouldNotContain("__ipc-echo");
    }
}
