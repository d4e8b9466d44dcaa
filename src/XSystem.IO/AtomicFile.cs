using System.Buffers;
using System.Text;
using XSystem.IO.Internal;

namespace XSystem.IO;

/// <summary>
/// Writes files atomically and durably: readers see either the complete old content or the complete new
/// content, never a mix or a truncated file, and once a call returns the new content survives a crash or a
/// power failure (unless <see cref="AtomicWriteOptions.Durable"/> is off).
/// </summary>
/// <remarks>
/// <para>
/// Recipe: a temporary file <c>.{name}.{random}.xsystmp</c> is created exclusively next to the target, written,
/// flushed to stable storage (<c>fsync</c>; <c>F_FULLFSYNC</c> on macOS), given the target's permissions (and
/// owner when running as root), renamed over the target (<c>rename(2)</c>; <c>MoveFileEx</c> with
/// <c>MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH</c> on Windows), and the directory is flushed. On any
/// failure before the rename the temporary file is deleted and the target is untouched.
/// </para>
/// <para>
/// Symbolic links are written through: when the path is a symbolic link, the file it finally points to is
/// replaced and the link is kept.
/// </para>
/// <para>
/// Concurrent writers to one path never corrupt it: each has its own temporary file and the last rename wins.
/// </para>
/// <para>Thread safety: all members are stateless and safe to call from any thread.</para>
/// </remarks>
public static partial class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Atomically replaces (or creates) the file at <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    /// <param name="path">The file to write; relative paths are resolved against the current directory.</param>
    /// <param name="bytes">The complete new content.</param>
    /// <param name="options">Durability, backup and permission settings; <see langword="null"/> means <see cref="AtomicWriteOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, white space, contains NUL, or ends with a separator.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    /// <exception cref="IOException">The write, flush or rename failed; the target is unchanged unless the message says the new content is in place.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, AtomicWriteOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(path);
        AtomicWriteOperation operation = AtomicWriteOperation.Begin(path, options ?? AtomicWriteOptions.Default);
        try
        {
            if (!bytes.IsEmpty)
            {
                RandomAccess.Write(operation.Handle, bytes, 0);
            }

            operation.Seal();
            operation.Publish();
        }
        catch
        {
            operation.Abort();
            throw;
        }
    }

    /// <summary>Atomically replaces (or creates) the file at <paramref name="path"/> with <paramref name="contents"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="contents">The complete new text.</param>
    /// <param name="encoding">The encoding; its preamble (BOM), if any, is written first. Default: UTF-8 without BOM.</param>
    /// <param name="options">Durability, backup and permission settings; <see langword="null"/> means <see cref="AtomicWriteOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="contents"/> is null.</exception>
    /// <exception cref="IOException">The write failed; see <see cref="WriteAllBytes"/>.</exception>
    public static void WriteAllText(string path, string contents, Encoding? encoding = null, AtomicWriteOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(path);
        ArgumentNullException.ThrowIfNull(contents);
        byte[] buffer = Encode(contents, encoding ?? Utf8NoBom, out int length);
        try
        {
            WriteAllBytes(path, buffer.AsSpan(0, length), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Asynchronously and atomically replaces (or creates) the file at <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="bytes">The complete new content; must not change until the task completes.</param>
    /// <param name="options">Durability, backup and permission settings; <see langword="null"/> means <see cref="AtomicWriteOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the write before the rename; once the rename starts the write completes.</param>
    /// <returns>A task that completes when the new content is in place (and durable, if asked).</returns>
    /// <exception cref="OperationCanceledException">Cancelled before the rename; the target is unchanged and the temporary file deleted.</exception>
    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, AtomicWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrEmptyPath(path);
        cancellationToken.ThrowIfCancellationRequested();
        AtomicWriteOperation operation = AtomicWriteOperation.Begin(path, options ?? AtomicWriteOptions.Default);
        try
        {
            if (!bytes.IsEmpty)
            {
                await RandomAccess.WriteAsync(operation.Handle, bytes, 0, cancellationToken).ConfigureAwait(false);
            }

            await CompleteAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            operation.Abort();
            throw;
        }
    }

    /// <summary>Asynchronously and atomically replaces (or creates) the file at <paramref name="path"/> with <paramref name="contents"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="contents">The complete new text.</param>
    /// <param name="encoding">The encoding; its preamble (BOM), if any, is written first. Default: UTF-8 without BOM.</param>
    /// <param name="options">Durability, backup and permission settings; <see langword="null"/> means <see cref="AtomicWriteOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the write before the rename.</param>
    /// <returns>A task that completes when the new content is in place.</returns>
    public static async Task WriteAllTextAsync(string path, string contents, Encoding? encoding = null, AtomicWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrEmptyPath(path);
        ArgumentNullException.ThrowIfNull(contents);
        byte[] buffer = Encode(contents, encoding ?? Utf8NoBom, out int length);
        try
        {
            await WriteAllBytesAsync(path, buffer.AsMemory(0, length), options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Starts an atomic write through a stream: write to the returned <see cref="AtomicFileWriter"/>, then call
    /// <see cref="AtomicFileWriter.Commit"/>. Disposing it without a commit discards everything.
    /// </summary>
    /// <param name="path">The file to replace or create.</param>
    /// <param name="options">Durability, backup and permission settings; <see langword="null"/> means <see cref="AtomicWriteOptions.Default"/>.</param>
    /// <returns>A write-only, seekable stream over the temporary file.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">The temporary file could not be created.</exception>
    public static AtomicFileWriter Create(string path, AtomicWriteOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(path);
        AtomicWriteOperation operation = AtomicWriteOperation.Begin(path, options ?? AtomicWriteOptions.Default);
        try
        {
            return new AtomicFileWriter(operation);
        }
        catch
        {
            operation.Abort();
            throw;
        }
    }

    /// <summary>Flushes and publishes; the blocking fsyncs of a durable write run on the thread pool.</summary>
    internal static async Task CompleteAsync(AtomicWriteOperation operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (operation.Durable)
        {
            await Task.Run(
                () =>
                {
                    operation.Seal();
                    operation.Publish();
                },
                CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            operation.Seal();
            operation.Publish();
        }
    }

    private static byte[] Encode(string contents, Encoding encoding, out int length)
    {
        ReadOnlySpan<byte> preamble = encoding.Preamble;
        length = checked(preamble.Length + encoding.GetByteCount(contents));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        preamble.CopyTo(buffer);
        encoding.GetBytes(contents, buffer.AsSpan(preamble.Length));
        return buffer;
    }
}
