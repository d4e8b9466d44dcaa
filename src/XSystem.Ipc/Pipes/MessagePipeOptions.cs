namespace XSystem.Ipc;

/// <summary>Settings of a <see cref="MessagePipe"/> connection or <see cref="MessagePipeServer"/>.</summary>
/// <remarks>Thread safety: set the properties before passing the options; they are read, not changed, afterwards.</remarks>
public sealed class MessagePipeOptions
{
    /// <summary>The default frame-size limit: 16 MiB.</summary>
    public const int DefaultMaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Largest payload in bytes that a frame may carry, in both directions. Default 16 MiB. A larger incoming frame
    /// throws <see cref="MessageFrameException"/> and closes the connection; a larger outgoing message throws before
    /// anything is sent.
    /// </summary>
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;

    /// <summary>How long <see cref="MessagePipe.Connect(string, MessagePipeOptions?)"/> and <see cref="MessagePipe.ConnectAsync(string, MessagePipeOptions?, CancellationToken)"/> wait for a server. Default 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal static MessagePipeOptions Validate(MessagePipeOptions? options)
    {
        options ??= new MessagePipeOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFrameBytes, 1, nameof(options));
        if (options.ConnectTimeout <= TimeSpan.Zero && options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ConnectTimeout, "ConnectTimeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        return options;
    }
}
