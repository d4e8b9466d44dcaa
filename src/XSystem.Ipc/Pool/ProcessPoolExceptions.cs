namespace XSystem.Ipc;

/// <summary>
/// The worker process that ran (or was about to answer) a task died: it crashed, was killed after another task's
/// timeout, ran out of memory, or broke the frame protocol. The pool has replaced the worker; resubmit the task if it is
/// safe to run again.
/// </summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class WorkerCrashedException : XSystemException
{
    /// <summary>Creates the exception with a default message.</summary>
    public WorkerCrashedException()
        : base("A process-pool worker died.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public WorkerCrashedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause (for example a <see cref="MessageFrameException"/>).</param>
    public WorkerCrashedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The worker's process id, or 0 if unknown.</summary>
    public int WorkerProcessId { get; init; }

    /// <summary>The worker's exit code, if it had exited when the failure was reported.</summary>
    public int? ExitCode { get; init; }
}

/// <summary>A task's handler threw inside the worker. The worker is healthy and keeps serving.</summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class ProcessPoolTaskException : XSystemException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ProcessPoolTaskException()
        : base("A process-pool task failed in its worker.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ProcessPoolTaskException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public ProcessPoolTaskException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The full name of the exception type thrown in the worker.</summary>
    public string RemoteExceptionType { get; init; } = "";

    /// <summary>The handler that threw.</summary>
    public string Handler { get; init; } = "";
}
