using System.Buffers.Binary;

namespace XSystem.Serialization.Bson.Internal;

/// <summary>
/// The structural check that runs before MongoDB.Bson's recursive reader sees untrusted bytes: length prefixes,
/// terminators, element types and nesting depth, the same rules as <see cref="BsonTreeReader"/> with
/// <c>build: false</c>, but without allocating or tracking the JSON path. It only answers yes or no; on "no" the
/// caller runs <see cref="BsonTreeReader"/>, which finds the same problem and reports where it is.
/// </summary>
internal static class BsonStructure
{
    /// <summary>Nesting up to this depth is tracked on the stack; deeper limits use an array.</summary>
    private const int StackDepth = 128;

    /// <summary>Whether <paramref name="data"/> is exactly one well-formed BSON document no deeper than <paramref name="maxDepth"/>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> data, int maxDepth)
    {
        if (data.Length < 5 || BinaryPrimitives.ReadInt32LittleEndian(data) != data.Length || maxDepth < 1)
        {
            return false;
        }

        // ends[d]: where the document at depth d ends; codeEnds[d]: where its code-with-scope value ends, or -1.
        // Every level takes at least 7 bytes (type, key terminator, a 5-byte document), which bounds the depth reachable.
        int capacity = Math.Min(maxDepth, (data.Length / 5) + 2);
        Span<int> ends = capacity <= StackDepth ? stackalloc int[StackDepth] : new int[capacity];
        Span<int> codeEnds = capacity <= StackDepth ? stackalloc int[StackDepth] : new int[capacity];
        int depth = 0;
        ends[0] = data.Length;
        codeEnds[0] = -1;
        int pos = 4;
        while (true)
        {
            int end = ends[depth];
            int limit = end - 1; // the terminating 0x00 belongs to the document
            if (pos > limit)
            {
                return false;
            }

            byte type = data[pos++];
            if (type == 0)
            {
                if (pos != end || (codeEnds[depth] >= 0 && pos != codeEnds[depth]))
                {
                    return false;
                }

                if (depth == 0)
                {
                    return pos == data.Length;
                }

                depth--;
                continue;
            }

            if (pos - 1 == limit)
            {
                return false; // a non-zero byte where the terminator must be
            }

            // Keys are short: a plain loop beats a vectorized search that has to be set up per element.
            int keyEnd = pos;
            while (keyEnd < limit && data[keyEnd] != 0)
            {
                keyEnd++;
            }

            if (keyEnd >= limit)
            {
                return false;
            }

            pos = keyEnd + 1;
            switch (type)
            {
                case 0x01 or 0x09 or 0x11 or 0x12:
                    if (pos > limit - 8)
                    {
                        return false;
                    }

                    pos += 8;
                    break;
                case 0x02 or 0x0D or 0x0E:
                    if (!SkipString(data, ref pos, limit))
                    {
                        return false;
                    }

                    break;
                case 0x03 or 0x04:
                    {
                        if (!Enter(data, pos, limit, depth, maxDepth, out int length))
                        {
                            return false;
                        }

                        depth++;
                        ends[depth] = pos + length;
                        codeEnds[depth] = -1;
                        pos += 4;
                        continue;
                    }

                case 0x05:
                    {
                        if (pos > limit - 5)
                        {
                            return false;
                        }

                        int length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
                        if (length < 0 || length > limit - pos - 5)
                        {
                            return false;
                        }

                        if (data[pos + 4] == 0x02 && (length < 4 || BinaryPrimitives.ReadInt32LittleEndian(data[(pos + 5)..]) != length - 4))
                        {
                            return false;
                        }

                        pos += 5 + length;
                        break;
                    }

                case 0x06 or 0x0A or 0x7F or 0xFF:
                    break;
                case 0x07:
                    if (pos > limit - 12)
                    {
                        return false;
                    }

                    pos += 12;
                    break;
                case 0x08:
                    if (pos > limit - 1 || data[pos] > 1)
                    {
                        return false;
                    }

                    pos += 1;
                    break;
                case 0x0B:
                    for (int i = 0; i < 2; i++)
                    {
                        int cstring = data[pos..limit].IndexOf((byte)0);
                        if (cstring < 0)
                        {
                            return false;
                        }

                        pos += cstring + 1;
                    }

                    break;
                case 0x0C:
                    if (!SkipString(data, ref pos, limit) || pos > limit - 12)
                    {
                        return false;
                    }

                    pos += 12;
                    break;
                case 0x0F:
                    {
                        if (pos > limit - 4)
                        {
                            return false;
                        }

                        int total = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
                        if (total < 14 || total > limit - pos)
                        {
                            return false;
                        }

                        int codeEnd = pos + total;
                        pos += 4;
                        if (!SkipString(data, ref pos, codeEnd) || !Enter(data, pos, codeEnd, depth, maxDepth, out int length))
                        {
                            return false;
                        }

                        depth++;
                        ends[depth] = pos + length;
                        codeEnds[depth] = codeEnd;
                        pos += 4;
                        continue;
                    }

                case 0x10:
                    if (pos > limit - 4)
                    {
                        return false;
                    }

                    pos += 4;
                    break;
                case 0x13:
                    if (pos > limit - 16)
                    {
                        return false;
                    }

                    pos += 16;
                    break;
                default:
                    return false;
            }
        }
    }

    /// <summary>An embedded document's length prefix at <paramref name="pos"/>, and room for one more level.</summary>
    private static bool Enter(ReadOnlySpan<byte> data, int pos, int limit, int depth, int maxDepth, out int length)
    {
        length = 0;
        if (pos > limit - 4 || depth + 2 > maxDepth)
        {
            return false;
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
        return length >= 5 && length <= limit - pos;
    }

    private static bool SkipString(ReadOnlySpan<byte> data, ref int pos, int limit)
    {
        if (pos > limit - 4)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
        if (length < 1 || length > limit - pos - 4 || data[pos + 4 + length - 1] != 0)
        {
            return false;
        }

        pos += 4 + length;
        return true;
    }
}
