using System.Buffers;
using MessagePack;
using XSystem.Ipc.Internal;

namespace XSystem.Ipc;

/// <summary>
/// A named request handler of a worker process, created by <see cref="ProcessPoolWorker.Handle{TRequest, TResponse}"/>
/// and passed to <see cref="ProcessPoolWorker.RunAsync"/>.
/// </summary>
/// <remarks>Thread safety: immutable; the wrapped delegate may be called concurrently when it completes asynchronously.</remarks>
public sealed class ProcessPoolHandler
{
    private readonly Func<ReadOnlyMemory<byte>, ArrayBufferWriter<byte>, CancellationToken, ValueTask> _invoke;

    internal ProcessPoolHandler(string name, Type requestType, Type responseType, Func<ReadOnlyMemory<byte>, ArrayBufferWriter<byte>, CancellationToken, ValueTask> invoke)
    {
        Name = name;
        RequestType = requestType;
        ResponseType = responseType;
        _invoke = invoke;
    }

    /// <summary>The name <see cref="ProcessPool.SubmitAsync{TRequest, TResponse}(string, TRequest, CancellationToken)"/> calls it by.</summary>
    public string Name { get; }

    /// <summary>The request type.</summary>
    public Type RequestType { get; }

    /// <summary>The response type.</summary>
    public Type ResponseType { get; }

    internal ValueTask InvokeAsync(ReadOnlyMemory<byte> body, ArrayBufferWriter<byte> output, CancellationToken cancellationToken) =>
        _invoke(body, output, cancellationToken);

    internal static ProcessPoolHandler Create<TRequest, TResponse>(string name, Func<TRequest, CancellationToken, ValueTask<TResponse>> handler) =>
        new(name, typeof(TRequest), typeof(TResponse), (body, output, ct) =>
        {
            TRequest request = MessagePackSerializer.Deserialize<TRequest>(body, Frames.Options, ct);
            ValueTask<TResponse> pending = handler(request, ct);
            if (pending.IsCompletedSuccessfully)
            {
                MessagePackSerializer.Serialize(output, pending.Result, Frames.Options, ct);
                return ValueTask.CompletedTask;
            }

            return Await(pending, output);
        });

    private static async ValueTask Await<TResponse>(ValueTask<TResponse> pending, ArrayBufferWriter<byte> output)
    {
        TResponse response = await pending.ConfigureAwait(false);
        MessagePackSerializer.Serialize(output, response, Frames.Options, CancellationToken.None);
    }
}
