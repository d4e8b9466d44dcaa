using System.Net;
using System.Net.Sockets;
using XSystem.Ipc.Redis.Tests.Infrastructure;

namespace XSystem.Ipc.Redis.Tests;

public sealed class DistributedQueueTests(RedisQueueFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DequeueAsync_AfterEnqueue_ReturnsValueAndAckClearsPending()
    {
        var queue = new DistributedQueue<Order>(redis.Connection, RedisQueueFixture.UniqueKey());
        string id = await queue.EnqueueAsync(new Order { Number = 7, Items = ["a", "b"] }, Ct);

        DistributedMessage<Order> message = await queue.DequeueAsync(Ct);

        message.Id.ShouldBe(id);
        message.Value.Number.ShouldBe(7);
        message.Value.Items.ShouldBe(["a", "b"]);
        message.DeliveryCount.ShouldBe(1);
        (await queue.GetPendingCountAsync(Ct)).ShouldBe(1);
        (await message.AckAsync(Ct)).ShouldBeTrue();
        (await queue.GetPendingCountAsync(Ct)).ShouldBe(0);
        (await message.AckAsync(Ct)).ShouldBeFalse();
        (await queue.TryDequeueAsync(Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task DequeueAsync_ThreeMessages_DeliveredInStreamOrder()
    {
        var queue = new DistributedQueue<int>(redis.Connection, RedisQueueFixture.UniqueKey());
        foreach (int i in new[] { 3, 1, 2 })
        {
            await queue.EnqueueAsync(i, Ct);
        }

        var values = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            DistributedMessage<int> message = await queue.DequeueAsync(Ct);
            values.Add(message.Value);
            await message.AckAsync(Ct);
        }

        values.ShouldBe([3, 1, 2]);
    }

    [Fact]
    public async Task TryDequeueAsync_ConsumerStoppedWithoutAck_MessageRedeliveredToAnotherConsumer()
    {
        string key = RedisQueueFixture.UniqueKey();
        var options = new DistributedQueueOptions { ClaimIdleTime = TimeSpan.FromMilliseconds(200) };
        var dying = new DistributedQueue<string>(redis.Connection, key, new DistributedQueueOptions { ConsumerName = "dying" });
        var survivor = new DistributedQueue<string>(redis.Connection, key, new DistributedQueueOptions { ConsumerName = "survivor", ClaimIdleTime = options.ClaimIdleTime });
        await dying.EnqueueAsync("job", Ct);
        DistributedMessage<string> lost = await dying.DequeueAsync(Ct); // the consumer "dies": it never acknowledges

        (await survivor.TryDequeueAsync(Ct)).ShouldBeNull(); // not idle long enough yet
        await Task.Delay(400, Ct); // idle time is measured by the Redis server's clock; no fake clock applies
        DistributedMessage<string>? taken = await survivor.TryDequeueAsync(Ct);

        taken.ShouldNotBeNull();
        taken.Id.ShouldBe(lost.Id);
        taken.Value.ShouldBe("job");
        taken.DeliveryCount.ShouldBe(2);
        (await taken.AckAsync(Ct)).ShouldBeTrue();
        (await survivor.GetPendingCountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task TryDequeueAsync_MessageFailsMoreThanMaxDeliveries_MovedToDeadLetterStream()
    {
        string key = RedisQueueFixture.UniqueKey();
        DistributedQueue<string> Consumer(string name) => new(redis.Connection, key, new DistributedQueueOptions { ConsumerName = name, ClaimIdleTime = TimeSpan.Zero, MaxDeliveries = 2 });
        DistributedQueue<string> first = Consumer("c1");
        string id = await first.EnqueueAsync("poison", Ct);

        (await first.TryDequeueAsync(Ct))!.DeliveryCount.ShouldBe(1);
        (await Consumer("c2").TryDequeueAsync(Ct))!.DeliveryCount.ShouldBe(2);
        DistributedMessage<string>? third = await Consumer("c3").TryDequeueAsync(Ct);

        third.ShouldBeNull();
        (await first.GetPendingCountAsync(Ct)).ShouldBe(0);
        IReadOnlyList<DeadLetter<string>> dead = await first.GetDeadLettersAsync(cancellationToken: Ct);
        dead.Count.ShouldBe(1);
        dead[0].OriginalId.ShouldBe(id);
        dead[0].Value.ShouldBe("poison");
        dead[0].DeliveryCount.ShouldBe(2);
        first.DeadLetterKey.ShouldBe(key + ":dead");
    }

    [Fact]
    public async Task DequeueAsync_ThreeConcurrentConsumers_EveryMessageExactlyOnce()
    {
        string key = RedisQueueFixture.UniqueKey();
        var producer = new DistributedQueue<int>(redis.Connection, key);
        for (int i = 0; i < 200; i++)
        {
            await producer.EnqueueAsync(i, Ct);
        }

        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
        {
            var consumer = new DistributedQueue<int>(redis.Connection, key, new DistributedQueueOptions { ConsumerName = $"c{c}" });
            while (await consumer.TryDequeueAsync(Ct) is { } message)
            {
                seen.Add(message.Value);
                await message.AckAsync(Ct);
            }
        })));

        seen.Order().ShouldBe(Enumerable.Range(0, 200));
    }

    [Fact]
    public async Task EnqueueAsync_MaxLength_TrimsTheStream()
    {
        string key = RedisQueueFixture.UniqueKey();
        var queue = new DistributedQueue<int>(redis.Connection, key, new DistributedQueueOptions { MaxLength = 10 });
        for (int i = 0; i < 500; i++)
        {
            await queue.EnqueueAsync(i, Ct);
        }

        long length = await redis.Connection.GetDatabase().StreamLengthAsync(key);

        length.ShouldBeLessThan(500); // MAXLEN ~ trims whole radix-tree nodes, so the length is near, not exactly, 10
        length.ShouldBeGreaterThanOrEqualTo(10);
    }

    [Fact]
    public async Task DequeueAsync_EmptyAndCancelled_ThrowsOperationCanceled()
    {
        var queue = new DistributedQueue<int>(redis.Connection, RedisQueueFixture.UniqueKey(), new DistributedQueueOptions { PollInterval = TimeSpan.FromMilliseconds(10) });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Should.ThrowAsync<OperationCanceledException>(() => queue.DequeueAsync(cts.Token));
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsUnavailableNamingTheEndpoint()
    {
        int port = FreePort();
        string configuration = $"127.0.0.1:{port},connectTimeout=500,connectRetry=1";

        var error = await Should.ThrowAsync<DistributedQueueUnavailableException>(() => DistributedQueue.ConnectAsync<int>(configuration, "k", cancellationToken: Ct));

        error.Message.ShouldContain($"127.0.0.1:{port}");
        error.Message.ShouldContain("Check that the server runs");
    }

    [Fact]
    public async Task EnqueueAsync_ServerStopped_ThrowsUnavailable()
    {
        await using RedisServer own = await RedisServer.StartNewAsync(Ct);
        await using DistributedQueue<int> queue = await DistributedQueue.ConnectAsync<int>(own.Configuration + ",connectTimeout=500,syncTimeout=1000,asyncTimeout=1000", "k", cancellationToken: Ct);
        await queue.EnqueueAsync(1, Ct);

        own.Stop();

        await Should.ThrowAsync<DistributedQueueUnavailableException>(() => queue.EnqueueAsync(2, Ct));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed class Order
    {
        public int Number { get; set; }

        public string[] Items { get; set; } = [];
    }
}
