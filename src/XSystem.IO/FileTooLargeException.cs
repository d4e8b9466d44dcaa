using XSystem.IO.Internal;

namespace XSystem.IO;

/// <summary>
/// Thrown by <see cref="SafeFile"/> when a file is larger than <see cref="SafeReadOptions.MaxBytes"/>, either before
/// reading (by its length) or while reading (when it grows past the limit). No more than <c>MaxBytes + 1</c>
/// bytes are ever read.
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class FileTooLargeException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="path">The file that is too large.</param>
    /// <param name="length">Its length in bytes (when it grew while read: the number of bytes seen, at least <paramref name="maxBytes"/> + 1).</param>
    /// <param name="maxBytes">The limit that was exceeded.</param>
    public FileTooLargeException(string path, long length, long maxBytes)
        : this(path, length, maxBytes, grew: false)
    {
    }

    internal FileTooLargeException(string path, long length, long maxBytes, bool grew)
        : base(IOMessages.FileTooLarge(path, length, maxBytes, grew))
    {
        Path = path;
        Length = length;
        MaxBytes = maxBytes;
    }

    /// <summary>The file that is too large.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes, or the number of bytes seen when it grew while being read.</summary>
    public long Length { get; }

    /// <summary>The limit (<see cref="SafeReadOptions.MaxBytes"/>) that was exceeded.</summary>
    public long MaxBytes { get; }
}
