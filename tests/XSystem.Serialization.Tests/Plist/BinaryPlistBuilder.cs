using System.Buffers.Binary;

namespace XSystem.Serialization.Tests.Plist;

/// <summary>Builds binary plists object by object, including malformed ones, for the limit and safety tests.</summary>
internal static class BinaryPlistBuilder
{
    /// <summary>Assembles header, objects (each already encoded, references of <paramref name="refSize"/> bytes), 8-byte offsets and trailer.</summary>
    public static byte[] Build(IReadOnlyList<byte[]> objects, int refSize, long top = 0, ulong? objectCount = null, long? tableOffsetOverride = null)
    {
        var bytes = new List<byte>("bplist00"u8.ToArray());
        var offsets = new List<long>();
        foreach (byte[] obj in objects)
        {
            offsets.Add(bytes.Count);
            bytes.AddRange(obj);
        }

        long tableOffset = bytes.Count;
        foreach (long offset in offsets)
        {
            byte[] entry = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(entry, offset);
            bytes.AddRange(entry);
        }

        byte[] trailer = new byte[32];
        trailer[6] = 8;
        trailer[7] = (byte)refSize;
        BinaryPrimitives.WriteUInt64BigEndian(trailer.AsSpan(8), objectCount ?? (ulong)objects.Count);
        BinaryPrimitives.WriteInt64BigEndian(trailer.AsSpan(16), top);
        BinaryPrimitives.WriteInt64BigEndian(trailer.AsSpan(24), tableOffsetOverride ?? tableOffset);
        bytes.AddRange(trailer);
        return [.. bytes];
    }

    /// <summary>A reference of <paramref name="refSize"/> bytes, big-endian.</summary>
    public static byte[] Ref(long value, int refSize)
    {
        byte[] bytes = new byte[refSize];
        for (int i = refSize - 1; i >= 0; i--)
        {
            bytes[i] = (byte)value;
            value >>= 8;
        }

        return bytes;
    }

    /// <summary>Object i is a one-item array holding object i + 1; the innermost object is false.</summary>
    public static byte[] NestedArrays(int depth)
    {
        var objects = new List<byte[]>(depth + 1);
        for (int i = 0; i < depth; i++)
        {
            objects.Add([0xA1, .. Ref(i + 1, 2)]);
        }

        objects.Add([0x08]);
        return Build(objects, 2);
    }
}
