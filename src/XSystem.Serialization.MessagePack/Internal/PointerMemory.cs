using System.Buffers;

namespace XSystem.Serialization.MessagePack.Internal;

/// <summary>
/// Exposes pinned memory as <see cref="Memory{T}"/> so MessagePack-CSharp's reader can read a span without a copy.
/// Valid only while the caller keeps the memory pinned; every value read from it is copied out before that ends.
/// </summary>
internal sealed unsafe class PointerMemory : MemoryManager<byte>
{
    private readonly byte* _pointer;
    private readonly int _length;

    public PointerMemory(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
