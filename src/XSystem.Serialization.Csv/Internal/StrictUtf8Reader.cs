using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>
/// A <see cref="TextReader"/> that decodes UTF-8 from a stream straight into the caller's buffer and refuses invalid
/// bytes (a <see cref="StreamReader"/> over a strict encoding decodes into its own buffer first and copies from there
/// whenever the caller asks for less than one buffer's worth, which Sep always does). One stream read fills a pooled
/// byte buffer; a sequence cut by the buffer's end is kept and completed by the next read. Never disposes the stream.
/// Not thread-safe.
/// </summary>
internal sealed class StrictUtf8Reader : TextReader
{
    /// <summary>The byte buffer: about what Sep asks for per read, and off the large object heap.</summary>
    internal const int DefaultBufferBytes = 16 * 1024;

    private readonly Stream _stream;
    private byte[]? _bytes;
    private int _start;
    private int _end;
    private long _offset;
    private bool _needMore;
    private bool _endOfStream;
    private int _pendingLowSurrogate = -1;

    /// <param name="stream">The bytes.</param>
    /// <param name="startOffset">Where the stream starts in the input (a skipped byte order mark), for error offsets.</param>
    /// <param name="bufferBytes">The size of the byte buffer.</param>
    public StrictUtf8Reader(Stream stream, long startOffset = 0, int bufferBytes = DefaultBufferBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, 4);
        _stream = stream;
        _offset = startOffset;
        _bytes = ArrayPool<byte>.Shared.Rent(bufferBytes);
    }

    public override int Read(Span<char> buffer)
    {
        int written = 0;
        while (!Decode(buffer, ref written))
        {
            if (written > 0)
            {
                // Hand out what is decoded rather than wait for more input.
                return written;
            }

            Compact();
            int read = _stream.Read(_bytes.AsSpan(_end));
            Filled(read);
        }

        return written;
    }

    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        int written = 0;
        while (!Decode(buffer.Span, ref written))
        {
            if (written > 0)
            {
                return written;
            }

            Compact();
            int read = await _stream.ReadAsync(_bytes.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            Filled(read);
        }

        return written;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override Task<int> ReadAsync(char[] buffer, int index, int count) =>
        ReadAsync(buffer.AsMemory(index, count)).AsTask();

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    /// <summary>Not supported: Sep never peeks, and a peek would need a second buffer.</summary>
    public override int Peek() => throw new NotSupportedException("StrictUtf8Reader does not support Peek.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _bytes, null) is { } bytes)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Decodes buffered bytes into <paramref name="buffer"/> from <paramref name="written"/> on; true when the call can
    /// return (the buffer is full, or the input has ended), false when more bytes must be read first.
    /// </summary>
    private bool Decode(Span<char> buffer, ref int written)
    {
        ObjectDisposedException.ThrowIf(_bytes is null, this);
        if (buffer.IsEmpty)
        {
            return true;
        }

        if (_pendingLowSurrogate >= 0)
        {
            buffer[written++] = (char)_pendingLowSurrogate;
            _pendingLowSurrogate = -1;
        }

        while (written < buffer.Length)
        {
            if (_start == _end || _needMore)
            {
                if (!_endOfStream)
                {
                    return false;
                }

                if (_start < _end)
                {
                    throw Invalid("the input ends inside a multi-byte character");
                }

                return true;
            }

            OperationStatus status = Utf8.ToUtf16(
                _bytes.AsSpan(_start, _end - _start), buffer[written..], out int read, out int chars, replaceInvalidSequences: false, isFinalBlock: _endOfStream);
            _start += read;
            written += chars;
            switch (status)
            {
                case OperationStatus.Done:
                    break;
                case OperationStatus.NeedMoreData:
                    // A sequence is cut by the end of the buffer: keep it for the next read.
                    _needMore = true;
                    break;
                case OperationStatus.DestinationTooSmall when chars == 0 && written == buffer.Length - 1:
                    // One char of room and a supplementary character next: hand out its high surrogate, keep the low one.
                    buffer[written++] = SplitPair();
                    return true;
                case OperationStatus.DestinationTooSmall:
                    return true;
                default:
                    throw Invalid("the bytes are not valid UTF-8");
            }
        }

        return true;
    }

    /// <summary>Decodes the supplementary character next in the buffer; returns its high surrogate and keeps the low one for the next read.</summary>
    private char SplitPair()
    {
        Span<char> pair = stackalloc char[2];
        Utf8.ToUtf16(_bytes.AsSpan(_start, Math.Min(4, _end - _start)), pair, out int read, out _, replaceInvalidSequences: false, isFinalBlock: false);
        _start += read;
        _pendingLowSurrogate = pair[1];
        return pair[0];
    }

    /// <summary>Moves the unread bytes (at most a cut sequence) to the front so a read can fill the rest.</summary>
    private void Compact()
    {
        byte[] bytes = _bytes!;
        int left = _end - _start;
        if (_start > 0)
        {
            bytes.AsSpan(_start, left).CopyTo(bytes);
            _offset += _start;
            _start = 0;
            _end = left;
        }
    }

    private void Filled(int read)
    {
        _needMore = false;
        if (read == 0)
        {
            _endOfStream = true;
        }

        _end += read;
    }

    private InvalidUtf8Exception Invalid(string problem) => new(problem, _offset + _start);
}

/// <summary>Invalid UTF-8 met by <see cref="StrictUtf8Reader"/>, with the offset of the first bad byte in the stream.</summary>
internal sealed class InvalidUtf8Exception(string message, long byteOffset)
    : FormatException($"{message} (byte offset {byteOffset})")
{
    /// <summary>The offset of the first byte that is not valid UTF-8, counted from the start of the input.</summary>
    public long ByteOffset { get; } = byteOffset;
}
