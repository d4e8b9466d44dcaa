using System.Buffers;
using XSystem.Serialization;
using XSystem.Serialization.MessagePack;

namespace XSystem.Ipc;

/// <summary>
/// Encodes IPC values as MessagePack through <see cref="MessagePackFormat"/>: contractless resolver, untrusted-data
/// security, never typeless, so no input can name a .NET type.
/// </summary>
internal static class IpcCodec
{
    private static readonly MessagePackFormat Format = new();

    public static void Serialize<T>(T value, IBufferWriter<byte> output) => Format.Serialize(value, output, SerializerOptions.Default);

    public static byte[] Serialize<T>(T value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Format.Serialize(value, buffer, SerializerOptions.Default);
        return buffer.WrittenSpan.ToArray();
    }

    public static T Deserialize<T>(ReadOnlySpan<byte> data) => Format.Deserialize<T>(data, SerializerOptions.Default)!;
}
