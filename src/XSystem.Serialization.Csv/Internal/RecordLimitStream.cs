using System.Buffers;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>
/// A read-only pass-through stream that enforces <see cref="SerializerOptions.MaxBytes"/> per record before the
/// parser buffers it: it follows quotes the way Sep does (every <c>"</c> toggles) and counts the bytes since the last
/// line break outside quotes. It can also peek at the start of the stream (delimiter detection) and drops a UTF-8
/// byte order mark. Not thread-safe; one per read.
/// </summary>
/// <remarks>
/// When the limit is at least <see cref="UncheckedFromBytes"/>, scanning is skipped: Sep refuses rows longer than
/// 16,777,216 characters (at most 48 MiB of UTF-8), so no record can reach the limit and the scan would only cost time.
/// </remarks>
internal sealed class RecordLimitStream : Stream
{
    private static readonly SearchValues<byte> Special = SearchValues.Create("\"\r\n"u8);

    private readonly Stream _inner;
    private readonly long _maxRecordBytes;
    private readonly string _format;
    private readonly bool _scan;
    private byte[] _prefix = [];
    private int _prefixOffset;
    private int _prefixLength;
    private bool _inQuotes;
    private bool _previousWasCr;
    private long _recordBytes;
    private long _line = 1;
    private long _recordLine = 1;

    public RecordLimitStream(Stream inner, long maxRecordBytes, string format)
    {
        _inner = inner;
        _maxRecordBytes = maxRecordBytes;
        _format = format;
        _scan = maxRecordBytes < UncheckedFromBytes;
    }

    /// <summary>The bytes of a UTF-8 byte order mark that <see cref="PeekAsync"/> dropped (0 or 3).</summary>
    public int SkippedBytes { get; private set; }

    /// <summary>Whether the inner stream has reported its end (a read returned no bytes).</summary>
    public bool ReachedEnd { get; private set; }

    /// <summary>Limits from this size up are enforced by Sep's maximum row length instead (three UTF-8 bytes per character at most).</summary>
    public static long UncheckedFromBytes => 3L * 16 * 1024 * 1024;

    /// <summary>Reads up to <paramref name="count"/> bytes ahead, without consuming them, and skips a UTF-8 BOM.</summary>
    /// <returns>The bytes read ahead (fewer at the end of the stream).</returns>
    public async ValueTask<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        // Pooled: a fresh 64 KB array per read costs more than reading a small input; it goes back once read through.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(count);
        int length = 0;
        while (length < count)
        {
            int read = await _inner.ReadAsync(buffer.AsMemory(length, count - length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                ReachedEnd = true;
                break;
            }

            length += read;
        }

        int start = buffer.AsSpan(0, length).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        _prefix = buffer;
        _prefixOffset = start;
        SkippedBytes = start;
        _prefixLength = length;
        return buffer.AsMemory(start, length - start);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TryReadPrefix(buffer, out int fromPrefix))
        {
            return fromPrefix;
        }

        int read = _inner.Read(buffer);
        ReachedEnd |= read == 0 && !buffer.IsEmpty;
        Scan(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TryReadPrefix(buffer.Span, out int fromPrefix))
        {
            return fromPrefix;
        }

        int read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        ReachedEnd |= read == 0 && !buffer.IsEmpty;
        Scan(buffer.Span[..read]);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool TryReadPrefix(Span<byte> buffer, out int read)
    {
        int available = _prefixLength - _prefixOffset;
        if (available <= 0 || buffer.IsEmpty)
        {
            read = 0;
            return false;
        }

        read = Math.Min(available, buffer.Length);
        ReadOnlySpan<byte> chunk = _prefix.AsSpan(_prefixOffset, read);
        chunk.CopyTo(buffer);
        _prefixOffset += read;
        if (_prefixOffset == _prefixLength)
        {
            ArrayPool<byte>.Shared.Return(_prefix);
            _prefix = [];
            _prefixOffset = _prefixLength = 0;
        }

        Scan(chunk);
        return true;
    }

    private void Scan(ReadOnlySpan<byte> data)
    {
        if (!_scan)
        {
            return;
        }

        while (!data.IsEmpty)
        {
            int next = data.IndexOfAny(Special);
            if (next < 0)
            {
                _recordBytes += data.Length;
                _previousWasCr = false;
                break;
            }

            _recordBytes += next + 1;
            byte b = data[next];
            data = data[(next + 1)..];
            if (b == (byte)'"')
            {
                _inQuotes = !_inQuotes;
                _previousWasCr = false;
                continue;
            }

            // A line break: CRLF counts as one line.
            bool crlfTail = b == (byte)'\n' && _previousWasCr && next == 0;
            _previousWasCr = b == (byte)'\r';
            if (!crlfTail)
            {
                _line++;
            }

            if (!_inQuotes)
            {
                CheckRecord();
                _recordBytes = 0;
                _recordLine = _line;
            }
        }

        CheckRecord();
    }

    private void CheckRecord()
    {
        if (_recordBytes > _maxRecordBytes)
        {
            throw new SerializationLimitException(
                _format,
                "MaxBytes",
                _maxRecordBytes,
                "set SerializerOptions.MaxBytes (it applies to each record when streaming) higher; an unclosed quote also makes one huge record",
                _recordLine);
        }
    }
}
