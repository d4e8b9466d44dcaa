namespace XSystem.IO;

/// <summary>
/// Thrown by <see cref="PathGuard.Resolve(string)"/> when an untrusted path would leave the guard's root or is not a
/// safe name. Derives from <see cref="UnauthorizedAccessException"/>: the input asks for access it must not get,
/// and existing <c>catch (UnauthorizedAccessException)</c> handlers treat it as a denied access.
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class UnsafePathException : UnauthorizedAccessException
{
    /// <summary>Creates an exception with a default message.</summary>
    public UnsafePathException()
        : this("The path is not safe to use under the guarded root.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    public UnsafePathException(string message)
        : base(message)
    {
        UntrustedPath = string.Empty;
        Root = string.Empty;
    }

    /// <summary>Creates an exception with the given message and the exception that caused it.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public UnsafePathException(string message, Exception? innerException)
        : base(message, innerException)
    {
        UntrustedPath = string.Empty;
        Root = string.Empty;
    }

    /// <summary>Creates an exception describing a rejected path.</summary>
    /// <param name="untrustedPath">The input as the caller passed it.</param>
    /// <param name="root">The canonical root of the guard.</param>
    /// <param name="reason">Why the path was rejected.</param>
    /// <param name="message">What was wrong, where, and what to do.</param>
    public UnsafePathException(string untrustedPath, string root, UnsafePathReason reason, string message)
        : base(message)
    {
        UntrustedPath = untrustedPath;
        Root = root;
        Reason = reason;
    }

    /// <summary>The rejected input, exactly as passed (it may contain control characters; escape it before logging).</summary>
    public string UntrustedPath { get; }

    /// <summary>The canonical root directory of the guard that rejected the path.</summary>
    public string Root { get; }

    /// <summary>Why the path was rejected.</summary>
    public UnsafePathReason Reason { get; }
}


/// <summary>Why <see cref="PathGuard"/> rejected a path.</summary>
public enum UnsafePathReason
{
    /// <summary>The path was accepted (the value <see cref="PathGuard.TryResolve(string, out string, out UnsafePathReason)"/> reports on success).</summary>
    None = 0,

    /// <summary>A <c>..</c> component would step above the root.</summary>
    Traversal,

    /// <summary>An absolute path (or drive-relative path on Windows) that does not lie inside the root.</summary>
    OutsideRoot,

    /// <summary>A symbolic link (or junction), at any level of the path, leads outside the root.</summary>
    SymlinkEscape,

    /// <summary>More than 40 symbolic links had to be followed (a loop, or a chain too long to trust).</summary>
    SymlinkLoop,

    /// <summary>A control character (U+0000-U+001F, U+007F), or with portable names one of <c>&lt; &gt; " | ? *</c>.</summary>
    InvalidCharacter,

    /// <summary>A Windows reserved device name such as <c>CON</c>, <c>NUL</c>, <c>COM1</c> or <c>nul.txt</c>.</summary>
    ReservedName,

    /// <summary>A colon in a name: NTFS alternate data stream syntax such as <c>a.txt:zone</c>.</summary>
    AlternateDataStream,

    /// <summary>A name that ends in a dot or a space, which Windows silently strips.</summary>
    TrailingDotOrSpace,

    /// <summary>The input or the resolved path is longer than <see cref="PathGuardOptions.MaxPathLength"/>.</summary>
    PathTooLong,

    /// <summary>A single name is longer than <see cref="PathGuardOptions.MaxComponentLength"/>.</summary>
    ComponentTooLong,
}
