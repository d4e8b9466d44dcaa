using System.Buffers;
using System.IO.Pipes;
using System.Runtime.CompilerServices;
using XSystem.Ipc.Internal;

namespace XSystem.Ipc;

/// <summary>
/// A typed, framed, duplex message channel between two processes over a named pipe (a Unix domain socket at
/// <c>/tmp/CoreFxPipe_NAME</c> on Linux and macOS, a Windows named pipe on Windows). Each message is one frame: a 4-byte
/// little-endian length and a MessagePack payload (contractless, untrusted-data limits, never typeless).
/// </summary>
/// <remarks>
/// <para>Start a server with <see cref="CreateServer(string, MessagePipeOptions?)"/> and <see cref="MessagePipeServer.AcceptAsync"/>;
/// connect from the other process with <see cref="Connect(string, MessagePipeOptions?)"/> or <see cref="ConnectAsync(string, MessagePipeOptions?, CancellationToken)"/>.</para>
/// <para>Messages arrive in the order they were sent, exactly once, or the connection fails. When the peer closes the
/// pipe or dies, <see cref="ReceiveAsync{T}"/> throws <see cref="EndOfStreamException"/> (and <see cref="ReadAllAsync{T}"/>
/// simply ends when that happens between two frames).</para>
/// <para>Thread safety: <see cref="SendAsync{T}"/> may be called from several threads at once (frames never interleave);
/// receive from one reader at a time.</para>
/// </remarks>
public sealed class MessagePipe : IAsyncDisposable, IDisposable
{
    private readonly PipeStream _stream;
    private readonly FrameReader _reader;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(1024);
    private readonly int _maxFrameBytes;
    private readonly string _channel;
    private int _disposed;

    internal MessagePipe(PipeStream stream, string name, MessagePipeOptions options)
    {
        _stream = stream;
        Name = name;
        _maxFrameBytes = options.MaxFrameBytes;
        _channel = $"message pipe '{name}'";
        _reader = new FrameReader(stream, options.MaxFrameBytes, _channel);
    }

    /// <summary>The pipe name both sides used.</summary>
    public string Name { get; }

    /// <summary>Whether the connection is open (not disposed, not closed after a protocol error, the peer not gone as far as known).</summary>
    public bool IsConnected => Volatile.Read(ref _disposed) == 0 && _stream.IsConnected;

    /// <summary>Creates a server that listens on <paramref name="name"/>; accept connections with <see cref="MessagePipeServer.AcceptAsync"/>.</summary>
    /// <param name="name">The pipe name: letters, digits, '-', '_' and '.', at most 80 characters (Unix socket paths are short).</param>
    /// <returns>The listening server.</returns>
    /// <exception cref="IOException">Another server already listens on the name.</exception>
    public static MessagePipeServer CreateServer(string name) => CreateServer(name, options: null);

    /// <summary>Creates a server that listens on <paramref name="name"/> with the given options.</summary>
    /// <param name="name">The pipe name: letters, digits, '-', '_' and '.', at most 80 characters.</param>
    /// <param name="options">Frame limit and timeouts; <see langword="null"/> for the defaults.</param>
    /// <returns>The listening server.</returns>
    public static MessagePipeServer CreateServer(string name, MessagePipeOptions? options)
    {
        ValidateName(name);
        return new MessagePipeServer(name, MessagePipeOptions.Validate(options));
    }

    /// <summary>Connects to the server listening on <paramref name="name"/>, waiting up to <see cref="MessagePipeOptions.ConnectTimeout"/>.</summary>
    /// <param name="name">The name the server was created with.</param>
    /// <returns>The connected pipe.</returns>
    /// <exception cref="TimeoutException">No server accepted the connection in time.</exception>
    public static MessagePipe Connect(string name) => Connect(name, options: null);

    /// <summary>Connects to the server listening on <paramref name="name"/> with the given options.</summary>
    /// <param name="name">The name the server was created with.</param>
    /// <param name="options">Frame limit and timeouts; <see langword="null"/> for the defaults.</param>
    /// <returns>The connected pipe.</returns>
    /// <exception cref="TimeoutException">No server accepted the connection in time.</exception>
    public static MessagePipe Connect(string name, MessagePipeOptions? options)
    {
        ValidateName(name);
        options = MessagePipeOptions.Validate(options);
        var client = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous);
        try
        {
            client.Connect(options.ConnectTimeout);
        }
        catch (TimeoutException ex)
        {
            client.Dispose();
            throw ConnectTimedOut(name, options, ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return new MessagePipe(client, name, options);
    }

    /// <summary>Connects asynchronously to the server listening on <paramref name="name"/>.</summary>
    /// <param name="name">The name the server was created with.</param>
    /// <param name="options">Frame limit and timeouts; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connected pipe.</returns>
    /// <exception cref="TimeoutException">No server accepted the connection within <see cref="MessagePipeOptions.ConnectTimeout"/>.</exception>
    public static async Task<MessagePipe> ConnectAsync(string name, MessagePipeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        options = MessagePipeOptions.Validate(options);
        var client = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous);
        try
        {
            await client.ConnectAsync(options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw ConnectTimedOut(name, options, ex);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new MessagePipe(client, name, options);
    }

    /// <summary>Sends one message. Concurrent sends are serialized; each message is one frame.</summary>
    /// <typeparam name="T">The message type (any MessagePack-contractless type: records, classes with public members, primitives, collections).</typeparam>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels waiting for the send lock and the write (a cancelled write may leave half a frame: the connection is then closed).</param>
    /// <returns>A task that completes when the frame was handed to the operating system.</returns>
    /// <exception cref="MessageFrameException">The message is larger than <see cref="MessagePipeOptions.MaxFrameBytes"/>; nothing was sent.</exception>
    /// <exception cref="IOException">The peer is gone.</exception>
    public async ValueTask SendAsync<T>(T message, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ReadOnlyMemory<byte> frame = Frames.Serialize(_sendBuffer, message, _maxFrameBytes, _channel);
            try
            {
                await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            if (_sendBuffer.Capacity > 1024 * 1024)
            {
                _sendBuffer.Clear();
            }

            _sendLock.Release();
        }
    }

    /// <summary>Receives the next message.</summary>
    /// <typeparam name="T">The expected message type.</typeparam>
    /// <param name="cancellationToken">Cancels the wait (the connection stays usable only if no byte of the frame had arrived; to be safe, dispose after a cancelled receive).</param>
    /// <returns>The message.</returns>
    /// <exception cref="EndOfStreamException">The peer closed the pipe or died (between frames or in the middle of one).</exception>
    /// <exception cref="MessageFrameException">The frame is over the limit (the connection is closed) or not MessagePack of <typeparamref name="T"/> (the connection stays usable).</exception>
    public async ValueTask<T> ReceiveAsync<T>(CancellationToken cancellationToken = default)
    {
        ReadOnlyMemory<byte>? frame = await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        if (frame is null)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw new EndOfStreamException($"The peer of message pipe '{Name}' closed the connection (or its process exited); no more messages will arrive.");
        }

        return Frames.Deserialize<T>(frame.Value, _channel);
    }

    /// <summary>Reads messages until the peer closes the pipe cleanly between two frames.</summary>
    /// <typeparam name="T">The expected message type.</typeparam>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The messages in the order they were sent.</returns>
    public async IAsyncEnumerable<T> ReadAllAsync<T>([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ReadOnlyMemory<byte>? frame = await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            if (frame is null)
            {
                yield break;
            }

            yield return Frames.Deserialize<T>(frame.Value, _channel);
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await _reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MessageFrameException)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (EndOfStreamException)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the connection; the peer's next receive ends with <see cref="EndOfStreamException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Closes the connection; the peer's next receive ends with <see cref="EndOfStreamException"/>.</summary>
    /// <returns>A task that completes when the pipe is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 80 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ArgumentException($"The pipe name '{name}' is not valid: use letters, digits, '-', '_' and '.', at most 80 characters (on Unix it becomes part of a socket path, which is limited to about 100 bytes).", nameof(name));
        }
    }

    private static TimeoutException ConnectTimedOut(string name, MessagePipeOptions options, Exception inner) =>
        new($"No message pipe server accepted a connection on '{name}' within {options.ConnectTimeout}. Start the server first (MessagePipe.CreateServer) and check that both processes use the same name and run as the same user.", inner);
}
