using System.Buffers;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace XSystem.IO;

/// <summary>
/// Reads files with a size limit and strict decoding, and writes them atomically through <see cref="AtomicFile"/>.
/// </summary>
/// <remarks>
/// <para>
/// Reads check the length against <see cref="SafeReadOptions.MaxBytes"/> (default 100 MiB) before reading and never
/// read more than <c>MaxBytes + 1</c> bytes, so a file that grows while being read cannot exhaust memory. Text
/// reads detect the encoding from the byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE; UTF-8 without one) and
/// throw <see cref="FileDecodingException"/>, naming the byte offset, on invalid bytes unless
/// <see cref="SafeReadOptions.ReplaceInvalid"/> is set.
/// </para>
/// <para>Thread safety: all members are stateless and safe to call from any thread.</para>
/// </remarks>
public static class SafeFile
{
    private const int UnknownLengthBuffer = 16 * 1024;

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UTF8Encoding Utf8Replace = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly UnicodeEncoding Utf16LeStrict = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding Utf16LeReplace = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: false);
    private static readonly UnicodeEncoding Utf16BeStrict = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding Utf16BeReplace = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: false);
    private static readonly UTF32Encoding Utf32LeStrict = new(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true);
    private static readonly UTF32Encoding Utf32LeReplace = new(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: false);
    private static readonly UTF32Encoding Utf32BeStrict = new(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true);
    private static readonly UTF32Encoding Utf32BeReplace = new(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: false);

    /// <summary>Reads a whole file as text, with a size limit, encoding detection and strict decoding.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">Limit and decoding settings; <see langword="null"/> means <see cref="SafeReadOptions.Default"/>.</param>
    /// <returns>The decoded text, without the byte order mark.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FileTooLargeException">The file is larger than <see cref="SafeReadOptions.MaxBytes"/>, or grew past it while read.</exception>
    /// <exception cref="FileDecodingException">The bytes are not valid in the encoding and <see cref="SafeReadOptions.ReplaceInvalid"/> is off.</exception>
    public static string ReadAllText(string path, SafeReadOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(path);
        options ??= SafeReadOptions.Default;
        using SafeFileHandle handle = OpenRead(path);
        long length = CheckLength(handle, path, options.MaxBytes);

        // One pooled buffer with room for one byte more than expected: the read that returns 0 proves the end.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length == 0 ? UnknownLengthBuffer : (int)length + 1);
        try
        {
            int count = ReadToEnd(handle, path, options.MaxBytes, ref buffer, 0);
            return Decode(path, buffer.AsSpan(0, count), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Asynchronously reads a whole file as text; see <see cref="ReadAllText"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">Limit and decoding settings; <see langword="null"/> means <see cref="SafeReadOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The decoded text, without the byte order mark.</returns>
    /// <exception cref="FileTooLargeException">The file is larger than <see cref="SafeReadOptions.MaxBytes"/>.</exception>
    /// <exception cref="FileDecodingException">The bytes are not valid in the encoding.</exception>
    public static async Task<string> ReadAllTextAsync(string path, SafeReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrEmptyPath(path);
        options ??= SafeReadOptions.Default;
        cancellationToken.ThrowIfCancellationRequested();
        using SafeFileHandle handle = OpenRead(path);
        long length = CheckLength(handle, path, options.MaxBytes);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length == 0 ? UnknownLengthBuffer : (int)length + 1);
        try
        {
            (buffer, int count) = await ReadToEndAsync(handle, path, options.MaxBytes, buffer, 0, cancellationToken).ConfigureAwait(false);
            return Decode(path, buffer.AsSpan(0, count), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a whole file as bytes, with a size limit.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">The limit; <see langword="null"/> means <see cref="SafeReadOptions.Default"/>. Decoding settings are ignored.</param>
    /// <returns>The file's content.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FileTooLargeException">The file is larger than <see cref="SafeReadOptions.MaxBytes"/>, or grew past it while read.</exception>
    public static byte[] ReadAllBytes(string path, SafeReadOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(path);
        options ??= SafeReadOptions.Default;
        using SafeFileHandle handle = OpenRead(path);
        long length = CheckLength(handle, path, options.MaxBytes);
        if (length > 0)
        {
            // Fast path: an exact-size array, then a one-byte probe proves the file did not grow.
            byte[] exact = new byte[length];
            int filled = ReadFully(handle, exact);
            if (filled < exact.Length)
            {
                return exact.AsSpan(0, filled).ToArray(); // it shrank while read
            }

            Span<byte> probe = stackalloc byte[1];
            if (RandomAccess.Read(handle, probe, filled) == 0)
            {
                return exact;
            }

            return ReadGrowing(handle, path, options.MaxBytes, exact, probe[0]);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(UnknownLengthBuffer);
        try
        {
            int count = ReadToEnd(handle, path, options.MaxBytes, ref buffer, 0);
            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Asynchronously reads a whole file as bytes; see <see cref="ReadAllBytes"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">The limit; <see langword="null"/> means <see cref="SafeReadOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file's content.</returns>
    /// <exception cref="FileTooLargeException">The file is larger than <see cref="SafeReadOptions.MaxBytes"/>.</exception>
    public static async Task<byte[]> ReadAllBytesAsync(string path, SafeReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrEmptyPath(path);
        options ??= SafeReadOptions.Default;
        cancellationToken.ThrowIfCancellationRequested();
        using SafeFileHandle handle = OpenRead(path);
        long length = CheckLength(handle, path, options.MaxBytes);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length == 0 ? UnknownLengthBuffer : (int)length + 1);
        try
        {
            (buffer, int count) = await ReadToEndAsync(handle, path, options.MaxBytes, buffer, 0, cancellationToken).ConfigureAwait(false);
            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Atomically writes text; the same as <see cref="AtomicFile.WriteAllText"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="contents">The complete new text.</param>
    /// <param name="encoding">The encoding; default UTF-8 without BOM.</param>
    /// <param name="options">Durability, backup and permission settings.</param>
    public static void WriteAllText(string path, string contents, Encoding? encoding = null, AtomicWriteOptions? options = null) =>
        AtomicFile.WriteAllText(path, contents, encoding, options);

    /// <summary>Atomically writes bytes; the same as <see cref="AtomicFile.WriteAllBytes"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="bytes">The complete new content.</param>
    /// <param name="options">Durability, backup and permission settings.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, AtomicWriteOptions? options = null) =>
        AtomicFile.WriteAllBytes(path, bytes, options);

    /// <summary>Asynchronously and atomically writes text; the same as <see cref="AtomicFile.WriteAllTextAsync"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="contents">The complete new text.</param>
    /// <param name="encoding">The encoding; default UTF-8 without BOM.</param>
    /// <param name="options">Durability, backup and permission settings.</param>
    /// <param name="cancellationToken">Cancels the write before the rename.</param>
    /// <returns>A task that completes when the new content is in place.</returns>
    public static Task WriteAllTextAsync(string path, string contents, Encoding? encoding = null, AtomicWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, contents, encoding, options, cancellationToken);

    /// <summary>Asynchronously and atomically writes bytes; the same as <see cref="AtomicFile.WriteAllBytesAsync"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="bytes">The complete new content.</param>
    /// <param name="options">Durability, backup and permission settings.</param>
    /// <param name="cancellationToken">Cancels the write before the rename.</param>
    /// <returns>A task that completes when the new content is in place.</returns>
    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, AtomicWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllBytesAsync(path, bytes, options, cancellationToken);

    private static SafeFileHandle OpenRead(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);

    /// <summary>Returns the file's length, or throws when it exceeds the limit (before anything is read).</summary>
    private static long CheckLength(SafeFileHandle handle, string path, long maxBytes)
    {
        long length = RandomAccess.GetLength(handle);
        if (length > maxBytes)
        {
            throw new FileTooLargeException(path, length, maxBytes);
        }

        return length;
    }

    private static int ReadFully(SafeFileHandle handle, byte[] buffer)
    {
        int count = 0;
        while (count < buffer.Length)
        {
            int read = RandomAccess.Read(handle, buffer.AsSpan(count), count);
            if (read == 0)
            {
                break;
            }

            count += read;
        }

        return count;
    }

    private static byte[] ReadGrowing(SafeFileHandle handle, string path, long maxBytes, byte[] head, byte probe)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)head.Length * 2, maxBytes + 1));
        try
        {
            head.CopyTo(buffer, 0);
            buffer[head.Length] = probe;
            int count = ReadToEnd(handle, path, maxBytes, ref buffer, head.Length + 1);
            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads from <paramref name="count"/> to the end into pooled <paramref name="buffer"/>, growing it as needed, and
    /// throws once more than <paramref name="maxBytes"/> bytes were seen: at most <c>maxBytes + 1</c> bytes are read.
    /// </summary>
    private static int ReadToEnd(SafeFileHandle handle, string path, long maxBytes, ref byte[] buffer, int count)
    {
        long limit = maxBytes + 1;
        while (true)
        {
            int room = (int)Math.Min(buffer.Length, limit) - count;
            if (room == 0)
            {
                Grow(path, maxBytes, ref buffer, count);
                continue;
            }

            int read = RandomAccess.Read(handle, buffer.AsSpan(count, room), count);
            if (read == 0)
            {
                return count;
            }

            count += read;
        }
    }

    private static async Task<(byte[] Buffer, int Count)> ReadToEndAsync(
        SafeFileHandle handle, string path, long maxBytes, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        long limit = maxBytes + 1;
        while (true)
        {
            int room = (int)Math.Min(buffer.Length, limit) - count;
            if (room == 0)
            {
                Grow(path, maxBytes, ref buffer, count);
                continue;
            }

            int read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(count, room), count, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (buffer, count);
            }

            count += read;
        }
    }

    /// <summary>Throws when the limit was passed; otherwise swaps <paramref name="buffer"/> for a pooled one twice as large.</summary>
    private static void Grow(string path, long maxBytes, ref byte[] buffer, int count)
    {
        if (count > maxBytes)
        {
            throw new FileTooLargeException(path, count, maxBytes, grew: true);
        }

        int size = (int)Math.Min(Math.Max((long)buffer.Length * 2, UnknownLengthBuffer), maxBytes + 1);
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }

    private static string Decode(string path, ReadOnlySpan<byte> bytes, SafeReadOptions options)
    {
        Encoding encoding;
        int skip;
        if (options.ForcedDecoder is { } forced)
        {
            encoding = forced;
            ReadOnlySpan<byte> preamble = forced.Preamble;
            skip = !preamble.IsEmpty && bytes.StartsWith(preamble) ? preamble.Length : 0;
        }
        else
        {
            (encoding, skip) = DetectEncoding(bytes, options.ReplaceInvalid);
        }

        try
        {
            return encoding.GetString(bytes[skip..]);
        }
        catch (DecoderFallbackException ex)
        {
            throw new FileDecodingException(path, DisplayName(encoding), skip + (long)Math.Max(ex.Index, 0), ex);
        }
    }

    private static (Encoding Encoding, int BomLength) DetectEncoding(ReadOnlySpan<byte> bytes, bool replace)
    {
        if (bytes.Length >= 2)
        {
            byte b0 = bytes[0], b1 = bytes[1];
            if (b0 == 0xEF && b1 == 0xBB && bytes.Length >= 3 && bytes[2] == 0xBF)
            {
                return (replace ? Utf8Replace : Utf8Strict, 3);
            }

            if (b0 == 0xFF && b1 == 0xFE)
            {
                // FF FE 00 00 is the UTF-32 LE mark; check it before UTF-16 LE, whose mark is its prefix.
                return bytes.Length >= 4 && bytes[2] == 0 && bytes[3] == 0
                    ? (replace ? Utf32LeReplace : Utf32LeStrict, 4)
                    : (replace ? Utf16LeReplace : Utf16LeStrict, 2);
            }

            if (b0 == 0xFE && b1 == 0xFF)
            {
                return (replace ? Utf16BeReplace : Utf16BeStrict, 2);
            }

            if (b0 == 0 && b1 == 0 && bytes.Length >= 4 && bytes[2] == 0xFE && bytes[3] == 0xFF)
            {
                return (replace ? Utf32BeReplace : Utf32BeStrict, 4);
            }
        }

        return (replace ? Utf8Replace : Utf8Strict, 0);
    }

    private static string DisplayName(Encoding encoding) => encoding.CodePage switch
    {
        65001 => "UTF-8",
        1200 => "UTF-16 LE",
        1201 => "UTF-16 BE",
        12000 => "UTF-32 LE",
        12001 => "UTF-32 BE",
        _ => encoding.WebName,
    };
}
