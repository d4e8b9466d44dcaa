namespace XSystem.Monitoring.Internal;

/// <summary>A fixed-capacity buffer that overwrites its oldest item. Not thread-safe; the owner locks.</summary>
internal sealed class RingBuffer<T>
{
    private readonly T[] _items;
    private int _start;
    private int _count;

    public RingBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T[capacity];
    }

    public int Capacity => _items.Length;

    public int Count => _count;

    public void Add(T item)
    {
        int end = (_start + _count) % _items.Length;
        _items[end] = item;
        if (_count < _items.Length)
        {
            _count++;
        }
        else
        {
            _start = (_start + 1) % _items.Length;
        }
    }

    /// <summary>The items, oldest first.</summary>
    public T[] ToArray()
    {
        var result = new T[_count];
        for (int i = 0; i < _count; i++)
        {
            result[i] = _items[(_start + i) % _items.Length];
        }

        return result;
    }

    /// <summary>The newest item, or default when empty.</summary>
    public T? Last => _count == 0 ? default : _items[(_start + _count - 1) % _items.Length];
}
