namespace XSystem.Ipc;

/// <summary>Options for <see cref="SharedMemorySegment"/> and <see cref="SharedMemoryManager"/>.</summary>
/// <remarks>Thread safety: set the options before use; they are read, not changed.</remarks>
public sealed class SharedMemoryOptions
{
    /// <summary>The shared default options.</summary>
    public static SharedMemoryOptions Default { get; } = new();

    /// <summary>
    /// The directory that holds the segment files (<c>NAME.shm</c>) and their lock files (<c>NAME.shm.lock</c>); every
    /// process sharing a segment must use the same one. Default null: <c>/dev/shm/xsystem</c> on Linux (memory-backed,
    /// never written to disk), otherwise <c>xsystem-shm</c> under the temp directory.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>The longest wait for a segment's write lock. Default 10 seconds.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal string ResolveDirectory()
    {
        if (Directory is { Length: > 0 } dir)
        {
            return Path.GetFullPath(dir);
        }

        return OperatingSystem.IsLinux() && System.IO.Directory.Exists("/dev/shm")
            ? "/dev/shm/xsystem"
            : Path.Combine(Path.GetTempPath(), "xsystem-shm");
    }
}

/// <summary>A value does not fit the capacity of a shared memory segment.</summary>
/// <remarks>Thread safety: exception instances are not meant to be shared.</remarks>
public sealed class SharedMemoryCapacityException : IOException
{
    /// <summary>Creates the exception.</summary>
    public SharedMemoryCapacityException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public SharedMemoryCapacityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SharedMemoryCapacityException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The encoded size of the value in bytes.</summary>
    public long RequiredBytes { get; init; }

    /// <summary>The segment's payload capacity in bytes.</summary>
    public long Capacity { get; init; }
}

/// <summary>A shared memory segment's file is not a segment, or its content was torn by a writer that crashed mid-write.</summary>
/// <remarks>Thread safety: exception instances are not meant to be shared.</remarks>
public sealed class SharedMemoryCorruptedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public SharedMemoryCorruptedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public SharedMemoryCorruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SharedMemoryCorruptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
