namespace XSystem.Monitoring;

/// <summary>The scheduler state of a process (the state letter of <c>/proc/&lt;pid&gt;/stat</c> on Linux).</summary>
/// <remarks>Thread safety: an enum; immutable.</remarks>
public enum ProcessStatus
{
    /// <summary>A state this library does not know.</summary>
    Unknown = 0,

    /// <summary>Running or runnable (R).</summary>
    Running,

    /// <summary>Sleeping in an interruptible wait (S).</summary>
    Sleeping,

    /// <summary>Waiting in uninterruptible disk sleep (D).</summary>
    DiskSleep,

    /// <summary>Stopped by a signal such as SIGSTOP (T).</summary>
    Stopped,

    /// <summary>Stopped by a debugger during tracing (t).</summary>
    TracingStop,

    /// <summary>Exited but not yet reaped by its parent (Z).</summary>
    Zombie,

    /// <summary>Dead (X); should never be seen.</summary>
    Dead,

    /// <summary>Wake-kill (K; Linux 2.6.33 to 3.13).</summary>
    WakeKill,

    /// <summary>Waking (W; Linux 2.6.33 to 3.13) or paging (before 2.6.0).</summary>
    Waking,

    /// <summary>Parked kernel thread (P; Linux 3.9 to 3.13).</summary>
    Parked,

    /// <summary>Idle kernel thread (I; Linux 4.14 and later).</summary>
    Idle,
}
