using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace XSystem.Ipc.Internal;

/// <summary>
/// The frames between a <see cref="ProcessPool"/> and its workers. Every payload starts with a kind byte and an
/// 8-byte little-endian id (the correlation id, or the worker's pid in <see cref="FrameKind.Hello"/>).
/// Request: handler name (2-byte length + UTF-8) then the MessagePack request. Result: the MessagePack response.
/// Error: UTF-8 "ExceptionType\nmessage". Hello: the magic <c>XSPW1</c>. Shutdown: nothing.
/// </summary>
internal static class PoolProtocol
{
    public const string PipeArgument = "--xsystem-pool-pipe";
    public const int PrefixBytes = 9;
    public static ReadOnlySpan<byte> Magic => "XSPW1"u8;

    public static void WriteHeader(ArrayBufferWriter<byte> buffer, FrameKind kind, long id)
    {
        Span<byte> span = buffer.GetSpan(PrefixBytes);
        span[0] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], id);
        buffer.Advance(PrefixBytes);
    }

    public static void WriteString(ArrayBufferWriter<byte> buffer, string text, bool lengthPrefix)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> span = buffer.GetSpan(max + 2);
        int written = Encoding.UTF8.GetBytes(text, lengthPrefix ? span[2..] : span);
        if (lengthPrefix)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, checked((ushort)written));
            written += 2;
        }

        buffer.Advance(written);
    }

    public static (FrameKind Kind, long Id, ReadOnlyMemory<byte> Payload) Parse(ReadOnlyMemory<byte> frame, string channel)
    {
        if (frame.Length < PrefixBytes || frame.Span[0] is 0 or > (byte)FrameKind.Shutdown)
        {
            throw new MessageFrameException($"A {frame.Length}-byte frame on {channel} is not a process-pool frame (first bytes {Convert.ToHexString(frame.Span[..Math.Min(frame.Length, 16)])}). The process on the other end is not a ProcessPoolWorker, or it wrote to the frame channel.");
        }

        return ((FrameKind)frame.Span[0], BinaryPrimitives.ReadInt64LittleEndian(frame.Span[1..]), frame[PrefixBytes..]);
    }

    public static (string Handler, ReadOnlyMemory<byte> Body) ParseRequest(ReadOnlyMemory<byte> rest, string channel)
    {
        if (rest.Length < 2)
        {
            throw new MessageFrameException($"A request frame on {channel} is truncated.");
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(rest.Span);
        if (rest.Length < 2 + length)
        {
            throw new MessageFrameException($"A request frame on {channel} announces a {length}-byte handler name but is shorter.");
        }

        return (Encoding.UTF8.GetString(rest.Span.Slice(2, length)), rest[(2 + length)..]);
    }
}

internal enum FrameKind : byte
{
    Hello = 1,
    Request = 2,
    Result = 3,
    Error = 4,
    Shutdown = 5,
}
