using System.Buffers;
using System.Text;

namespace XSystem.Serialization.Internal;

/// <summary>Appends UTF-8 to an <see cref="IBufferWriter{T}"/> in large chunks; call <see cref="Flush"/> at the end.</summary>
internal ref struct Utf8Sink(IBufferWriter<byte> output)
{
    private const int ChunkSize = 16 * 1024;

    private readonly IBufferWriter<byte> _output = output;
    private Span<byte> _span;
    private int _used;

    public void Byte(byte value)
    {
        if (_used == _span.Length)
        {
            Reserve(1);
        }

        _span[_used++] = value;
    }

    public void Bytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (_span.Length - _used < bytes.Length)
        {
            Reserve(bytes.Length);
        }

        bytes.CopyTo(_span[_used..]);
        _used += bytes.Length;
    }

    /// <summary>Writes UTF-16 text as UTF-8 (the caller has dealt with lone surrogates).</summary>
    public void Text(scoped ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            int take = Math.Min(text.Length, ChunkSize);
            if (take < text.Length && char.IsHighSurrogate(text[take - 1]))
            {
                take--;
            }

            int max = Encoding.UTF8.GetMaxByteCount(take);
            if (_span.Length - _used < max)
            {
                Reserve(max);
            }

            _used += Encoding.UTF8.GetBytes(text[..take], _span[_used..]);
            text = text[take..];
        }
    }

    public void Spaces(int count)
    {
        if (_span.Length - _used < count)
        {
            Reserve(count);
        }

        _span.Slice(_used, count).Fill((byte)' ');
        _used += count;
    }

    public void Flush()
    {
        if (_used > 0)
        {
            _output.Advance(_used);
        }

        _used = 0;
        _span = default;
    }

    private void Reserve(int needed)
    {
        Flush();
        _span = _output.GetSpan(Math.Max(needed, ChunkSize));
    }
}
