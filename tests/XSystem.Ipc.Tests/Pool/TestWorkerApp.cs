using System.Diagnostics;
using System.Runtime.InteropServices;

namespace XSystem.Ipc.Tests;

/// <summary>Locates the dotnet host and the XSystem.Ipc.TestWorker dll copied next to the tests.</summary>
internal static class TestWorkerApp
{
    public static string Dll
    {
        get
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "XSystem.Ipc.TestWorker.dll");
            File.Exists(dll).ShouldBeTrue($"the test worker was not copied next to the tests: {dll}");
            return dll;
        }
    }

    /// <summary>The <c>dotnet</c> host that runs this test: four levels above the shared runtime directory.</summary>
    public static string DotnetHost()
    {
        string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        string root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }

    public static ProcessPoolOptions PoolOptions(string role = "pool", int workers = 2)
    {
        var options = new ProcessPoolOptions { WorkerFileName = DotnetHost(), WorkerCount = workers };
        options.WorkerArguments.Add(Dll);
        options.WorkerArguments.Add(role);
        options.Environment["DOTNET_TieredPGO"] = "0"; // start faster on the loaded test machine
        return options;
    }

    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(Dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            // A zombie (exited, not yet reaped by its parent) counts as gone.
            string stat = File.Exists($"/proc/{pid}/stat") ? File.ReadAllText($"/proc/{pid}/stat") : "";
            int close = stat.LastIndexOf(')');
            return !(close > 0 && stat.Length > close + 2 && stat[close + 2] == 'Z');
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
