using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using XSystem.Ipc;

namespace XSystem.Benchmarks.Ipc;

/// <summary>
/// One producer and one consumer move 100,000 ints through MessageQueue (FIFO) and through a raw Channel with the same
/// bounded/unbounded setting. Target: MessageQueue ≥ 0.8x the Channel's throughput.
/// </summary>
[MemoryDiagnoser]
public class QueueBenchmarks
{
    private const int Items = 100_000;

    [Params(false, true)]
    public bool Bounded { get; set; }

    [Benchmark(Baseline = true)]
    public async Task<long> Channel_Raw()
    {
        Channel<int> channel = Bounded ? Channel.CreateBounded<int>(1024) : Channel.CreateUnbounded<int>();
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < Items; i++)
            {
                await channel.Writer.WriteAsync(i).ConfigureAwait(false);
            }
        });
        long sum = 0;
        for (int i = 0; i < Items; i++)
        {
            sum += await channel.Reader.ReadAsync().ConfigureAwait(false);
        }

        await producer.ConfigureAwait(false);
        return sum;
    }

    [Benchmark]
    public async Task<long> MessageQueue_Fifo()
    {
        var queue = new MessageQueue<int>(Bounded ? 1024 : 0);
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < Items; i++)
            {
                await queue.EnqueueAsync(i).ConfigureAwait(false);
            }
        });
        long sum = 0;
        for (int i = 0; i < Items; i++)
        {
            sum += await queue.DequeueAsync().ConfigureAwait(false);
        }

        await producer.ConfigureAwait(false);
        return sum;
    }
}

/// <summary>
/// Priority mode: one producer and one consumer move 100,000 ints with priorities 0-15. Reference: a Channel of
/// signals feeding a PriorityQueue (priority, sequence) under a lock, which is what one writes by hand.
/// </summary>
[MemoryDiagnoser]
public class PriorityQueueBenchmarks
{
    private const int Items = 100_000;

    [Benchmark(Baseline = true)]
    public async Task<long> Channel_PlusPriorityQueueUnderLock()
    {
        var heap = new PriorityQueue<int, (int, long)>();
        var gate = new Lock();
        Channel<bool> signals = Channel.CreateUnbounded<bool>();
        Task producer = Task.Run(() =>
        {
            for (int i = 0; i < Items; i++)
            {
                lock (gate)
                {
                    heap.Enqueue(i, (i & 15, i));
                }

                signals.Writer.TryWrite(true);
            }
        });
        long sum = 0;
        for (int i = 0; i < Items; i++)
        {
            await signals.Reader.ReadAsync().ConfigureAwait(false);
            lock (gate)
            {
                sum += heap.Dequeue();
            }
        }

        await producer.ConfigureAwait(false);
        return sum;
    }

    [Benchmark]
    public async Task<long> MessageQueue_Priority()
    {
        var queue = new MessageQueue<int>(priority: true);
        Task producer = Task.Run(() =>
        {
            for (int i = 0; i < Items; i++)
            {
                queue.Enqueue(i, i & 15);
            }
        });
        long sum = 0;
        for (int i = 0; i < Items; i++)
        {
            sum += await queue.DequeueAsync().ConfigureAwait(false);
        }

        await producer.ConfigureAwait(false);
        return sum;
    }
}

/// <summary>
/// FileMessageQueue with the default options (fsync batched every 200 ms): messages per second for enqueue alone and
/// for the full enqueue, dequeue and acknowledge cycle of a 100-byte message. No baseline: the number is reported.
/// </summary>
[MemoryDiagnoser]
public class FileQueueBenchmarks
{
    private const int Messages = 1000;
    private static readonly byte[] Payload = new byte[100];
    private string _root = "";

    [GlobalSetup]
    public void Setup() => _root = Directory.CreateTempSubdirectory("xsystem-bench-fq-").FullName;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(OperationsPerInvoke = Messages)]
    public long Enqueue()
    {
        string dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        long last = 0;
        using (var queue = new FileMessageQueue<byte[]>(dir))
        {
            for (int i = 0; i < Messages; i++)
            {
                last = queue.Enqueue(Payload);
            }
        }

        Directory.Delete(dir, recursive: true);
        return last;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long EnqueueDequeueAck()
    {
        string dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        long acked = 0;
        using (var queue = new FileMessageQueue<byte[]>(dir))
        {
            for (int i = 0; i < Messages; i++)
            {
                queue.Enqueue(Payload);
            }

            while (queue.TryDequeue(out FileQueueMessage<byte[]>? message))
            {
                acked += message.Ack() ? 1 : 0;
            }
        }

        Directory.Delete(dir, recursive: true);
        return acked;
    }
}
