using XSystem.IO.Internal;

namespace XSystem.IO;

/// <summary>
/// A write-only, seekable stream over the temporary file of an atomic write, created by
/// <see cref="AtomicFile.Create"/>. Nothing is visible at <see cref="TargetPath"/> until <see cref="Commit"/> or
/// <see cref="CommitAsync"/> publishes the data with one atomic rename; disposing the writer without a commit
/// discards the data and deletes the temporary file.
/// </summary>
/// <remarks>
/// After a commit (or a failed commit, or disposal) writing throws <see cref="ObjectDisposedException"/>;
/// committing twice throws <see cref="InvalidOperationException"/>.
/// Thread safety: an instance is not thread-safe; use it from one thread (or one async flow) at a time.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1710:Identifiers should have correct suffix",
    Justification = "The name mirrors the role (a writer that commits atomically) and the Python xSystem AtomicFileWriter it replaces.")]
public sealed class AtomicFileWriter : Stream
{
    private const int BufferSize = 4096;

    private readonly AtomicWriteOperation _operation;
    private readonly FileStream _file;
    private State _state;

    internal AtomicFileWriter(AtomicWriteOperation operation)
    {
        _operation = operation;
        _file = new FileStream(operation.Handle, FileAccess.Write, BufferSize);
    }

    private enum State
    {
        Open,
        Committed,
        Discarded,
    }

    /// <summary>The full path of the file the commit replaces (after following symbolic links).</summary>
    public string TargetPath => _operation.TargetPath;

    /// <summary>The full path of the temporary file that receives the data until the commit.</summary>
    public string TempPath => _operation.TempPath;

    /// <summary>Whether <see cref="Commit"/> or <see cref="CommitAsync"/> completed.</summary>
    public bool IsCommitted => _state == State.Committed;

    /// <inheritdoc/>
    /// <remarks>Always <see langword="false"/>: the writer is write-only.</remarks>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => _state == State.Open;

    /// <inheritdoc/>
    public override bool CanWrite => _state == State.Open;

    /// <inheritdoc/>
    public override long Length
    {
        get
        {
            ThrowIfNotOpen();
            return _file.Length;
        }
    }

    /// <inheritdoc/>
    public override long Position
    {
        get
        {
            ThrowIfNotOpen();
            return _file.Position;
        }

        set
        {
            ThrowIfNotOpen();
            _file.Position = value;
        }
    }

    /// <summary>
    /// Publishes the written data: flushes it to stable storage (when durable), keeps a backup if asked, renames
    /// the temporary file over <see cref="TargetPath"/> and flushes the directory.
    /// </summary>
    /// <exception cref="InvalidOperationException">The writer was already committed.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed (its data discarded).</exception>
    /// <exception cref="IOException">The commit failed; the target is unchanged (unless the message says the new content is in place) and the writer is closed.</exception>
    public void Commit()
    {
        ThrowIfCannotCommit();
        try
        {
            CommitCore();
            _state = State.Committed;
        }
        catch
        {
            Fail();
            throw;
        }
    }

    /// <summary>Asynchronously publishes the written data; see <see cref="Commit"/>.</summary>
    /// <param name="cancellationToken">
    /// Cancels the commit before the rename. A cancelled commit publishes nothing and leaves the writer open, so it
    /// can be committed again or disposed.
    /// </param>
    /// <returns>A task that completes when the data is in place.</returns>
    /// <exception cref="InvalidOperationException">The writer was already committed.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCannotCommit();
        cancellationToken.ThrowIfCancellationRequested();
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (_operation.Durable)
            {
                // fsync blocks; keep it off the caller's thread.
                await Task.Run(CommitCore, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                CommitCore();
            }

            _state = State.Committed;
        }
        catch
        {
            Fail();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Moves the buffered data to the operating system; it does not publish anything.</remarks>
    public override void Flush()
    {
        ThrowIfNotOpen();
        _file.Flush();
    }

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotOpen();
        return _file.FlushAsync(cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: the writer is write-only.</exception>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An AtomicFileWriter is write-only.");

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin)
    {
        ThrowIfNotOpen();
        return _file.Seek(offset, origin);
    }

    /// <inheritdoc/>
    public override void SetLength(long value)
    {
        ThrowIfNotOpen();
        _file.SetLength(value);
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotOpen();
        _file.Write(buffer);
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value)
    {
        ThrowIfNotOpen();
        _file.WriteByte(value);
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotOpen();
        return _file.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>Discards the data (deletes the temporary file) unless the writer was committed.</summary>
    /// <param name="disposing">True when called from <see cref="Stream.Dispose()"/>.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _state == State.Open)
        {
            Fail();
        }

        base.Dispose(disposing);
    }

    private void CommitCore()
    {
        _file.Flush();
        _operation.FlushToDisk();
        _file.Dispose(); // closes the handle
        _operation.Publish();
    }

    private void Fail()
    {
        _state = State.Discarded;
        try
        {
            _file.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The buffered tail could not be written; it is being discarded anyway.
        }
        finally
        {
            _operation.Abort();
        }
    }

    private void ThrowIfNotOpen()
    {
        if (_state != State.Open)
        {
            throw new ObjectDisposedException(
                nameof(AtomicFileWriter),
                _state == State.Committed ? IOMessages.WriterCommitted(TargetPath) : IOMessages.WriterDiscarded(TargetPath));
        }
    }

    private void ThrowIfCannotCommit()
    {
        if (_state == State.Committed)
        {
            throw new InvalidOperationException(IOMessages.WriterAlreadyCommitted(TargetPath));
        }

        ThrowIfNotOpen();
    }
}
