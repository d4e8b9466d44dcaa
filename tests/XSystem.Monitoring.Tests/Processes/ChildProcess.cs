using System.Diagnostics;

namespace XSystem.Monitoring.Tests;

/// <summary>A real child process for the tests; killed and reaped on dispose, even when the test failed.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly string? _tempDirectory;

    private ChildProcess(Process process, string? tempDirectory)
    {
        _process = process;
        _tempDirectory = tempDirectory;
    }

    public int Pid => _process.Id;

    public string? ExecutablePath { get; private init; }

    /// <summary>Starts <paramref name="file"/> with arguments and waits until its exec has happened (comm equals <paramref name="expectedName"/>).</summary>
    public static ChildProcess Start(string file, string expectedName, params string[] args) => StartCore(file, expectedName, null, args);

    /// <summary>Starts a copy of /bin/sleep under a new file name, so its kernel name (comm) is that name.</summary>
    public static ChildProcess StartRenamedSleep(string name, int seconds)
    {
        string dir = Directory.CreateTempSubdirectory("xsys-proc-").FullName;
        string path = Path.Combine(dir, name);
        File.Copy("/bin/sleep", path);
        return StartCore(path, name, dir, [seconds.ToString(global::System.Globalization.CultureInfo.InvariantCulture)]);
    }

    private static ChildProcess StartCore(string file, string expectedName, string? tempDirectory, string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var child = new ChildProcess(process, tempDirectory) { ExecutablePath = file };
        try
        {
            // Between fork and exec the child still carries the test host's name; wait for exec.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                string stat = File.ReadAllText($"/proc/{process.Id}/stat");
                if (stat.Contains("(" + expectedName[..Math.Min(15, expectedName.Length)] + ")", StringComparison.Ordinal))
                {
                    return child;
                }

                Thread.Sleep(5);
            }

            throw new TimeoutException($"{file} did not exec within 10 s.");
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>Runs a command and returns its standard output.</summary>
    public static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
            if (_tempDirectory is not null)
            {
                Directory.Delete(_tempDirectory, recursive: true);
            }
        }
    }
}
