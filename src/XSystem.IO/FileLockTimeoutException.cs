namespace XSystem.IO;

/// <summary>Thrown by <see cref="FileLock.Acquire"/> and <see cref="FileLock.AcquireAsync"/> when the lock stays held by
/// someone else for the whole timeout.</summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class FileLockTimeoutException : TimeoutException
{
    /// <summary>Creates an exception with a default message.</summary>
    public FileLockTimeoutException()
        : base("The file lock could not be acquired in time.")
    {
        LockPath = string.Empty;
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    public FileLockTimeoutException(string message)
        : base(message)
    {
        LockPath = string.Empty;
    }

    /// <summary>Creates an exception with the given message and the exception that caused it.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public FileLockTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
        LockPath = string.Empty;
    }

    /// <summary>Creates an exception for a lock that was still held when the timeout elapsed.</summary>
    /// <param name="lockPath">The full path of the lock file.</param>
    /// <param name="timeout">How long the caller waited.</param>
    /// <param name="holderProcessId">The process id the holder wrote into the lock file, when known.</param>
    /// <param name="message">What was wrong, where, and what to do.</param>
    public FileLockTimeoutException(string lockPath, TimeSpan timeout, int? holderProcessId, string message)
        : base(message)
    {
        LockPath = lockPath;
        Timeout = timeout;
        HolderProcessId = holderProcessId;
    }

    /// <summary>The full path of the lock file.</summary>
    public string LockPath { get; }

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The process id of the holder as recorded in the lock file (Linux and macOS only); <see langword="null"/> when unknown.</summary>
    public int? HolderProcessId { get; }
}
