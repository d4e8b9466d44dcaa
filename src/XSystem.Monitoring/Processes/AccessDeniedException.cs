namespace XSystem.Monitoring;

/// <summary>
/// The operating system refused to show or control part of a process that belongs to another user
/// (psutil <c>AccessDenied</c>). Derives from <see cref="UnauthorizedAccessException"/>.
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class AccessDeniedException : UnauthorizedAccessException
{
    /// <summary>Creates the exception with a default message.</summary>
    public AccessDeniedException()
        : base("Access to the process was denied.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was denied.</param>
    public AccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was denied.</param>
    /// <param name="innerException">The underlying error.</param>
    public AccessDeniedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a pid and the thing that was denied.</summary>
    /// <param name="pid">The process id.</param>
    /// <param name="what">What was denied, for example <c>/proc/42/io</c> or <c>SIGKILL</c>.</param>
    public AccessDeniedException(int pid, string what)
        : base(ProcessMessages.Denied(pid, what))
    {
        Pid = pid;
        What = what;
    }

    /// <summary>The process id, or 0 when not known.</summary>
    public int Pid { get; }

    /// <summary>What was denied (a /proc path or a signal name), or null when not known.</summary>
    public string? What { get; }
}
