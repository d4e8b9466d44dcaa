using System.Buffers;
using System.Buffers.Binary;
using MessagePack;

namespace XSystem.Ipc.Internal;

/// <summary>Builds length-prefixed frames whose payload is MessagePack, in a reusable buffer.</summary>
internal static class Frames
{
    /// <summary>MessagePack options for every frame: contractless (no attributes needed), untrusted-data limits, never typeless.</summary>
    public static readonly MessagePackSerializerOptions Options =
        MessagePack.Resolvers.ContractlessStandardResolver.Options.WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Reserves the 4-byte header in <paramref name="buffer"/>; call <see cref="Complete"/> after writing the payload.</summary>
    public static void BeginFrame(ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        buffer.GetSpan(FrameReader.HeaderBytes);
        buffer.Advance(FrameReader.HeaderBytes);
    }

    /// <summary>Writes the payload length into the header and returns the whole frame.</summary>
    public static ReadOnlyMemory<byte> Complete(ArrayBufferWriter<byte> buffer, int maxFrameBytes, string channel)
    {
        int payload = buffer.WrittenCount - FrameReader.HeaderBytes;
        if (payload > maxFrameBytes)
        {
            throw MessageFrameException.SendTooLarge(channel, payload, maxFrameBytes);
        }

        ReadOnlyMemory<byte> frame = buffer.WrittenMemory;
        BinaryPrimitives.WriteInt32LittleEndian(MemoryMarshalHelper.AsWritable(frame).Span, payload);
        return frame;
    }

    /// <summary>Serializes <paramref name="value"/> as one frame into <paramref name="buffer"/>.</summary>
    public static ReadOnlyMemory<byte> Serialize<T>(ArrayBufferWriter<byte> buffer, T value, int maxFrameBytes, string channel)
    {
        BeginFrame(buffer);
        MessagePackSerializer.Serialize(buffer, value, Options);
        return Complete(buffer, maxFrameBytes, channel);
    }

    /// <summary>Deserializes a payload; undecodable bytes become a <see cref="MessageFrameException"/>.</summary>
    public static T Deserialize<T>(ReadOnlyMemory<byte> payload, string channel)
    {
        try
        {
            return MessagePackSerializer.Deserialize<T>(payload, Options);
        }
        catch (MessagePackSerializationException ex)
        {
            throw MessageFrameException.Undecodable(channel, typeof(T), payload.Length, ex);
        }
    }
}

internal static class MemoryMarshalHelper
{
    public static Memory<byte> AsWritable(ReadOnlyMemory<byte> memory) => System.Runtime.InteropServices.MemoryMarshal.AsMemory(memory);
}
