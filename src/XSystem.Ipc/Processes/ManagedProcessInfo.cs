namespace XSystem.Ipc;

/// <summary>The life-cycle state of a process supervised by a <see cref="ProcessManager"/>.</summary>
public enum ManagedProcessState
{
    /// <summary>Running.</summary>
    Running,

    /// <summary>Exited; waiting for the backoff delay before the next restart.</summary>
    BackingOff,

    /// <summary>A stop was requested; waiting for the process to exit (SIGTERM sent, SIGKILL after the grace period).</summary>
    Stopping,

    /// <summary>Stopped through the manager; will not restart.</summary>
    Stopped,

    /// <summary>Exited and the restart policy does not restart it.</summary>
    Exited,

    /// <summary>Could not be started, or exceeded <see cref="ProcessSpec.MaxRestarts"/> within the restart window.</summary>
    Failed,
}

/// <summary>A snapshot of one supervised process, as returned by <see cref="ProcessManager.List"/>.</summary>
/// <param name="Name">The name it was started under.</param>
/// <param name="ProcessId">The process id of the current (or last) run; 0 if it never started.</param>
/// <param name="State">The life-cycle state.</param>
/// <param name="Restarts">How many times it was restarted.</param>
/// <param name="Uptime">Time since the current run started; <see cref="TimeSpan.Zero"/> when not running.</param>
/// <param name="ExitCode">The exit code of the last run (128 + signal number when killed by a signal on Unix); <see langword="null"/> while it has not exited yet.</param>
/// <param name="Error">Why the state is <see cref="ManagedProcessState.Failed"/>, else <see langword="null"/>.</param>
/// <remarks>Thread safety: immutable value.</remarks>
public sealed record ManagedProcessInfo(string Name, int ProcessId, ManagedProcessState State, int Restarts, TimeSpan Uptime, int? ExitCode, string? Error)
{
    /// <summary>Whether the state is final (<see cref="ManagedProcessState.Stopped"/>, <see cref="ManagedProcessState.Exited"/> or <see cref="ManagedProcessState.Failed"/>).</summary>
    public bool IsFinal => State is ManagedProcessState.Stopped or ManagedProcessState.Exited or ManagedProcessState.Failed;
}

/// <summary>Which stream an <see cref="OutputLine"/> came from.</summary>
public enum OutputStreamKind
{
    /// <summary>Standard output.</summary>
    StandardOutput,

    /// <summary>Standard error.</summary>
    StandardError,
}

/// <summary>One line a supervised process wrote.</summary>
/// <param name="ProcessName">The managed name.</param>
/// <param name="Stream">Standard output or standard error.</param>
/// <param name="Text">The line without its line break.</param>
/// <param name="Timestamp">When the manager read it.</param>
/// <param name="Sequence">Position in the process's output (stdout and stderr together), from 1; gaps mean lines dropped from the bounded buffer before a slow reader got them.</param>
/// <remarks>Thread safety: immutable value.</remarks>
public sealed record OutputLine(string ProcessName, OutputStreamKind Stream, string Text, DateTimeOffset Timestamp, long Sequence);

/// <summary>Arguments of <see cref="ProcessManager.Exited"/>.</summary>
/// <remarks>Thread safety: immutable.</remarks>
public sealed class ProcessExitedEventArgs : EventArgs
{
    internal ProcessExitedEventArgs(string name, int processId, int exitCode, bool willRestart)
    {
        Name = name;
        ProcessId = processId;
        ExitCode = exitCode;
        WillRestart = willRestart;
    }

    /// <summary>The managed name.</summary>
    public string Name { get; }

    /// <summary>The process id of the run that ended.</summary>
    public int ProcessId { get; }

    /// <summary>Its exit code (128 + signal number when killed by a signal on Unix).</summary>
    public int ExitCode { get; }

    /// <summary>Whether the restart policy will start it again (after the backoff delay).</summary>
    public bool WillRestart { get; }
}

/// <summary>Settings of a <see cref="ProcessManager"/>.</summary>
/// <remarks>Thread safety: set before creating the manager.</remarks>
public sealed class ProcessManagerOptions
{
    /// <summary>Most processes that may be supervised at once (not in a final state). Default 2 x processor count.</summary>
    public int MaxProcesses { get; set; } = Math.Max(2, System.Environment.ProcessorCount * 2);

    /// <summary>Lines of output (stdout and stderr together) kept per process. Default 1000.</summary>
    public int OutputBufferLines { get; set; } = 1000;

    /// <summary>Grace period between SIGTERM and SIGKILL when the manager is disposed. Default 5 seconds.</summary>
    public TimeSpan DisposeGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Start each Unix child in its own session and process group through <c>setsid</c>, watched by a small shell
    /// guard that kills the group when the manager's process dies (see docs/ipc-processes.md). Default
    /// <see langword="true"/>; ignored where <c>setsid</c> is missing (macOS) and on Windows (a kill-on-close job object is used there).
    /// </summary>
    public bool UseProcessGroups { get; set; } = true;

    /// <summary>Clock for backoff delays, grace periods and uptime. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
