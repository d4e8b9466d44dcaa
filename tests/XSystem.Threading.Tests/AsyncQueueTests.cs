using System.Threading.Channels;

namespace XSystem.Threading.Tests;

public class AsyncQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnqueueDequeue_Unbounded_Fifo()
    {
        var queue = new AsyncQueue<int>();

        for (int i = 0; i < 5; i++)
        {
            await queue.EnqueueAsync(i, Ct);
        }

        queue.Count.ShouldBe(5);
        for (int i = 0; i < 5; i++)
        {
            (await queue.DequeueAsync(Ct)).ShouldBe(i);
        }
    }

    [Fact]
    public async Task EnqueueAsync_BoundedFull_WaitsUntilDequeue()
    {
        var queue = new AsyncQueue<string>(new AsyncQueueOptions { Capacity = 1 });
        queue.TryEnqueue("a").ShouldBeTrue();
        queue.TryEnqueue("b").ShouldBeFalse();

        ValueTask pending = queue.EnqueueAsync("b", Ct);
        pending.IsCompleted.ShouldBeFalse();
        (await queue.DequeueAsync(Ct)).ShouldBe("a");
        await pending;

        queue.TryDequeue(out string? item).ShouldBeTrue();
        item.ShouldBe("b");
    }

    [Fact]
    public async Task Complete_ReadAllAsync_DrainsThenEnds()
    {
        var queue = new AsyncQueue<int>();
        await queue.EnqueueAsync(1, Ct);
        await queue.EnqueueAsync(2, Ct);

        queue.Complete().ShouldBeTrue();
        var items = new List<int>();
        await foreach (int item in queue.ReadAllAsync(Ct))
        {
            items.Add(item);
        }

        items.ShouldBe([1, 2]);
        queue.TryEnqueue(3).ShouldBeFalse();
        await Should.ThrowAsync<ChannelClosedException>(async () => await queue.DequeueAsync(Ct));
    }

    [Fact]
    public async Task DequeueAsync_Cancelled_Throws()
    {
        var queue = new AsyncQueue<int>();
        using var cts = new CancellationTokenSource();
        ValueTask<int> pending = queue.DequeueAsync(cts.Token);

        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(async () => await pending);
    }

    [Fact]
    public async Task Prioritized_LowerFirstFifoAmongEquals()
    {
        var queue = new AsyncQueue<string>(new AsyncQueueOptions { Prioritized = true });
        await queue.EnqueueAsync("low-1", 5, Ct);
        await queue.EnqueueAsync("high-1", 1, Ct);
        await queue.EnqueueAsync("low-2", 5, Ct);
        await queue.EnqueueAsync("high-2", 1, Ct);
        queue.TryEnqueue("mid", 3).ShouldBeTrue();

        var order = new List<string>();
        while (queue.TryDequeue(out string? item))
        {
            order.Add(item);
        }

        order.ShouldBe(["high-1", "high-2", "mid", "low-1", "low-2"]);
    }

    [Fact]
    public async Task Prioritized_Bounded_WaitsForRoom()
    {
        var queue = new AsyncQueue<int>(new AsyncQueueOptions { Prioritized = true, Capacity = 2 });
        queue.TryEnqueue(1, 1).ShouldBeTrue();
        queue.TryEnqueue(2, 0).ShouldBeTrue();
        queue.TryEnqueue(3, 0).ShouldBeFalse();

        ValueTask pending = queue.EnqueueAsync(3, 0, Ct);
        pending.IsCompleted.ShouldBeFalse();
        (await queue.DequeueAsync(Ct)).ShouldBe(2);
        await pending;

        (await queue.DequeueAsync(Ct)).ShouldBe(3);
        (await queue.DequeueAsync(Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task EnqueueWithPriority_PlainQueue_Throws()
    {
        var queue = new AsyncQueue<int>();

        await Should.ThrowAsync<InvalidOperationException>(async () => await queue.EnqueueAsync(1, 1, Ct));
        Should.Throw<InvalidOperationException>(() => queue.TryEnqueue(1, 1));
    }

    [Fact]
    public async Task ProducersConsumers_AllItemsDeliveredOnce()
    {
        var queue = new AsyncQueue<int>(new AsyncQueueOptions { Capacity = 16 });
        const int PerProducer = 5_000;
        Task[] producers = Enumerable.Range(0, 4).Select(p => Task.Run(
            async () =>
            {
                for (int i = 0; i < PerProducer; i++)
                {
                    await queue.EnqueueAsync((p * PerProducer) + i, Ct);
                }
            },
            Ct)).ToArray();
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        Task[] consumers = Enumerable.Range(0, 3).Select(_ => Task.Run(
            async () =>
            {
                await foreach (int item in queue.ReadAllAsync(Ct))
                {
                    seen.Add(item);
                }
            },
            Ct)).ToArray();

        await Task.WhenAll(producers);
        queue.Complete();
        await Task.WhenAll(consumers);

        seen.Count.ShouldBe(4 * PerProducer);
        seen.Distinct().Count().ShouldBe(4 * PerProducer);
    }
}
