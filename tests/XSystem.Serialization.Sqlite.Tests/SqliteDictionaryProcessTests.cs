using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace XSystem.Serialization.Sqlite.Tests;

/// <summary>Several real processes on one dictionary file (the helper project is started with the dotnet host).</summary>
public sealed class SqliteDictionaryProcessTests : IDisposable
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);
    private readonly TempDir _temp = new();
    private readonly List<Process> _processes = [];

    public void Dispose()
    {
        foreach (Process process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            finally
            {
                process.Dispose();
            }
        }

        _temp.Dispose();
    }

    [Fact]
    public void Batch_TwoProcessesIncrementingOneCounter_LoseNoUpdate()
    {
        string path = _temp.Combine("counter.db");
        const int PerProcess = 150;
        using (var dict = new SqliteDictionary<long>(path))
        {
            dict["counter"] = 0;
        }

        Process first = StartHelper("count", path, PerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Process second = StartHelper("count", path, PerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WaitForLine(first, "READY");
        WaitForLine(second, "READY");

        // Release both at once so their transactions really contend.
        first.StandardInput.WriteLine("go");
        second.StandardInput.WriteLine("go");
        WaitForSuccess(first);
        WaitForSuccess(second);

        using var check = new SqliteDictionary<long>(path);
        check["counter"].ShouldBe(2 * PerProcess);
    }

    [Fact]
    public void Reader_InAnotherProcess_SeesOnlyCommittedData()
    {
        string path = _temp.Combine("shared.db");
        using var dict = new SqliteDictionary<long>(path);
        dict["answer"] = 42;

        Process reader = StartHelper("read", path, "answer");
        WaitForLine(reader, "42");
        reader.WaitForExit(ProcessTimeout).ShouldBeTrue();
        reader.ExitCode.ShouldBe(0);

        // A writer in another process holds an open transaction: this process sees nothing of it, and is not blocked.
        Process holder = StartHelper("hold", path, "pending", "7");
        WaitForLine(holder, "WRITTEN");
        dict.ContainsKey("pending").ShouldBeFalse();
        dict["answer"].ShouldBe(42);

        holder.StandardInput.WriteLine("commit");
        WaitForLine(holder, "COMMITTED");
        dict["pending"].ShouldBe(7);
        holder.StandardInput.WriteLine("exit");
        holder.WaitForExit(ProcessTimeout).ShouldBeTrue();
        holder.ExitCode.ShouldBe(0);
    }

    private Process StartHelper(params string[] args)
    {
        string helper = typeof(SqliteDictionaryProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "XSystem.Serialization.Sqlite.Helper").Value!;
        File.Exists(helper).ShouldBeTrue($"the helper was not built at {helper}");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(helper);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info)!;
        _processes.Add(process);
        return process;
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        // <dotnet root>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet root>/dotnet
        string candidate = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    private static void WaitForSuccess(Process process)
    {
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(ProcessTimeout).ShouldBeTrue("the helper did not finish in time");
        process.ExitCode.ShouldBe(0, stderr.Result);
        stdout.Result.ShouldContain("DONE");
    }

    private static void WaitForLine(Process process, string expected)
    {
        Task<string?> line = process.StandardOutput.ReadLineAsync();
        line.Wait(ProcessTimeout).ShouldBeTrue($"the helper did not print {expected} in time");
        line.Result.ShouldBe(expected, process.HasExited ? process.StandardError.ReadToEnd() : null);
    }
}
