using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using XSystem.Threading;

namespace XSystem.Benchmarks.Threading;

/// <summary>One producer and one consumer move 100,000 ints. Baseline: a raw unbounded/bounded Channel; target ≥ 0.9x throughput.</summary>
[MemoryDiagnoser]
public class AsyncQueueBenchmarks
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
    public async Task<long> XSystem_AsyncQueue()
    {
        var queue = new AsyncQueue<int>(new AsyncQueueOptions { Capacity = Bounded ? 1024 : null });
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
