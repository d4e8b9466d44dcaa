using System.Buffers.Binary;
using System.IO.Pipes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using XSystem.Ipc;

namespace XSystem.Benchmarks.Ipc;

/// <summary>
/// 100-byte messages over a named pipe (a Unix domain socket on Linux). Baseline: a raw NamedPipeServerStream /
/// NamedPipeClientStream pair with hand-written 4-byte length-prefix framing. The echo peer runs in this process on
/// another thread (same kernel path as a separate process, minus the process switch).
/// RoundTrip: one message out, the echo back. Stream: 1,000 messages pipelined one way, one acknowledgement at the end.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class PipeBenchmarks
{
    private const int StreamCount = 1_000;
    private readonly byte[] _payload = new byte[100];
    private readonly byte[] _rawFrame = new byte[104];
    private readonly byte[] _rawReply = new byte[104];
    private NamedPipeServerStream? _rawServer;
    private NamedPipeClientStream? _rawClient;
    private Task? _rawPeer;
    private MessagePipeServer? _server;
    private MessagePipe? _pipeClient;
    private MessagePipe? _pipePeer;
    private Task? _pipePeerLoop;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_payload);
        BinaryPrimitives.WriteInt32LittleEndian(_rawFrame, 100);
        _payload.CopyTo(_rawFrame, 4);

        string rawName = "xsb-raw-" + Environment.ProcessId;
        _rawServer = new NamedPipeServerStream(rawName, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        Task accept = _rawServer.WaitForConnectionAsync();
        _rawClient = new NamedPipeClientStream(".", rawName, PipeDirection.InOut, PipeOptions.Asynchronous);
        _rawClient.Connect(5000);
        accept.GetAwaiter().GetResult();
        _rawPeer = Task.Run(() => RawPeerAsync(_rawServer));

        string name = "xsb-pipe-" + Environment.ProcessId;
        _server = MessagePipe.CreateServer(name);
        Task<MessagePipe> acceptPipe = _server.AcceptAsync().AsTask();
        _pipeClient = MessagePipe.Connect(name);
        _pipePeer = acceptPipe.GetAwaiter().GetResult();
        _pipePeerLoop = Task.Run(() => PipePeerAsync(_pipePeer));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rawClient?.Dispose();
        _pipeClient?.Dispose();
        _rawPeer?.Wait(5000);
        _pipePeerLoop?.Wait(5000);
        _rawServer?.Dispose();
        _pipePeer?.Dispose();
        _server?.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("RoundTrip")]
    public async Task<int> Raw_RoundTrip()
    {
        _rawFrame[4] = 1; // echo
        await _rawClient!.WriteAsync(_rawFrame).ConfigureAwait(false);
        await _rawClient.ReadExactlyAsync(_rawReply).ConfigureAwait(false);
        return _rawReply[4];
    }

    [Benchmark, BenchmarkCategory("RoundTrip")]
    public async Task<int> MessagePipe_RoundTrip()
    {
        _payload[0] = 1; // echo
        await _pipeClient!.SendAsync(_payload).ConfigureAwait(false);
        byte[] reply = await _pipeClient.ReceiveAsync<byte[]>().ConfigureAwait(false);
        return reply[0];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = StreamCount), BenchmarkCategory("Stream1000")]
    public async Task<int> Raw_Stream()
    {
        for (int i = 0; i < StreamCount - 1; i++)
        {
            _rawFrame[4] = 0; // no echo
            await _rawClient!.WriteAsync(_rawFrame).ConfigureAwait(false);
        }

        _rawFrame[4] = 1; // echo this one
        await _rawClient!.WriteAsync(_rawFrame).ConfigureAwait(false);
        await _rawClient.ReadExactlyAsync(_rawReply).ConfigureAwait(false);
        return _rawReply[4];
    }

    [Benchmark(OperationsPerInvoke = StreamCount), BenchmarkCategory("Stream1000")]
    public async Task<int> MessagePipe_Stream()
    {
        _payload[0] = 0;
        for (int i = 0; i < StreamCount - 1; i++)
        {
            await _pipeClient!.SendAsync(_payload).ConfigureAwait(false);
        }

        _payload[0] = 1;
        await _pipeClient!.SendAsync(_payload).ConfigureAwait(false);
        byte[] reply = await _pipeClient.ReceiveAsync<byte[]>().ConfigureAwait(false);
        return reply[0];
    }

    /// <summary>Echoes each frame whose first payload byte is not 0 (RoundTrip frames carry random bytes; the stream marks them).</summary>
    private static async Task RawPeerAsync(Stream stream)
    {
        byte[] frame = new byte[104];
        try
        {
            while (true)
            {
                await stream.ReadExactlyAsync(frame.AsMemory(0, 4)).ConfigureAwait(false);
                int length = BinaryPrimitives.ReadInt32LittleEndian(frame);
                await stream.ReadExactlyAsync(frame.AsMemory(4, length)).ConfigureAwait(false);
                if (frame[4] != 0)
                {
                    await stream.WriteAsync(frame.AsMemory(0, 4 + length)).ConfigureAwait(false);
                }
            }
        }
        catch (EndOfStreamException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static async Task PipePeerAsync(MessagePipe pipe)
    {
        try
        {
            await foreach (byte[] message in pipe.ReadAllAsync<byte[]>().ConfigureAwait(false))
            {
                if (message[0] != 0)
                {
                    await pipe.SendAsync(message).ConfigureAwait(false);
                }
            }
        }
        catch (EndOfStreamException)
        {
        }
        catch (IOException)
        {
        }
    }
}
