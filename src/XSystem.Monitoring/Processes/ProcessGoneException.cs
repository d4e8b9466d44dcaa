namespace XSystem.Monitoring;

/// <summary>
/// The process does not exist (any more), exited while it was being read, or its pid now belongs to another process
/// (psutil <c>NoSuchProcess</c>).
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class ProcessGoneException : XSystemException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ProcessGoneException()
        : base("The process no longer exists.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ProcessGoneException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The underlying error.</param>
    public ProcessGoneException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a pid.</summary>
    /// <param name="pid">The process id.</param>
    /// <param name="reason">Why the process counts as gone; null for "does not exist".</param>
    public ProcessGoneException(int pid, string? reason = null)
        : base(ProcessMessages.Gone(pid, reason))
    {
        Pid = pid;
    }

    /// <summary>The process id, or 0 when not known.</summary>
    public int Pid { get; }
}
