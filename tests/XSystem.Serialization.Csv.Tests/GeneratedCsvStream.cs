using System.Globalization;
using System.Text;

namespace XSystem.Serialization.Csv.Tests;

/// <summary>A read-only stream that makes CSV rows on the fly, so huge inputs cost no memory in the test itself.</summary>
internal sealed class GeneratedCsvStream : Stream
{
    private readonly long _targetBytes;
    private readonly char _delimiter;
    private byte[] _pending;
    private int _pendingOffset;
    private long _produced;

    public GeneratedCsvStream(long targetBytes, char delimiter = ',')
    {
        _targetBytes = targetBytes;
        _delimiter = delimiter;
        _pending = Encoding.UTF8.GetBytes($"id{delimiter}name{delimiter}value{delimiter}note\r\n");
    }

    /// <summary>Data rows produced so far.</summary>
    public long Rows { get; private set; }

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
        int written = 0;
        while (written < buffer.Length)
        {
            if (_pendingOffset == _pending.Length)
            {
                if (_produced >= _targetBytes)
                {
                    break;
                }

                long i = Rows;
                char d = _delimiter;
                string note = i % 10 == 0 ? "\"quoted, with \"\"quotes\"\"\"" : "plain";
                _pending = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{i}{d}name {i}{d}{i * 0.5}{d}{note}\r\n"));
                _pendingOffset = 0;
                Rows++;
            }

            int take = Math.Min(buffer.Length - written, _pending.Length - _pendingOffset);
            _pending.AsSpan(_pendingOffset, take).CopyTo(buffer[written..]);
            _pendingOffset += take;
            written += take;
            _produced += take;
        }

        return written;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
