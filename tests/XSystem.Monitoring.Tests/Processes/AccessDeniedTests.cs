using System.Diagnostics;
using System.Globalization;

namespace XSystem.Monitoring.Tests;

/// <summary>
/// AccessDenied for real: the tests run as root, which may read everything, so the outer test runs the inner one in
/// a copy of this test assembly as user nobody (setpriv), against a process that belongs to root.
/// </summary>
public class AccessDeniedTests
{
    private const string TargetVariable = "XSYS_MONITORING_TEST_TARGET_PID";

    [Fact]
    public async Task OtherUsersProcess_AsNobody_PrivateFilesAndSignalsDenied()
    {
        if (Environment.GetEnvironmentVariable(TargetVariable) is not null)
        {
            Assert.Skip("This is the inner run as nobody.");
        }

        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv"))
        {
            Assert.Skip("Needs root and setpriv to drop to user nobody.");
        }

        using var target = ChildProcess.Start("/bin/sleep", "sleep", "30");
        string results = Directory.CreateTempSubdirectory("xsys-nobody-").FullName;
        try
        {
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(results, (UnixFileMode)0b111_111_111);
            }

            var info = new ProcessStartInfo("/usr/bin/setpriv")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = results,
            };
            foreach (string arg in new[]
            {
                "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                "dotnet", Path.Combine(AppContext.BaseDirectory, "XSystem.Monitoring.Tests.dll"),
                "-method", "*." + nameof(InnerAsNobody_RootsProcess_AccessDeniedWherePrivate), "-noColor",
            })
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment[TargetVariable] = target.Pid.ToString(CultureInfo.InvariantCulture);
            info.Environment["HOME"] = results;
            info.Environment["DOTNET_CLI_HOME"] = results;
            info.Environment["DOTNET_NOLOGO"] = "1";
            using Process run = Process.Start(info)!;
            Task<string> stdout = run.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            Task<string> stderr = run.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await run.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            string output = await stdout + await stderr;

            run.ExitCode.ShouldBe(0, output);
            // The inner test must have run (not skipped) and passed.
            output.ShouldContain("Total: 1, Errors: 0, Failed: 0, Skipped: 0", Case.Sensitive, output);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void InnerAsNobody_RootsProcess_AccessDeniedWherePrivate()
    {
        string? pidText = Environment.GetEnvironmentVariable(TargetVariable);
        if (pidText is null)
        {
            Assert.Skip("Runs only inside OtherUsersProcess_AsNobody_PrivateFilesAndSignalsDenied, as user nobody.");
        }

        int pid = int.Parse(pidText, CultureInfo.InvariantCulture);

        // World-readable files still work; smaps_rollup is private, so the footprint is null, not an error.
        ProcessInfo process = Processes.Get(pid);
        process.Name.ShouldBe("sleep");
        process.Username.ShouldBe("root");
        process.CommandLine.ShouldBe(["/bin/sleep", "30"]);
        process.Memory.Rss.ShouldBeGreaterThan(0);
        process.Memory.Uss.ShouldBeNull();
        Processes.List(ProcessFields.All).ShouldContain(p => p.Pid == pid);

        AccessDeniedException io = Should.Throw<AccessDeniedException>(process.GetIoCounters);
        io.Pid.ShouldBe(pid);
        io.What.ShouldBe($"/proc/{pid}/io");
        Should.Throw<AccessDeniedException>(() => process.Exe).What.ShouldBe($"/proc/{pid}/exe");
        Should.Throw<AccessDeniedException>(process.GetCwd);
        Should.Throw<AccessDeniedException>(process.GetOpenFiles);
        Should.Throw<AccessDeniedException>(process.Terminate).What.ShouldBe("SIGTERM");
        process.IsRunning().ShouldBeTrue();
    }
}
