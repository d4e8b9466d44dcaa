using System.Buffers;
using System.Globalization;
using System.Text;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Reads a <c>multipart/form-data</c> body from a stream part by part in constant memory: one pooled buffer, searched for
/// <c>\n--boundary</c>; content is handed out as it arrives, holding back only the few bytes that may start a delimiter.
/// </summary>
internal sealed class MultipartStreamReader : IDisposable
{
    private const string Format = MultipartHeaders.Format;

    private readonly Stream _body;
    private readonly MultipartOptions _options;
    private readonly byte[] _delimiter;
    private readonly int _dashBoundaryLength;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private long _discarded;
    private bool _eof;
    private long _bodyBytes;
    private long _partBytes;
    private long _parts;
    private State _state = State.Preamble;
    private MultipartContentStream? _current;

    public MultipartStreamReader(Stream body, string boundary, MultipartOptions options)
    {
        _body = body;
        _options = options;
        _delimiter = Encoding.ASCII.GetBytes("\n--" + boundary);
        _dashBoundaryLength = _delimiter.Length - 1;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(64 * 1024, (options.MaxHeaderLineLength * 2) + 256));

        // A virtual line break before the body, so a delimiter on the first line is found like any other.
        _buffer[0] = (byte)'\r';
        _buffer[1] = (byte)'\n';
        _end = 2;
    }

    private enum State
    {
        Preamble,
        Content,
        AtDelimiter,
        Done,
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(MultipartStreamReader));

    private long Offset => _discarded + _start - 2;

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _current?.Detach();
    }

    /// <summary>Moves to the next part, skipping what is left of the current one; null after the close delimiter.</summary>
    public async ValueTask<MultipartPart?> NextPartAsync(CancellationToken cancellationToken)
    {
        while (_state is State.Preamble or State.Content)
        {
            if (Step(default, discard: true) < 0)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        _current?.Detach();
        _current = null;
        if (_state == State.Done)
        {
            return null;
        }

        // At "--boundary": the close delimiter, or padding and a line break.
        while (_end - _start < _dashBoundaryLength + 2 && !_eof)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        if (MultipartHeaders.Classify(Buffer.AsSpan((_start + _dashBoundaryLength)..(_end)), _eof) == MultipartHeaders.DelimiterEnd.Close)
        {
            _state = State.Done;
            return null; // the epilogue is not read
        }

        _start += _dashBoundaryLength;
        int padding = 0;
        while (true)
        {
            if (_start == _end)
            {
                if (_eof)
                {
                    throw Error("the body ends after a boundary line; it is truncated");
                }

                await FillAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            byte b = Buffer[_start];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r')
            {
                if (++padding > _options.MaxHeaderLineLength)
                {
                    throw new SerializationLimitException(Format, "MaxHeaderLineLength", _options.MaxHeaderLineLength, "set MultipartOptions.MaxHeaderLineLength higher");
                }

                _start++;
                continue;
            }

            if (b != (byte)'\n')
            {
                throw Error("a boundary line must end with a line break");
            }

            _start++;
            break;
        }

        long partNumber = ++_parts;
        if (partNumber > _options.MaxParts)
        {
            throw new SerializationLimitException(Format, "MaxParts", _options.MaxParts, "set MultipartOptions.MaxParts higher");
        }

        long partOffset = Offset;
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            int newline = Buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline < 0 ? _end - _start > _options.MaxHeaderLineLength : newline > _options.MaxHeaderLineLength + 1)
            {
                throw new SerializationLimitException(Format, "MaxHeaderLineLength", _options.MaxHeaderLineLength, "set MultipartOptions.MaxHeaderLineLength higher");
            }

            if (newline < 0)
            {
                if (_eof)
                {
                    throw Error($"the headers of part {partNumber} are not ended by a blank line; the body is truncated");
                }

                await FillAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            ReadOnlySpan<byte> line = Buffer.AsSpan(_start, newline);
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            long lineOffset = Offset;
            _start += newline + 1;
            if (line.IsEmpty)
            {
                break;
            }

            if (!MultipartReader.TryAddHeaderLine(line, headers, _options, partNumber))
            {
                throw Error($"part {partNumber} has a malformed header line (expected 'Name: value')", lineOffset);
            }
        }

        MultipartPartInfo info = MultipartHeaders.Describe(headers, partNumber, partOffset);
        _state = State.Content;
        _partBytes = 0;
        _current = new MultipartContentStream(this);
        return new MultipartPart(info, _current);
    }

    /// <summary>
    /// Hands out content from the buffer: the count of bytes copied (or skipped when <paramref name="discard"/>), 0 at the
    /// end of the part, -1 when more input is needed first.
    /// </summary>
    public int Step(Span<byte> destination, bool discard)
    {
        if (_state is not (State.Preamble or State.Content))
        {
            return 0;
        }

        ReadOnlySpan<byte> window = Buffer.AsSpan(_start, _end - _start);
        int index = window.IndexOf(_delimiter);
        int available;
        if (index < 0)
        {
            if (_eof)
            {
                throw _state == State.Preamble
                    ? Error($"the body holds no boundary line '{Encoding.ASCII.GetString(_delimiter.AsSpan(1))}'; check the boundary against the Content-Type header")
                    : Error($"part {_parts} has no closing boundary; the body is truncated");
            }

            available = window.Length - _delimiter.Length;
            if (available <= 0)
            {
                return -1;
            }
        }
        else
        {
            int contentEnd = index > 0 && window[index - 1] == (byte)'\r' ? index - 1 : index;
            if (contentEnd > 0)
            {
                available = contentEnd;
            }
            else
            {
                switch (MultipartHeaders.Classify(window[(index + _delimiter.Length)..], _eof))
                {
                    case MultipartHeaders.DelimiterEnd.NeedMore:
                        return -1;
                    case MultipartHeaders.DelimiterEnd.No:
                        available = index + 1;
                        break;
                    default:
                        _start += index + 1;
                        _state = State.AtDelimiter;
                        return 0;
                }
            }
        }

        int count = discard ? available : Math.Min(available, destination.Length);
        if (!discard)
        {
            window[..count].CopyTo(destination);
        }

        if (_state == State.Content)
        {
            _partBytes += count;
            if (_partBytes > _options.MaxPartBytes)
            {
                throw new SerializationLimitException(Format, "MaxPartBytes", _options.MaxPartBytes, $"set MultipartOptions.MaxPartBytes higher (part {_parts})");
            }
        }

        _start += count;
        return count;
    }

    public async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = Compact();
        int read = await _body.ReadAsync(buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        Account(read);
    }

    public void Fill()
    {
        byte[] buffer = Compact();
        int read = _body.Read(buffer, _end, buffer.Length - _end);
        Account(read);
    }

    private byte[] Compact()
    {
        byte[] buffer = Buffer;
        if (_start > 0)
        {
            buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
            _discarded += _start;
            _end -= _start;
            _start = 0;
        }

        return buffer;
    }

    private void Account(int read)
    {
        if (read == 0)
        {
            _eof = true;
            return;
        }

        _end += read;
        _bodyBytes += read;
        if (_bodyBytes > _options.MaxBodyBytes)
        {
            throw new SerializationLimitException(Format, "MaxBodyBytes", _options.MaxBodyBytes, "set MultipartOptions.MaxBodyBytes higher");
        }
    }

    private SerializationException Error(string problem, long? offset = null) =>
        new(Format, $"{problem} (byte {(offset ?? Offset).ToString(CultureInfo.InvariantCulture)})");
}

/// <summary>The content of the current part, read from the body through <see cref="MultipartStreamReader"/>.</summary>
internal sealed class MultipartContentStream : Stream
{
    private MultipartStreamReader? _reader;

    public MultipartContentStream(MultipartStreamReader reader) => _reader = reader;

    public override bool CanRead => _reader is not null;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("A multipart part's length is not known before it is read.");

    public override long Position
    {
        get => throw new NotSupportedException("A multipart part's content is not seekable.");
        set => throw new NotSupportedException("A multipart part's content is not seekable.");
    }

    private MultipartStreamReader Reader => _reader ?? throw new InvalidOperationException(
        "This part's content is no longer available: the enumeration moved to the next part. Read each part's Content before moving on.");

    public void Detach() => _reader = null;

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        MultipartStreamReader reader = Reader;
        while (true)
        {
            int read = reader.Step(buffer, discard: false);
            if (read >= 0)
            {
                return read;
            }

            reader.Fill();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        MultipartStreamReader reader = Reader;
        while (true)
        {
            int read = reader.Step(buffer.Span, discard: false);
            if (read >= 0)
            {
                return read;
            }

            await reader.FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A multipart part's content is not seekable.");

    public override void SetLength(long value) => throw new NotSupportedException("A multipart part's content is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A multipart part's content is read-only.");
}
