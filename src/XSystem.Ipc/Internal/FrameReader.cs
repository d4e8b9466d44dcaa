using System.Buffers.Binary;

namespace XSystem.Ipc.Internal;

/// <summary>
/// Reads length-prefixed frames (4-byte little-endian length, then the payload) from a stream through one reusable
/// buffer. A returned frame stays valid only until the next call. Not thread-safe: one reader at a time.
/// </summary>
internal sealed class FrameReader
{
    internal const int HeaderBytes = 4;

    private readonly Stream _stream;
    private readonly int _maxFrameBytes;
    private readonly string _channel;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public FrameReader(Stream stream, int maxFrameBytes, string channel, int initialBufferBytes = 64 * 1024)
    {
        _stream = stream;
        _maxFrameBytes = maxFrameBytes;
        _channel = channel;
        _buffer = new byte[initialBufferBytes];
    }

    /// <summary>Reads the next frame; <see langword="false"/> at a clean end of stream (between frames).</summary>
    /// <exception cref="MessageFrameException">The length prefix is negative or above the limit.</exception>
    /// <exception cref="EndOfStreamException">The stream ended inside a frame.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        if (!await FillAsync(HeaderBytes, cancellationToken).ConfigureAwait(false))
        {
            if (_end - _start == 0)
            {
                return null;
            }

            throw new EndOfStreamException($"The peer on {_channel} closed the connection in the middle of a frame header ({_end - _start} of 4 bytes). The peer crashed or is not speaking the XSystem frame protocol.");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start, HeaderBytes));
        if (length < 0 || length > _maxFrameBytes)
        {
            throw MessageFrameException.TooLarge(_channel, length, _maxFrameBytes, _buffer.AsSpan(_start, HeaderBytes));
        }

        _start += HeaderBytes;
        if (!await FillAsync(length, cancellationToken).ConfigureAwait(false))
        {
            throw new EndOfStreamException($"The peer on {_channel} closed the connection in the middle of a {length}-byte frame ({_end - _start} bytes arrived). The peer crashed or is not speaking the XSystem frame protocol.");
        }

        ReadOnlyMemory<byte> frame = _buffer.AsMemory(_start, length);
        _start += length;
        return frame;
    }

    private async ValueTask<bool> FillAsync(int needed, CancellationToken cancellationToken)
    {
        if (_end - _start >= needed)
        {
            return true;
        }

        int have = _end - _start;
        if (needed > _buffer.Length)
        {
            var bigger = new byte[Math.Max(needed, _buffer.Length * 2)];
            _buffer.AsSpan(_start, have).CopyTo(bigger);
            _buffer = bigger;
            _start = 0;
            _end = have;
        }
        else if (_buffer.Length - _start < needed)
        {
            _buffer.AsSpan(_start, have).CopyTo(_buffer);
            _start = 0;
            _end = have;
        }

        while (_end - _start < needed)
        {
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
