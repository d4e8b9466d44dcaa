using System.IO.Pipes;

namespace XSystem.Ipc;

/// <summary>
/// Listens on a pipe name and hands out one <see cref="MessagePipe"/> per connecting client. One listening instance
/// is always kept ready, so clients that connect between two <see cref="AcceptAsync"/> calls wait in the backlog.
/// </summary>
/// <remarks>Thread safety: call <see cref="AcceptAsync"/> from one caller at a time; <see cref="DisposeAsync"/> may race with it (the accept then throws <see cref="ObjectDisposedException"/>).</remarks>
public sealed class MessagePipeServer : IAsyncDisposable, IDisposable
{
    private readonly MessagePipeOptions _options;
    private NamedPipeServerStream? _pending;

    internal MessagePipeServer(string name, MessagePipeOptions options)
    {
        Name = name;
        _options = options;
        _pending = NewInstance();
    }

    /// <summary>The pipe name clients connect to.</summary>
    public string Name { get; }

    /// <summary>Waits for the next client and returns its connection.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connected pipe; dispose it when done.</returns>
    public async ValueTask<MessagePipe> AcceptAsync(CancellationToken cancellationToken = default)
    {
        NamedPipeServerStream pending = Volatile.Read(ref _pending) ?? throw new ObjectDisposedException(nameof(MessagePipeServer));
        await pending.WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        NamedPipeServerStream next = NewInstance();
        if (Interlocked.CompareExchange(ref _pending, next, pending) != pending)
        {
            await next.DisposeAsync().ConfigureAwait(false);
            await pending.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(MessagePipeServer));
        }

        return new MessagePipe(pending, Name, _options);
    }

    /// <summary>Stops listening. Connections already accepted stay open.</summary>
    public void Dispose() => Interlocked.Exchange(ref _pending, null)?.Dispose();

    /// <summary>Stops listening. Connections already accepted stay open.</summary>
    /// <returns>A task that completes when the listener is closed.</returns>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _pending, null)?.DisposeAsync() ?? ValueTask.CompletedTask;

    private NamedPipeServerStream NewInstance() =>
        new(Name, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
}
