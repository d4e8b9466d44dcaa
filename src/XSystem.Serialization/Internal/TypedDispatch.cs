using System.Buffers;

namespace XSystem.Serialization.Internal;

/// <summary>Reads a value of <typeparamref name="T"/> from bytes (a typed format's Deserialize, bound once).</summary>
internal delegate T? SpanDeserializer<T>(ReadOnlySpan<byte> data, SerializerOptions options);

/// <summary>
/// Per-type cache of a typed format's generic methods bound to delegates. Calling a generic method through an
/// interface costs a runtime lookup on every call (a few percent of a small MessagePack or BSON document); the delegate,
/// bound once per format and type, is a plain indirect call.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal static class TypedDispatch<T>
{
    /// <summary>Formats seen with <typeparamref name="T"/> (copy-on-write, usually one; at most <see cref="MaxEntries"/>).</summary>
    private static Entry[] _entries = [];

    private const int MaxEntries = 8;

    /// <summary>The bound methods of <paramref name="format"/> for <typeparamref name="T"/>.</summary>
    public static Entry For(ITypedFormat format)
    {
        Entry[] entries = _entries;
        foreach (Entry entry in entries)
        {
            if (ReferenceEquals(entry.Format, format))
            {
                return entry;
            }
        }

        var created = new Entry(format);
        if (entries.Length < MaxEntries)
        {
            // A lost race only costs a second binding later.
            _entries = [.. entries, created];
        }

        return created;
    }

    /// <summary>One format's methods for <typeparamref name="T"/>.</summary>
    internal sealed class Entry
    {
        public Entry(ITypedFormat format)
        {
            Format = format;
            Deserialize = format.Deserialize<T>;
            Serialize = format.Serialize;
            SerializeToArray = format is IArraySerializer direct ? direct.SerializeToArray : null;
        }

        public ITypedFormat Format { get; }

        public SpanDeserializer<T> Deserialize { get; }

        public Action<T, IBufferWriter<byte>, SerializerOptions> Serialize { get; }

        public Func<T, SerializerOptions, byte[]>? SerializeToArray { get; }
    }
}
