using System.Buffers.Binary;

namespace XSystem.Serialization.MessagePack.Internal;

/// <summary>
/// Low-confidence MessagePack detection: the sample must start with a map or an array and the first items must be
/// well-formed (walked with a tiny bounded skipper, no allocation). MessagePack has no magic number, so the score
/// stays at or below 0.6 (a whole, well-formed map with string keys), under every format that has one.
/// </summary>
internal static class MessagePackProbe
{
    private const int MaxItems = 256;
    private const int MaxNesting = 32;

    public static double Score(ReadOnlySpan<byte> sample)
    {
        if (sample.IsEmpty)
        {
            return 0;
        }

        byte first = sample[0];
        bool isMap = first is (>= 0x80 and <= 0x8f) or 0xde or 0xdf;
        bool isArray = first is (>= 0x90 and <= 0x9f) or 0xdc or 0xdd;
        if (!isMap && !isArray)
        {
            return 0;
        }

        var walker = new Walker(sample);
        Outcome outcome = walker.Walk();
        if (outcome == Outcome.Invalid || walker.Items == 0)
        {
            return 0;
        }

        bool complete = outcome == Outcome.Complete;
        if (complete && walker.Position != sample.Length)
        {
            // A value followed by more bytes is not one MessagePack document.
            return 0;
        }

        if (!complete && sample.Length < Formats.DetectionSampleSize)
        {
            // Detection passes whole content when it is shorter than a sample: a cut value means "not MessagePack".
            return 0.1;
        }

        double score = complete ? 0.45 : 0.3;
        if (isMap && walker.AllKeysStrings && walker.Keys > 0)
        {
            score += complete ? 0.15 : 0.05;
        }

        return score;
    }

    private enum Outcome
    {
        Invalid,
        Complete,
        Truncated,
    }

    private ref struct Walker
    {
        private readonly ReadOnlySpan<byte> _data;

        public Walker(ReadOnlySpan<byte> data)
        {
            _data = data;
            AllKeysStrings = true;
        }

        public int Position { get; private set; }

        public int Items { get; private set; }

        public int Keys { get; private set; }

        public bool AllKeysStrings { get; private set; }

        public Outcome Walk()
        {
            // pending[i] = items still to read in the container at nesting level i (maps count keys and values).
            Span<long> pending = stackalloc long[MaxNesting];
            Span<bool> isMap = stackalloc bool[MaxNesting];
            int depth = 0;
            bool first = true;
            while (first || depth > 0)
            {
                if (depth > 0 && pending[depth - 1] == 0)
                {
                    depth--;
                    continue;
                }

                if (Items >= MaxItems)
                {
                    return Outcome.Truncated;
                }

                bool isKey = depth > 0 && isMap[depth - 1] && pending[depth - 1] % 2 == 0;
                if (depth > 0)
                {
                    pending[depth - 1]--;
                }

                first = false;
                if (Position >= _data.Length)
                {
                    return Outcome.Truncated;
                }

                byte code = _data[Position];
                if (isKey)
                {
                    Keys++;
                    if (!(code is (>= 0xa0 and <= 0xbf) or 0xd9 or 0xda or 0xdb))
                    {
                        AllKeysStrings = false;
                    }
                }

                Items++;
                long count;
                bool map;
                Outcome? skipped = SkipScalar(code, out count, out map);
                if (skipped is { } scalarOutcome)
                {
                    if (scalarOutcome != Outcome.Complete)
                    {
                        return scalarOutcome;
                    }

                    continue;
                }

                // A container: a claimed count must be payable by the bytes present (or the sample is cut).
                if (depth >= MaxNesting)
                {
                    return Outcome.Truncated;
                }

                long items = map ? count * 2 : count;
                if (items > 0)
                {
                    pending[depth] = items;
                    isMap[depth] = map;
                    depth++;
                }
            }

            return Outcome.Complete;
        }

        /// <summary>Skips a scalar; returns null for a container header (count and kind in the out parameters).</summary>
        private Outcome? SkipScalar(byte code, out long count, out bool map)
        {
            count = 0;
            map = false;
            int p = Position + 1;
            long length;
            switch (code)
            {
                case <= 0x7f or >= 0xe0 or 0xc0 or 0xc2 or 0xc3:
                    Position = p;
                    return Outcome.Complete;
                case >= 0x80 and <= 0x8f:
                    Position = p;
                    count = code & 0x0f;
                    map = true;
                    return null;
                case >= 0x90 and <= 0x9f:
                    Position = p;
                    count = code & 0x0f;
                    return null;
                case >= 0xa0 and <= 0xbf:
                    length = code & 0x1f;
                    break;
                case 0xc1:
                    return Outcome.Invalid;
                case 0xc4 or 0xd9:
                    if (!TryLength(p, 1, out length)) { return Outcome.Truncated; }
                    p += 1;
                    break;
                case 0xc5 or 0xda:
                    if (!TryLength(p, 2, out length)) { return Outcome.Truncated; }
                    p += 2;
                    break;
                case 0xc6 or 0xdb:
                    if (!TryLength(p, 4, out length)) { return Outcome.Truncated; }
                    p += 4;
                    break;
                case 0xc7 or 0xc8 or 0xc9:
                    {
                        int size = code == 0xc7 ? 1 : code == 0xc8 ? 2 : 4;
                        if (!TryLength(p, size, out length)) { return Outcome.Truncated; }
                        p += size;
                        length += 1; // the type byte
                        break;
                    }

                case 0xca: length = 4; break;
                case 0xcb: length = 8; break;
                case 0xcc or 0xd0: length = 1; break;
                case 0xcd or 0xd1: length = 2; break;
                case 0xce or 0xd2: length = 4; break;
                case 0xcf or 0xd3: length = 8; break;
                case 0xd4: length = 2; break;
                case 0xd5: length = 3; break;
                case 0xd6: length = 5; break;
                case 0xd7: length = 9; break;
                case 0xd8: length = 17; break;
                case 0xdc or 0xde:
                    if (!TryLength(p, 2, out count)) { return Outcome.Truncated; }
                    Position = p + 2;
                    map = code == 0xde;
                    return null;
                default: // 0xdd, 0xdf
                    if (!TryLength(p, 4, out count)) { return Outcome.Truncated; }
                    Position = p + 4;
                    map = code == 0xdf;
                    return null;
            }

            if (p + length > _data.Length)
            {
                return Outcome.Truncated;
            }

            Position = (int)(p + length);
            return Outcome.Complete;
        }

        private readonly bool TryLength(int at, int size, out long length)
        {
            length = 0;
            if (at + size > _data.Length)
            {
                return false;
            }

            ReadOnlySpan<byte> bytes = _data.Slice(at, size);
            length = size switch
            {
                1 => bytes[0],
                2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
                _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            };
            return true;
        }
    }
}
