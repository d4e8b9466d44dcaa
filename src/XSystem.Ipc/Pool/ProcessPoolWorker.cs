using System.Buffers;
using System.IO.Pipes;
using System.Threading.Channels;
using XSystem.Ipc.Internal;

namespace XSystem.Ipc;

/// <summary>
/// The entry point of a worker process of a <see cref="ProcessPool"/>. A worker is a console app whose <c>Main</c> calls
/// <see cref="RunAsync"/> with its handlers:
/// <code>
/// return await ProcessPoolWorker.RunAsync(args,
/// [
///     ProcessPoolWorker.Handle&lt;int, int&gt;("square", (x, ct) =&gt; ValueTask.FromResult(x * x)),
/// ]);
/// </code>
/// Requests and responses travel over a private pipe whose name the pool passes in the arguments, so the worker's
/// standard output and error stay free for its own logging.
/// </summary>
/// <remarks>
/// Thread safety: the static methods are thread-safe. A handler that completes synchronously blocks the worker's
/// reader until it returns (one synchronous handler at a time per worker); asynchronous handlers interleave.
/// </remarks>
public static class ProcessPoolWorker
{
    /// <summary>Creates a handler that <see cref="ProcessPool.SubmitAsync{TRequest, TResponse}(string, TRequest, CancellationToken)"/> reaches by <paramref name="name"/>.</summary>
    /// <typeparam name="TRequest">The request type (MessagePack contractless).</typeparam>
    /// <typeparam name="TResponse">The response type (MessagePack contractless).</typeparam>
    /// <param name="name">The handler name, 1 to 200 characters.</param>
    /// <param name="handler">The work. Its token is cancelled when the pool shuts the worker down. An exception it throws fails only that task, with <see cref="ProcessPoolTaskException"/>.</param>
    /// <returns>The handler to pass to <see cref="RunAsync"/>.</returns>
    public static ProcessPoolHandler Handle<TRequest, TResponse>(string name, Func<TRequest, CancellationToken, ValueTask<TResponse>> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, 200, nameof(name));
        ArgumentNullException.ThrowIfNull(handler);
        return ProcessPoolHandler.Create(name, handler);
    }

    /// <summary>Whether <paramref name="args"/> came from a <see cref="ProcessPool"/> (they carry the pool's pipe name).</summary>
    /// <param name="args">The process arguments.</param>
    /// <returns><see langword="true"/> when the process was started as a pool worker.</returns>
    public static bool IsWorkerInvocation(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return FindPipeName(args) is not null;
    }

    /// <summary>
    /// Connects to the pool named in <paramref name="args"/> and serves requests until the pool shuts the worker down
    /// or goes away (its pipe closes: the worker then exits, so workers never outlive their pool).
    /// </summary>
    /// <param name="args">The process arguments as received by <c>Main</c>; the pool appends <c>--xsystem-pool-pipe NAME</c>.</param>
    /// <param name="handlers">The handlers, with distinct names.</param>
    /// <param name="cancellationToken">Stops serving.</param>
    /// <returns>The exit code: 0 after a normal shutdown, 2 when the arguments name no pool.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IEnumerable<ProcessPoolHandler> handlers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(handlers);
        var byName = new Dictionary<string, ProcessPoolHandler>(StringComparer.Ordinal);
        foreach (ProcessPoolHandler handler in handlers)
        {
            if (!byName.TryAdd(handler.Name, handler))
            {
                throw new ArgumentException($"Two handlers are named '{handler.Name}'; handler names must be unique.", nameof(handlers));
            }
        }

        string? pipeName = FindPipeName(args);
        if (pipeName is null)
        {
            await Console.Error.WriteLineAsync($"This program is a ProcessPool worker: it must be started by XSystem.Ipc.ProcessPool, which passes '{PoolProtocol.PipeArgument} NAME'.").ConfigureAwait(false);
            return 2;
        }

        var pipe = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.Asynchronous);
        await using (pipe.ConfigureAwait(false))
        {
            await pipe.ConnectAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            var session = new WorkerSession(pipe, byName, pipeName);
            await session.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
    }

    internal static string? FindPipeName(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == PoolProtocol.PipeArgument)
            {
                return args[i + 1];
            }
        }

        return null;
    }

    private sealed class WorkerSession(Stream pipe, Dictionary<string, ProcessPoolHandler> handlers, string pipeName)
    {
        private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
        private readonly string _channel = $"process-pool pipe '{pipeName}' (worker side)";
        private readonly ArrayBufferWriter<byte> _scratch = new(4096);
        private int _running;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task writer = WriteLoopAsync();
            Send(FrameKind.Hello, Environment.ProcessId, static b => b.Write(PoolProtocol.Magic));
            var reader = new FrameReader(pipe, int.MaxValue - 16, _channel);
            try
            {
                while (true)
                {
                    ReadOnlyMemory<byte>? frame = await reader.ReadFrameAsync(stop.Token).ConfigureAwait(false);
                    if (frame is null)
                    {
                        break; // the pool is gone or closed the pipe
                    }

                    (FrameKind kind, long id, ReadOnlyMemory<byte> rest) = PoolProtocol.Parse(frame.Value, _channel);
                    if (kind == FrameKind.Shutdown)
                    {
                        break;
                    }

                    if (kind == FrameKind.Request)
                    {
                        Dispatch(id, rest, stop.Token);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }

            SpinWait spin = default;
            while (Volatile.Read(ref _running) > 0)
            {
                spin.SpinOnce(sleep1Threshold: 20);
            }

            _outbox.Writer.TryComplete();
            await writer.ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
        }

        private void Dispatch(long id, ReadOnlyMemory<byte> rest, CancellationToken cancellationToken)
        {
            string handlerName;
            ReadOnlyMemory<byte> body;
            (handlerName, body) = PoolProtocol.ParseRequest(rest, _channel);
            if (!handlers.TryGetValue(handlerName, out ProcessPoolHandler? handler))
            {
                SendError(id, nameof(KeyNotFoundException), $"The worker has no handler named '{handlerName}'. Registered: {string.Join(", ", handlers.Keys.Order(StringComparer.Ordinal))}.");
                return;
            }

            var output = new ArrayBufferWriter<byte>(64);
            ValueTask pending;
            try
            {
                pending = handler.InvokeAsync(body, output, cancellationToken);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                SendError(id, ex.GetType().FullName ?? ex.GetType().Name, ex.Message);
                return;
            }

            if (pending.IsCompletedSuccessfully)
            {
                SendResult(id, output);
                return;
            }

            Interlocked.Increment(ref _running);
            _ = CompleteAsync(id, pending, output);
        }

        private async Task CompleteAsync(long id, ValueTask pending, ArrayBufferWriter<byte> output)
        {
            try
            {
                await pending.ConfigureAwait(false);
                SendResult(id, output);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                SendError(id, ex.GetType().FullName ?? ex.GetType().Name, ex.Message);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private void SendResult(long id, ArrayBufferWriter<byte> output) =>
            Send(FrameKind.Result, id, b => b.Write(output.WrittenSpan));

        private void SendError(long id, string type, string message) =>
            Send(FrameKind.Error, id, b => PoolProtocol.WriteString(b, type + "\n" + message, lengthPrefix: false));

        private void Send(FrameKind kind, long id, Action<ArrayBufferWriter<byte>> body)
        {
            byte[] frame;
            lock (_scratch)
            {
                Frames.BeginFrame(_scratch);
                PoolProtocol.WriteHeader(_scratch, kind, id);
                body(_scratch);
                frame = Frames.Complete(_scratch, int.MaxValue, _channel).ToArray();
            }

            _outbox.Writer.TryWrite(frame);
        }

        private async Task WriteLoopAsync()
        {
            var buffered = new BufferedStream(pipe, 64 * 1024);
            try
            {
                while (await _outbox.Reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    while (_outbox.Reader.TryRead(out byte[]? frame))
                    {
                        await buffered.WriteAsync(frame).ConfigureAwait(false);
                    }

                    await buffered.FlushAsync().ConfigureAwait(false);
                }
            }
            catch (IOException)
            {
                // The pool is gone; the read loop ends as well.
            }
        }
    }
}
