using System.Text;
using XSystem.IO.Internal;

namespace XSystem.IO;

/// <summary>
/// Thrown by <see cref="SafeFile.ReadAllText"/> and <see cref="SafeFile.ReadAllTextAsync"/> when a file's bytes are not
/// valid in its encoding (and <see cref="SafeReadOptions.ReplaceInvalid"/> is off). The message names the file,
/// the encoding and the byte offset of the first invalid sequence; <see cref="Exception.InnerException"/> is the
/// <see cref="DecoderFallbackException"/> reported by the decoder.
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class FileDecodingException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file that could not be decoded.</param>
    /// <param name="encodingName">The encoding used, for example <c>"UTF-8"</c>.</param>
    /// <param name="byteOffset">The offset, from the start of the file, of the first invalid byte.</param>
    /// <param name="innerException">The decoder's exception, if any.</param>
    public FileDecodingException(string path, string encodingName, long byteOffset, DecoderFallbackException? innerException)
        : base(IOMessages.InvalidText(path, encodingName, byteOffset, FormatBytes(innerException?.BytesUnknown)), innerException)
    {
        Path = path;
        EncodingName = encodingName;
        ByteOffset = byteOffset;
    }

    /// <summary>The file that could not be decoded.</summary>
    public string Path { get; }

    /// <summary>The encoding the file was decoded with (detected from its byte order mark, or forced by the options).</summary>
    public string EncodingName { get; }

    /// <summary>The offset, from the start of the file (byte order mark included), of the first invalid byte.</summary>
    public long ByteOffset { get; }

    private static string FormatBytes(byte[]? bytes) =>
        bytes is null || bytes.Length == 0 ? "?" : Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 8)));
}
