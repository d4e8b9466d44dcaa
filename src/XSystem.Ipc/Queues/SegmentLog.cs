using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace XSystem.Ipc;

/// <summary>What reading one record at an offset found.</summary>
internal enum RecordStatus
{
    /// <summary>A whole record whose checksum holds.</summary>
    Ok,

    /// <summary>The offset is the end of the file.</summary>
    End,

    /// <summary>The bytes from the offset to the end of the file are not a whole record (a torn tail, or an unreadable length).</summary>
    Torn,

    /// <summary>A whole record whose checksum fails and that is followed by more data; it can be skipped.</summary>
    Corrupt,
}

/// <summary>
/// The on-disk format of a file queue. A segment starts with a 16-byte header (magic <c>XFQSEG01</c>, segment index as
/// little-endian int64) followed by records <c>[uint32 length][uint32 CRC-32C of payload][payload]</c> (little-endian).
/// </summary>
internal static class SegmentLog
{
    public const int HeaderSize = 16;
    public const int FrameHeaderSize = 8;
    public const int HardMaxRecord = 256 * 1024 * 1024;
    public const string SegmentExtension = ".seg";
    public const string StateFileName = "consumer.state";
    public const string LockFileName = "queue.lock";
    private const int IndexBits = 40;

    public static ReadOnlySpan<byte> Magic => "XFQSEG01"u8;

    public static long MakeId(long segment, long offset) => (segment << IndexBits) | offset;

    public static (long Segment, long Offset) SplitId(long id) => (id >>> IndexBits, id & ((1L << IndexBits) - 1));

    public static string SegmentPath(string directory, long index) =>
        Path.Combine(directory, index.ToString("D12", CultureInfo.InvariantCulture) + SegmentExtension);

    /// <summary>The segment indexes present in the directory, ascending. Files with other names are ignored.</summary>
    public static List<long> ListSegments(string directory)
    {
        var list = new List<long>();
        foreach (string file in Directory.EnumerateFiles(directory, "*" + SegmentExtension))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (name.Length == 12 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out long index))
            {
                list.Add(index);
            }
        }

        list.Sort();
        return list;
    }

    public static byte[] BuildHeader(long index)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), index);
        return header;
    }

    /// <summary>Checks the segment header; throws a clear error when the file is not a segment.</summary>
    public static void CheckHeader(SafeFileHandle handle, string path, long index)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        int read = RandomAccess.Read(handle, header, 0);
        if (read < HeaderSize || !header[..8].SequenceEqual(Magic))
        {
            throw new FileQueueCorruptedException(
                $"The file queue segment '{path}' has no valid header (expected the magic 'XFQSEG01'); it is damaged or is not a queue segment. Move it out of the queue directory; the messages in it are lost.")
            {
                FilePath = path,
            };
        }

        long stored = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        if (stored != index)
        {
            throw new FileQueueCorruptedException(
                $"The file queue segment '{path}' says it is segment {stored}, but its name says {index}; it was renamed or copied. Restore its original name.")
            {
                FilePath = path,
            };
        }
    }

    /// <summary>Reads the record at <paramref name="offset"/>.</summary>
    public static RecordStatus Read(SafeFileHandle handle, long fileLength, long offset, out byte[]? payload, out long next)
    {
        payload = null;
        next = offset;
        long remaining = fileLength - offset;
        if (remaining <= 0)
        {
            return RecordStatus.End;
        }

        if (remaining < FrameHeaderSize)
        {
            return RecordStatus.Torn;
        }

        Span<byte> frame = stackalloc byte[FrameHeaderSize];
        if (RandomAccess.Read(handle, frame, offset) < FrameHeaderSize)
        {
            return RecordStatus.Torn;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]);
        if (length == 0 || length > HardMaxRecord || length > remaining - FrameHeaderSize)
        {
            return RecordStatus.Torn;
        }

        var data = new byte[length];
        if (RandomAccess.Read(handle, data, offset + FrameHeaderSize) < data.Length)
        {
            return RecordStatus.Torn;
        }

        long end = offset + FrameHeaderSize + length;
        if (Crc32C.Compute(data) != crc)
        {
            if (end >= fileLength)
            {
                return RecordStatus.Torn;
            }

            next = end;
            return RecordStatus.Corrupt;
        }

        payload = data;
        next = end;
        return RecordStatus.Ok;
    }

    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[FrameHeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32C.Compute(payload));
        payload.CopyTo(frame.AsSpan(FrameHeaderSize));
        return frame;
    }
}

/// <summary>One delivered, unacknowledged message.</summary>
internal struct InFlightEntry
{
    public long Segment;
    public long Offset;
    public long DeadlineMs;
    public int Deliveries;
}

/// <summary>
/// The consumer state shared by every process: the acknowledged low-water mark (everything before it is acknowledged),
/// the delivery cursor, and the leases of delivered messages. Stored as <c>consumer.state</c>, replaced atomically.
/// Layout: magic <c>XFQST001</c>, ackSeg, ackOff, readSeg, readOff, corrupt (int64 each), count (int32), entries
/// (segment, offset, deadline ms as int64, deliveries as int32), CRC-32C of all preceding bytes.
/// </summary>
internal sealed class QueueState
{
    private const int EntrySize = 28;
    private const int FixedSize = 8 + (5 * 8) + 4;

    public long AckSegment;
    public long AckOffset;
    public long ReadSegment;
    public long ReadOffset;
    public long CorruptRecords;
    public List<InFlightEntry> InFlight = [];

    private static ReadOnlySpan<byte> Magic => "XFQST001"u8;

    public static QueueState Initial(long firstSegment) => new()
    {
        AckSegment = firstSegment,
        AckOffset = SegmentLog.HeaderSize,
        ReadSegment = firstSegment,
        ReadOffset = SegmentLog.HeaderSize,
    };

    public static QueueState Parse(ReadOnlySpan<byte> data, string path)
    {
        if (data.Length < FixedSize + 4 || !data[..8].SequenceEqual(Magic)
            || Crc32C.Compute(data[..^4]) != BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]))
        {
            throw Damaged(path);
        }

        var state = new QueueState
        {
            AckSegment = BinaryPrimitives.ReadInt64LittleEndian(data[8..]),
            AckOffset = BinaryPrimitives.ReadInt64LittleEndian(data[16..]),
            ReadSegment = BinaryPrimitives.ReadInt64LittleEndian(data[24..]),
            ReadOffset = BinaryPrimitives.ReadInt64LittleEndian(data[32..]),
            CorruptRecords = BinaryPrimitives.ReadInt64LittleEndian(data[40..]),
        };
        int count = BinaryPrimitives.ReadInt32LittleEndian(data[48..]);
        if (count < 0 || data.Length != FixedSize + ((long)count * EntrySize) + 4)
        {
            throw Damaged(path);
        }

        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> e = data.Slice(FixedSize + (i * EntrySize), EntrySize);
            state.InFlight.Add(new InFlightEntry
            {
                Segment = BinaryPrimitives.ReadInt64LittleEndian(e),
                Offset = BinaryPrimitives.ReadInt64LittleEndian(e[8..]),
                DeadlineMs = BinaryPrimitives.ReadInt64LittleEndian(e[16..]),
                Deliveries = BinaryPrimitives.ReadInt32LittleEndian(e[24..]),
            });
        }

        return state;
    }

    public byte[] ToBytes()
    {
        var data = new byte[FixedSize + (InFlight.Count * EntrySize) + 4];
        Span<byte> s = data;
        Magic.CopyTo(s);
        BinaryPrimitives.WriteInt64LittleEndian(s[8..], AckSegment);
        BinaryPrimitives.WriteInt64LittleEndian(s[16..], AckOffset);
        BinaryPrimitives.WriteInt64LittleEndian(s[24..], ReadSegment);
        BinaryPrimitives.WriteInt64LittleEndian(s[32..], ReadOffset);
        BinaryPrimitives.WriteInt64LittleEndian(s[40..], CorruptRecords);
        BinaryPrimitives.WriteInt32LittleEndian(s[48..], InFlight.Count);
        for (int i = 0; i < InFlight.Count; i++)
        {
            Span<byte> e = s.Slice(FixedSize + (i * EntrySize), EntrySize);
            InFlightEntry entry = InFlight[i];
            BinaryPrimitives.WriteInt64LittleEndian(e, entry.Segment);
            BinaryPrimitives.WriteInt64LittleEndian(e[8..], entry.Offset);
            BinaryPrimitives.WriteInt64LittleEndian(e[16..], entry.DeadlineMs);
            BinaryPrimitives.WriteInt32LittleEndian(e[24..], entry.Deliveries);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(s[^4..], Crc32C.Compute(s[..^4]));
        return data;
    }

    /// <summary>Moves the acknowledged mark to the oldest in-flight message, or to the cursor when none is in flight.</summary>
    public void AdvanceAck()
    {
        long segment = ReadSegment;
        long offset = ReadOffset;
        foreach (InFlightEntry entry in InFlight)
        {
            if (entry.Segment < segment || (entry.Segment == segment && entry.Offset < offset))
            {
                segment = entry.Segment;
                offset = entry.Offset;
            }
        }

        AckSegment = segment;
        AckOffset = offset;
    }

    public int IndexOf(long segment, long offset)
    {
        for (int i = 0; i < InFlight.Count; i++)
        {
            if (InFlight[i].Segment == segment && InFlight[i].Offset == offset)
            {
                return i;
            }
        }

        return -1;
    }

    private static FileQueueCorruptedException Damaged(string path) => new(
        $"The file queue state '{path}' is damaged (bad magic, size or checksum). Delete it to redeliver every message still in the segment files (at-least-once).")
    {
        FilePath = path,
    };
}
