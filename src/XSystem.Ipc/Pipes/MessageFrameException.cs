using System.Globalization;

namespace XSystem.Ipc;

/// <summary>
/// A frame on an XSystem IPC channel (a <see cref="MessagePipe"/> or a <see cref="ProcessPool"/> worker pipe) was refused:
/// its length prefix is above the limit (or negative, which is what garbage usually decodes to), or its payload is not
/// MessagePack of the expected type. After an oversized frame the receiving side closes the connection, because the
/// stream can no longer be trusted to be at a frame boundary; after an undecodable payload a <see cref="MessagePipe"/>
/// stays usable (the next frame starts at a known place), while a <see cref="ProcessPool"/> replaces the worker.
/// </summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class MessageFrameException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public MessageFrameException()
        : base("An IPC frame was refused.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    public MessageFrameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    /// <param name="innerException">The decoder error.</param>
    public MessageFrameException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The frame length announced by the peer, or -1 when the length was acceptable but the payload was not.</summary>
    public long FrameLength { get; private init; } = -1;

    internal static MessageFrameException TooLarge(string channel, int length, int max, ReadOnlySpan<byte> header) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"A frame on {channel} announces {(uint)length} bytes, more than the limit of {max} bytes (header bytes {Convert.ToHexString(header)}). Either the peer sent a message that is too large (raise MaxFrameBytes on both sides) or it wrote something that is not an XSystem frame (garbage, console output on the frame channel). The connection was closed."))
        {
            FrameLength = (uint)length,
        };

    internal static MessageFrameException SendTooLarge(string channel, int length, int max) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"The message for {channel} serializes to {length} bytes, more than the limit of {max} bytes; nothing was sent and the connection is still usable. Send smaller messages or raise MaxFrameBytes on both sides."))
        {
            FrameLength = length,
        };

    internal static MessageFrameException Undecodable(string channel, Type type, int length, Exception inner) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"A {length}-byte frame on {channel} is not MessagePack of {type.Name}: {inner.Message}. Check that both sides exchange the same message types."),
            inner);
}
