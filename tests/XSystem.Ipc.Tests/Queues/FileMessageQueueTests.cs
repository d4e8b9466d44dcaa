using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;

namespace XSystem.Ipc.Tests.Queues;

public sealed class FileMessageQueueTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DequeueAsync_ThreeMessages_ReturnsThemInOrderAndAckRemovesThem()
    {
        using FileMessageQueue<string> queue = Open<string>();
        queue.Enqueue("a");
        await queue.EnqueueAsync("b", Ct);
        queue.Enqueue("c");

        var received = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            FileQueueMessage<string> message = await queue.DequeueAsync(Ct);
            message.DeliveryCount.ShouldBe(1);
            message.Ack().ShouldBeTrue();
            received.Add(message.Value);
        }

        received.ShouldBe(["a", "b", "c"]);
        queue.TryDequeue(out _).ShouldBeFalse();
        queue.GetStats().Pending.ShouldBe(0);
    }

    [Fact]
    public void TryDequeue_UnackedAndLeaseExpired_RedeliversWithHigherCount()
    {
        using FileMessageQueue<int> queue = Open();
        queue.Enqueue(1);
        queue.Enqueue(2);
        queue.TryDequeue(out FileQueueMessage<int>? first).ShouldBeTrue();

        queue.TryDequeue(out FileQueueMessage<int>? second).ShouldBeTrue();
        second!.Value.ShouldBe(2);
        queue.TryDequeue(out _).ShouldBeFalse(); // lease of 1 still running
        _time.Advance(TimeSpan.FromSeconds(31));
        queue.TryDequeue(out FileQueueMessage<int>? again).ShouldBeTrue();

        again!.Value.ShouldBe(1);
        again.Id.ShouldBe(first!.Id);
        again.DeliveryCount.ShouldBe(2);
    }

    [Fact]
    public void Nack_DeliveredMessage_ComesBackBeforeNewOnes()
    {
        using FileMessageQueue<int> queue = Open();
        queue.Enqueue(1);
        queue.Enqueue(2);
        queue.TryDequeue(out FileQueueMessage<int>? first).ShouldBeTrue();

        first!.Nack().ShouldBeTrue();
        queue.TryDequeue(out FileQueueMessage<int>? again).ShouldBeTrue();

        again!.Value.ShouldBe(1);
        again.DeliveryCount.ShouldBe(2);
    }

    [Fact]
    public void Ack_Twice_SecondReturnsFalse()
    {
        using FileMessageQueue<int> queue = Open();
        queue.Enqueue(1);
        queue.TryDequeue(out FileQueueMessage<int>? message).ShouldBeTrue();

        message!.Ack().ShouldBeTrue();

        message.Ack().ShouldBeFalse();
        message.Nack().ShouldBeFalse();
    }

    [Fact]
    public void Enqueue_ManyMessagesSmallSegments_RollsOverAndDeletesConsumedSegments()
    {
        using FileMessageQueue<string> queue = Open<string>(segmentSize: 4096);
        string body = new('x', 200);
        for (int i = 0; i < 100; i++)
        {
            queue.Enqueue(body + i);
        }

        FileQueueStats before = queue.GetStats();
        before.Segments.ShouldBeGreaterThan(3);
        before.Pending.ShouldBe(100);
        for (int i = 0; i < 100; i++)
        {
            queue.TryDequeue(out FileQueueMessage<string>? message).ShouldBeTrue();
            message!.Value.ShouldBe(body + i);
            message.Ack().ShouldBeTrue();
        }

        FileQueueStats after = queue.GetStats();
        after.Pending.ShouldBe(0);
        after.Segments.ShouldBe(1);
        Directory.GetFiles(_dir.Path, "*.seg").Length.ShouldBe(1);
    }

    [Fact]
    public void Constructor_ExistingDirectory_SeesMessagesOfAnEarlierInstance()
    {
        using (FileMessageQueue<int> first = Open())
        {
            first.Enqueue(1);
            first.Enqueue(2);
            first.TryDequeue(out FileQueueMessage<int>? one).ShouldBeTrue();
            one!.Ack();
        }

        using FileMessageQueue<int> second = Open();

        second.TryDequeue(out FileQueueMessage<int>? two).ShouldBeTrue();
        two!.Value.ShouldBe(2);
    }

    [Fact]
    public void TryDequeue_TornTailRecord_IsIgnoredAndTruncatedByTheNextEnqueue()
    {
        using (FileMessageQueue<int> writer = Open())
        {
            writer.Enqueue(1);
            writer.Enqueue(2);
        }

        string segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        long validLength = new FileInfo(segment).Length;
        AppendBytes(segment, [50, 0, 0, 0, 1, 2, 3, 4, 9, 9]); // length 50, but only 2 payload bytes: a torn append

        using FileMessageQueue<int> queue = Open();
        queue.TryDequeue(out FileQueueMessage<int>? m1).ShouldBeTrue();
        queue.TryDequeue(out FileQueueMessage<int>? m2).ShouldBeTrue();
        queue.TryDequeue(out _).ShouldBeFalse();
        queue.Enqueue(3);

        new FileInfo(segment).Length.ShouldBeGreaterThan(validLength);
        queue.TryDequeue(out FileQueueMessage<int>? m3).ShouldBeTrue();
        new[] { m1!.Value, m2!.Value, m3!.Value }.ShouldBe([1, 2, 3]);
        queue.GetStats().CorruptRecords.ShouldBe(0);
    }

    [Fact]
    public void TryDequeue_TailRecordWithBadChecksum_TreatedAsTornTail()
    {
        using (FileMessageQueue<int> writer = Open())
        {
            writer.Enqueue(1);
        }

        string segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        AppendBytes(segment, [1, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF, 0x05]); // whole frame, wrong CRC, at the end

        using FileMessageQueue<int> queue = Open();
        queue.TryDequeue(out FileQueueMessage<int>? m1).ShouldBeTrue();
        queue.TryDequeue(out _).ShouldBeFalse();
        queue.Enqueue(2);
        queue.TryDequeue(out FileQueueMessage<int>? m2).ShouldBeTrue();

        m1!.Value.ShouldBe(1);
        m2!.Value.ShouldBe(2);
    }

    [Fact]
    public void TryDequeue_CorruptRecordInTheMiddle_IsSkippedAndCounted()
    {
        using (FileMessageQueue<string> writer = Open<string>())
        {
            writer.Enqueue("first");
            writer.Enqueue("second");
            writer.Enqueue("third");
        }

        string segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        byte[] bytes = File.ReadAllBytes(segment);
        int firstLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        int secondPayload = 16 + 8 + firstLength + 8;
        bytes[secondPayload + 2] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        using FileMessageQueue<string> queue = Open<string>();
        queue.TryDequeue(out FileQueueMessage<string>? a).ShouldBeTrue();
        queue.TryDequeue(out FileQueueMessage<string>? b).ShouldBeTrue();

        new[] { a!.Value, b!.Value }.ShouldBe(["first", "third"]);
        queue.TryDequeue(out _).ShouldBeFalse();
        queue.GetStats().CorruptRecords.ShouldBe(1);
    }

    [Fact]
    public void TryDequeue_SegmentWithBadHeader_ThrowsClearError()
    {
        using (FileMessageQueue<int> writer = Open())
        {
            writer.Enqueue(1);
        }

        string segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        byte[] bytes = File.ReadAllBytes(segment);
        bytes[0] = (byte)'Z';
        File.WriteAllBytes(segment, bytes);

        using FileMessageQueue<int> queue = Open();
        var error = Should.Throw<FileQueueCorruptedException>(() => queue.TryDequeue(out _));

        error.FilePath.ShouldBe(segment);
        error.Message.ShouldContain("no valid header");
    }

    [Fact]
    public void TryDequeue_DamagedStateFile_ThrowsClearError()
    {
        using FileMessageQueue<int> queue = Open();
        queue.Enqueue(1);
        queue.TryDequeue(out _).ShouldBeTrue();
        string state = _dir.Combine("consumer.state");
        File.WriteAllBytes(state, [1, 2, 3]);

        var error = Should.Throw<FileQueueCorruptedException>(() => queue.TryDequeue(out _));

        error.FilePath.ShouldBe(state);
        error.Message.ShouldContain("Delete it");
    }

    [Fact]
    public void Enqueue_MessageLargerThanLimit_ThrowsArgumentException()
    {
        using FileMessageQueue<byte[]> queue = new(_dir.Path, new FileMessageQueueOptions { MaxMessageSize = 100, TimeProvider = _time });

        var error = Should.Throw<ArgumentException>(() => queue.Enqueue(new byte[500]));

        error.Message.ShouldContain("MaxMessageSize");
    }

    [Fact]
    public async Task DequeueAsync_EmptyAndCancelled_ThrowsOperationCanceled()
    {
        using FileMessageQueue<int> queue = Open();
        using var cts = new CancellationTokenSource();

        Task<FileQueueMessage<int>> pending = queue.DequeueAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(pending);
    }

    [Fact]
    public void Peek_PendingAndInFlight_ListsThemWithoutConsuming()
    {
        using FileMessageQueue<string> queue = Open<string>();
        queue.Enqueue("one");
        queue.Enqueue("two");
        queue.Enqueue("three");
        queue.TryDequeue(out FileQueueMessage<string>? one).ShouldBeTrue();
        one!.Ack();
        queue.TryDequeue(out _).ShouldBeTrue(); // "two" in flight

        IReadOnlyList<FileQueueRecord> records = FileMessageQueue.Peek(_dir.Path, 10);
        FileQueueStats stats = FileMessageQueue.GetStats(_dir.Path);

        records.Count.ShouldBe(2);
        records[0].InFlight.ShouldBeTrue();
        records[0].DeliveryCount.ShouldBe(1);
        records[1].InFlight.ShouldBeFalse();
        stats.Pending.ShouldBe(2);
        stats.InFlight.ShouldBe(1);
        stats.Segments.ShouldBe(1);
        stats.Bytes.ShouldBeGreaterThan(16);
        FileMessageQueue.Peek(_dir.Path, 1).Count.ShouldBe(1);
    }

    [Fact]
    public void GetStats_MissingDirectory_ThrowsDirectoryNotFound() =>
        Should.Throw<DirectoryNotFoundException>(() => FileMessageQueue.GetStats(_dir.Combine("missing")));

    [Fact]
    public async Task DequeueAsync_ConcurrentProducersAndConsumers_EveryMessageExactlyOnce()
    {
        using FileMessageQueue<int> queue = new(_dir.Path, new FileMessageQueueOptions { SegmentSize = 8192, PollInterval = TimeSpan.FromMilliseconds(2) });
        const int PerProducer = 300;
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task[] producers = [.. Enumerable.Range(0, 3).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < PerProducer; i++)
            {
                await queue.EnqueueAsync((p * PerProducer) + i, Ct);
            }
        }))];
        Task[] consumers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (seen.Count < 3 * PerProducer)
            {
                if (queue.TryDequeue(out FileQueueMessage<int>? message))
                {
                    seen.Add(message.Value);
                    await message.AckAsync(Ct);
                }
                else
                {
                    await Task.Delay(1, Ct);
                }
            }
        }))];
        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await Task.WhenAll(consumers).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        seen.Order().ShouldBe(Enumerable.Range(0, 3 * PerProducer));
        queue.GetStats().Pending.ShouldBe(0);
    }

    private FileMessageQueue<int> Open(long segmentSize = 16 * 1024 * 1024) => Open<int>(segmentSize);

    private FileMessageQueue<T> Open<T>(long segmentSize = 16 * 1024 * 1024) =>
        new(_dir.Path, new FileMessageQueueOptions { SegmentSize = segmentSize, TimeProvider = _time });

    private static void AppendBytes(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Append);
        stream.Write(bytes);
    }
}
