using System.Diagnostics;
using XSystem.Cli.Tests.Infrastructure;

namespace XSystem.Cli.Tests;

/// <summary>Runs the real <c>xsys</c> binary as a child process.</summary>
public class XsysProcessTests
{
    [Fact]
    public async Task Version_PrintsXSystemVersion()
    {
        var (exit, stdout, _) = await XsysProcess.RunAsync(null, "--version");

        exit.ShouldBe(0);
        stdout.Trim().ShouldBe(XSystemInfo.Version);
    }

    [Fact]
    public async Task Help_ListsDoctor()
    {
        var (exit, stdout, _) = await XsysProcess.RunAsync(null, "--help");

        exit.ShouldBe(0);
        stdout.ShouldContain("doctor");
        stdout.ShouldContain("--version");
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwo()
    {
        var (exit, stdout, stderr) = await XsysProcess.RunAsync(null, "no-such-command");

        exit.ShouldBe(2);
        (stdout + stderr).ShouldContain("no-such-command");
    }

    [Fact]
    public async Task Doctor_Redirected_WritesNoEscapeCodes()
    {
        var (exit, stdout, _) = await XsysProcess.RunAsync(null, "doctor");

        exit.ShouldBe(0, stdout);
        stdout.ShouldContain("XSystem.IO");
        stdout.ShouldNotContain("\u001b[");
    }

    [Fact]
    public async Task Doctor_RedirectedWithForceColor_WritesEscapeCodes()
    {
        var (exit, stdout, _) = await XsysProcess.RunAsync(new Dictionary<string, string?> { ["FORCE_COLOR"] = "1" }, "doctor");

        exit.ShouldBe(0, stdout);
        stdout.ShouldContain("\u001b[");
    }

    [Fact]
    public async Task Doctor_InTmux_RendersColorInARealTerminal()
    {
        string? tmux = FindOnPath("tmux");
        Assert.SkipWhen(tmux is null, "tmux is not installed (./test.sh installs it when run as root)");

        string session = "xsys-test-" + Guid.NewGuid().ToString("N")[..8];
        string outputFile = Path.Combine(Path.GetTempPath(), session + ".txt");
        string socket = Path.Combine(Path.GetTempPath(), session + ".sock");
        try
        {
            // Run doctor inside a detached tmux session (a real pseudo-terminal), keep the pane after exit,
            // then capture it with escape sequences (-e).
            string command = $"env -u NO_COLOR -u FORCE_COLOR TERM=xterm-256color dotnet '{XsysProcess.DllPath}' doctor; echo \"exit=$?\"; sleep 30";
            await RunAsync(tmux!, ["-S", socket, "new-session", "-d", "-s", session, "-x", "140", "-y", "50", command]);

            string captured = "";
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(250, TestContext.Current.CancellationToken);
                await RunAsync(tmux!, ["-S", socket, "capture-pane", "-e", "-p", "-t", session, "-S", "-60"], outputFile);
                captured = File.ReadAllText(outputFile);
                if (captured.Contains("exit=", StringComparison.Ordinal))
                {
                    break;
                }
            }

            captured.ShouldContain("exit=0");
            captured.ShouldContain("XSystem.Terminal");
            captured.ShouldContain("\u001b[", customMessage: "a real terminal should get color");
        }
        finally
        {
            await RunAsync(tmux!, ["-S", socket, "kill-server"], allowFailure: true);
            File.Delete(outputFile);
            File.Delete(socket);
        }
    }

    private static async Task RunAsync(string file, string[] args, string? stdoutFile = null, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string stdout = await process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (stdoutFile is not null)
        {
            await File.WriteAllTextAsync(stdoutFile, stdout);
        }

        if (!allowFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}");
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
