namespace XSystem.Http;

/// <summary>
/// A downloaded file did not match the expected SHA-256 digest. The target file was left untouched and the partial
/// file was deleted.
/// </summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class DownloadChecksumException : IOException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public DownloadChecksumException()
        : this("The downloaded content did not match the expected SHA-256 digest.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DownloadChecksumException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying exception.</param>
    public DownloadChecksumException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal DownloadChecksumException(string path, Uri? uri, string expected, string actual)
        : base($"The download of {uri} to '{path}' has SHA-256 {actual}, expected {expected}. The target was not changed; check the expected digest or the source.")
    {
        Path = path;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The target path.</summary>
    public string? Path { get; }

    /// <summary>The expected digest (lowercase hex).</summary>
    public string? Expected { get; }

    /// <summary>The digest of what was received (lowercase hex).</summary>
    public string? Actual { get; }
}
