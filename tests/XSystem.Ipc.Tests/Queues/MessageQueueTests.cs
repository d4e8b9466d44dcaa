using System.Threading.Channels;

namespace XSystem.Ipc.Tests.Queues;

public sealed class MessageQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DequeueAsync_FifoQueue_ReturnsEnqueueOrder()
    {
        var queue = new MessageQueue<int>();
        for (int i = 0; i < 100; i++)
        {
            queue.Enqueue(i);
        }

        queue.Count.ShouldBe(100);
        for (int i = 0; i < 100; i++)
        {
            (await queue.DequeueAsync(Ct)).ShouldBe(i);
        }
    }

    [Fact]
    public void TryDequeue_PythonExample_LowerNumberFirst()
    {
        var queue = new MessageQueue<string>(priority: true);
        queue.Enqueue("low", 10);
        queue.Enqueue("high", 1);
        queue.Enqueue("medium", 5);

        string[] order = [.. Drain(queue)];

        order.ShouldBe(["high", "medium", "low"]);
    }

    [Fact]
    public void TryDequeue_TenThousandRandomPrioritiesWithTies_MatchesStableSort()
    {
        var random = new Random(20261126);
        var queue = new MessageQueue<int>(priority: true);
        var expected = new List<(int Priority, int Id)>();
        for (int id = 0; id < 10_000; id++)
        {
            int priority = random.Next(-5, 20); // 25 distinct values: many ties
            queue.Enqueue(id, priority);
            expected.Add((priority, id));
        }

        int[] stable = [.. expected.OrderBy(e => e.Priority).Select(e => e.Id)]; // OrderBy is a stable sort

        Drain(queue).ShouldBe(stable);
    }

    [Fact]
    public async Task EnqueueAsync_PriorityQueueManyProducers_EqualPrioritiesKeepPerProducerOrder()
    {
        var queue = new MessageQueue<(int Producer, int Seq)>(priority: true);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < 500; i++)
            {
                await queue.EnqueueAsync((p, i), 7, Ct);
            }
        })));

        var items = Drain(queue).ToList();

        items.Count.ShouldBe(2000);
        foreach (IGrouping<int, (int Producer, int Seq)> group in items.GroupBy(i => i.Producer))
        {
            group.Select(i => i.Seq).ShouldBe(Enumerable.Range(0, 500));
        }
    }

    [Fact]
    public void TryEnqueue_BoundedQueueFull_ReturnsFalse()
    {
        var queue = new MessageQueue<int>(capacity: 2);
        queue.TryEnqueue(1).ShouldBeTrue();
        queue.TryEnqueue(2).ShouldBeTrue();

        queue.TryEnqueue(3).ShouldBeFalse();
        queue.Count.ShouldBe(2);
    }

    [Fact]
    public async Task EnqueueAsync_BoundedQueueFull_WaitsUntilAnItemLeaves()
    {
        var queue = new MessageQueue<int>(capacity: 1, priority: true);
        await queue.EnqueueAsync(1, 0, Ct);

        ValueTask pending = queue.EnqueueAsync(2, 0, Ct);
        pending.IsCompleted.ShouldBeFalse();
        queue.TryDequeue(out int first).ShouldBeTrue();
        await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);

        first.ShouldBe(1);
        (await queue.DequeueAsync(Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task Enqueue_BoundedQueueFull_BlocksThreadUntilAnItemLeaves()
    {
        var queue = new MessageQueue<int>(capacity: 1);
        queue.Enqueue(1);
        using var entered = new ManualResetEventSlim();

        Task producer = Task.Factory.StartNew(
            () =>
            {
                entered.Set();
                queue.Enqueue(2);
            },
            Ct,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        entered.Wait(Ct);
        producer.IsCompleted.ShouldBeFalse();
        (await queue.DequeueAsync(Ct)).ShouldBe(1);
        await producer.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        (await queue.DequeueAsync(Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task EnqueueAsync_CancelledWhileFull_ThrowsAndDoesNotAdd()
    {
        var queue = new MessageQueue<int>(capacity: 1);
        queue.Enqueue(1);
        using var cts = new CancellationTokenSource();

        ValueTask pending = queue.EnqueueAsync(2, 0, cts.Token);
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(pending.AsTask());
        queue.Count.ShouldBe(1);
    }

    [Fact]
    public async Task DequeueAsync_CancelledWhileEmpty_Throws()
    {
        var queue = new MessageQueue<int>(priority: true);
        using var cts = new CancellationTokenSource();

        ValueTask<int> pending = queue.DequeueAsync(cts.Token);
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(pending.AsTask());
    }

    [Fact]
    public async Task ReadAllAsync_AfterComplete_DrainsThenEnds()
    {
        var queue = new MessageQueue<int>(priority: true);
        queue.Enqueue(3, 3);
        queue.Enqueue(1, 1);
        queue.Complete().ShouldBeTrue();

        var read = new List<int>();
        await foreach (int item in queue.ReadAllAsync(Ct))
        {
            read.Add(item);
        }

        read.ShouldBe([1, 3]);
        queue.TryEnqueue(4).ShouldBeFalse();
        await Should.ThrowAsync<ChannelClosedException>(queue.DequeueAsync(Ct).AsTask());
    }

    [Fact]
    public void Enqueue_FifoQueueWithPriority_ThrowsClearError()
    {
        var queue = new MessageQueue<int>();

        var error = Should.Throw<ArgumentOutOfRangeException>(() => queue.Enqueue(1, 5));

        error.Message.ShouldContain("priority: true");
    }

    [Fact]
    public void Constructor_NegativeCapacity_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new MessageQueue<int>(-1));

    private static IEnumerable<T> Drain<T>(MessageQueue<T> queue)
    {
        while (queue.TryDequeue(out T? item))
        {
            yield return item;
        }
    }
}
