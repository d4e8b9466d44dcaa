using System.Diagnostics;
using System.Globalization;
using XSystem.Ipc.Internal;

namespace XSystem.Ipc;

/// <summary>One supervised process: its start loop, restart policy, stop protocol and output ring.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The stop token source has no timer and holds no unmanaged resource.")]
internal sealed class ManagedProcess
{
    // Runs the real command in the new session/process group created by setsid and guards the group: a subshell
    // blocks reading the pipe the manager holds on our standard input and kills the whole group (SIGKILL to
    // process group 0) when that pipe reaches end-of-file, which is when the manager process is gone, however it died.
    // The shell itself ignores SIGTERM/SIGINT/SIGHUP sent to the group (they are meant for the command) and keeps
    // waiting until the command really exits, then exits with the command's status.
    internal const string GuardScript =
        "exec 3<&0\n" +
        "\"$@\" 3<&- </dev/null &\n" +
        "pid=$!\n" +
        "( trap '' TERM INT HUP; while read -r _ <&3; do :; done; kill -KILL 0 ) >/dev/null 2>&1 </dev/null &\n" +
        "wd=$!\n" +
        "exec 3<&-\n" +
        "trap ':' TERM INT HUP\n" +
        "while :; do wait \"$pid\"; code=$?; kill -0 \"$pid\" 2>/dev/null || break; done\n" +
        "kill -KILL \"$wd\" 2>/dev/null\n" +
        "exit \"$code\"\n";

    private static readonly string? SetsidPath = OperatingSystem.IsWindows() ? null
        : File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid"
        : File.Exists("/bin/setsid") ? "/bin/setsid"
        : null;

    private readonly ProcessManager _manager;
    private readonly ProcessSpec _spec;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _recentRestarts = new();
    private readonly TaskCompletionSource<ManagedProcessInfo> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Process? _process;
    private bool _useGroup;
    private ManagedProcessState _state = ManagedProcessState.Running;
    private int _processId;
    private int _restarts;
    private int? _exitCode;
    private string? _error;
    private DateTimeOffset _startedAt;
    private bool _stopRequested;
    private bool _restartRequested;

    public ManagedProcess(ProcessManager manager, string name, ProcessSpec spec, int outputLines)
    {
        _manager = manager;
        Name = name;
        _spec = spec;
        _time = manager.TimeProvider;
        Output = new OutputRing(outputLines);
    }

    public string Name { get; }

    public OutputRing Output { get; }

    public Task<ManagedProcessInfo> Final => _final.Task;

    public bool IsFinal => _final.Task.IsCompleted;

    public ManagedProcessInfo Info
    {
        get
        {
            lock (_lock)
            {
                TimeSpan uptime = _state is ManagedProcessState.Running or ManagedProcessState.Stopping ? _time.GetUtcNow() - _startedAt : TimeSpan.Zero;
                return new ManagedProcessInfo(Name, _processId, _state, _restarts, uptime < TimeSpan.Zero ? TimeSpan.Zero : uptime, _exitCode, _error);
            }
        }
    }

    /// <summary>Starts the first run synchronously (so a bad file name throws to the caller), then supervises in the background.</summary>
    public void Start()
    {
        StartProcess();
        _ = SuperviseAsync();
    }

    public void RequestStop(TimeSpan grace)
    {
        Process? process;
        lock (_lock)
        {
            if (_stopRequested || IsFinal)
            {
                return;
            }

            _stopRequested = true;
            process = _process;
            if (_state == ManagedProcessState.Running)
            {
                _state = ManagedProcessState.Stopping;
            }
        }

        _stop.Cancel(); // ends a backoff wait
        if (process is not null)
        {
            Terminate(process, grace);
        }
    }

    public void RequestRestart(TimeSpan grace)
    {
        Process? process;
        lock (_lock)
        {
            if (_stopRequested || IsFinal)
            {
                throw new InvalidOperationException($"The process '{Name}' is stopped or stopping; start it again with Start.");
            }

            _restartRequested = true;
            process = _process;
        }

        if (process is not null)
        {
            Terminate(process, grace);
        }
    }

    /// <summary>Kills the whole process group (or tree) at once; used when the manager is disposed.</summary>
    public void KillGroup()
    {
        int pid;
        Process? process;
        lock (_lock)
        {
            pid = _processId;
            process = _process;
        }

        if (_useGroup && pid > 0)
        {
            NativeProcess.SignalGroup(pid, NativeProcess.SigKill);
        }
        else if (process is not null)
        {
            KillTree(process);
        }
    }

    private void StartProcess()
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _useGroup = _manager.UseProcessGroups && SetsidPath is not null;
        if (_useGroup)
        {
            info.FileName = SetsidPath!;
            info.RedirectStandardInput = true; // the guard's lifeline: end-of-file here means the manager is gone
            info.ArgumentList.Add("/bin/sh");
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(GuardScript);
            info.ArgumentList.Add("xsys-guard");
            info.ArgumentList.Add(_spec.FileName);
        }
        else
        {
            info.FileName = _spec.FileName;
        }

        foreach (string argument in _spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (_spec.WorkingDirectory is not null)
        {
            info.WorkingDirectory = _spec.WorkingDirectory;
        }

        foreach (KeyValuePair<string, string?> variable in _spec.Environment)
        {
            if (variable.Value is null)
            {
                info.Environment.Remove(variable.Key);
            }
            else
            {
                info.Environment[variable.Key] = variable.Value;
            }
        }

        if (_useGroup && !IsExecutable(_spec.FileName, _spec.WorkingDirectory))
        {
            throw new FileNotFoundException($"Cannot start '{Name}': '{_spec.FileName}' is not an executable file and was not found in PATH.", _spec.FileName);
        }

        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new FileNotFoundException($"Cannot start '{Name}': '{_spec.FileName}' could not be executed ({ex.Message}).", _spec.FileName, ex);
        }

        _manager.Adopt(process);
        lock (_lock)
        {
            _process = process;
            _processId = process.Id;
            _startedAt = _time.GetUtcNow();
            _exitCode = null;
            _state = _stopRequested ? ManagedProcessState.Stopping : ManagedProcessState.Running;
        }
    }

    private async Task SuperviseAsync()
    {
        while (true)
        {
            Process process = _process!;
            Task stdout = PumpAsync(process.StandardOutput, OutputStreamKind.StandardOutput);
            Task stderr = PumpAsync(process.StandardError, OutputStreamKind.StandardError);
            await process.WaitForExitAsync().ConfigureAwait(false);
            if (_useGroup)
            {
                // Members the program left behind in its group (stray grandchildren) go with it, like a
                // control-group kill; this also releases pipes they might hold.
                NativeProcess.SignalGroup(process.Id, NativeProcess.SigKill);
            }

            // A grandchild outside the group may keep the pipes open; do not wait for it forever.
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            int exitCode = process.ExitCode;
            int pid = process.Id;
            process.Dispose();

            bool restart;
            bool immediate = false;
            string? failure = null;
            lock (_lock)
            {
                _process = null;
                _exitCode = exitCode;
                if (_stopRequested)
                {
                    restart = false;
                    _state = ManagedProcessState.Stopped;
                }
                else if (_restartRequested)
                {
                    _restartRequested = false;
                    restart = true;
                    immediate = true;
                }
                else
                {
                    restart = _spec.RestartPolicy == RestartPolicy.Always || (_spec.RestartPolicy == RestartPolicy.OnFailure && exitCode != 0);
                    if (restart)
                    {
                        DateTimeOffset now = _time.GetUtcNow();
                        while (_recentRestarts.Count > 0 && now - _recentRestarts.Peek() >= _spec.RestartWindow)
                        {
                            _recentRestarts.Dequeue();
                        }

                        if (_recentRestarts.Count >= _spec.MaxRestarts)
                        {
                            restart = false;
                            failure = string.Create(CultureInfo.InvariantCulture, $"'{Name}' exited with code {exitCode} after {_recentRestarts.Count} restarts within {_spec.RestartWindow}; the restart limit (MaxRestarts = {_spec.MaxRestarts}) was reached.");
                            _state = ManagedProcessState.Failed;
                            _error = failure;
                        }
                    }

                    if (!restart && failure is null)
                    {
                        _state = ManagedProcessState.Exited;
                    }
                }
            }

            _manager.RaiseExited(new ProcessExitedEventArgs(Name, pid, exitCode, restart));
            if (!restart)
            {
                break;
            }

            if (!immediate)
            {
                int exponent;
                lock (_lock)
                {
                    exponent = _recentRestarts.Count;
                }

                double ticks = Math.Min(_spec.MaxRestartDelay.Ticks, _spec.InitialRestartDelay.Ticks * Math.Pow(2, Math.Min(exponent, 30)));
                Task delay = Task.Delay(TimeSpan.FromTicks((long)ticks), _time, _stop.Token);
                lock (_lock)
                {
                    if (!_stopRequested)
                    {
                        _state = ManagedProcessState.BackingOff;
                    }
                }

                try
                {
                    await delay.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    lock (_lock)
                    {
                        _state = ManagedProcessState.Stopped;
                    }

                    break;
                }
            }

            lock (_lock)
            {
                if (_stopRequested)
                {
                    _state = ManagedProcessState.Stopped;
                    break;
                }

                _restarts++;
                _recentRestarts.Enqueue(_time.GetUtcNow());
            }

            try
            {
                StartProcess();
            }
            catch (FileNotFoundException ex)
            {
                lock (_lock)
                {
                    _state = ManagedProcessState.Failed;
                    _error = ex.Message;
                }

                break;
            }
        }

        Output.Complete();
        _final.TrySetResult(Info);
    }

    private async Task PumpAsync(StreamReader reader, OutputStreamKind kind)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Output.Append(Name, kind, line, _time.GetUtcNow());
            }
        }
        catch (IOException)
        {
            // The pipe broke; the process is gone.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Terminate(Process process, TimeSpan grace)
    {
        int pid;
        try
        {
            pid = process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            KillTree(process); // Windows has no SIGTERM for console programs started without a console of their own
            return;
        }

        if (_useGroup)
        {
            NativeProcess.SignalGroup(pid, NativeProcess.SigTerm);
        }
        else
        {
            NativeProcess.Signal(pid, NativeProcess.SigTerm);
        }

        _ = KillAfterAsync(process, pid, grace);
    }

    private async Task KillAfterAsync(Process process, int pid, TimeSpan grace)
    {
        try
        {
            await Task.Delay(grace, _time).ConfigureAwait(false);
        }
        catch (ArgumentOutOfRangeException)
        {
            return;
        }

        bool stillRunning;
        lock (_lock)
        {
            stillRunning = ReferenceEquals(_process, process);
        }

        if (stillRunning)
        {
            if (_useGroup)
            {
                NativeProcess.SignalGroup(pid, NativeProcess.SigKill);
            }
            else
            {
                KillTree(process);
            }
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private static bool IsExecutable(string fileName, string? workingDirectory)
    {
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            string path = Path.IsPathRooted(fileName) || workingDirectory is null ? fileName : Path.Combine(workingDirectory, fileName);
            return File.Exists(path);
        }

        string? pathVariable = Environment.GetEnvironmentVariable("PATH");
        return pathVariable is not null && pathVariable.Split(Path.PathSeparator).Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, fileName)));
    }
}
