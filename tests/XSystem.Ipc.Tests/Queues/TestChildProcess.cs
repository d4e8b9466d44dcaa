using System.Diagnostics;
using System.Runtime.InteropServices;

namespace XSystem.Ipc.Tests.Queues;

/// <summary>
/// A running XSystem.Ipc.TestChild process whose stdout lines are collected in the background. Disposing kills it
/// (SIGKILL) if it still runs, so a failing test never leaves a child behind.
/// </summary>
public sealed class TestChildProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _pump;

    private TestChildProcess(Process process)
    {
        _process = process;
        _pump = Task.Run(PumpAsync);
    }

    public int Id => _process.Id;

    /// <summary>The lines printed so far (after "ready"), a snapshot.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public static async Task<TestChildProcess> StartAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "XSystem.Ipc.TestChild.dll");
        File.Exists(dll).ShouldBeTrue($"the test child was not copied next to the tests: {dll}");
        var info = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var child = new TestChildProcess(Process.Start(info)!);
        try
        {
            await child._ready.Task.WaitAsync(StartTimeout, cancellationToken);
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>Kills the child with SIGKILL and waits until its output is fully read.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(cancellationToken);
        await _pump.WaitAsync(cancellationToken);
    }

    /// <summary>Waits for the child to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await _process.WaitForExitAsync(limit.Token);
        await _pump.WaitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    private async Task PumpAsync()
    {
        string? error = null;
        Task<string> stderr = _process.StandardError.ReadToEndAsync();
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "ready")
            {
                _ready.TrySetResult();
                continue;
            }

            lock (_lines)
            {
                _lines.Add(line);
            }
        }

        error = await stderr;
        _ready.TrySetException(new InvalidOperationException($"the test child exited before it was ready: {error}"));
    }

    /// <summary>The <c>dotnet</c> host that runs this test: four levels above the shared runtime directory.</summary>
    private static string DotnetHost()
    {
        string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        string root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}

/// <summary>A fresh directory under the system temp folder, deleted with its content on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("xsystem-ipc-").FullName;

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
