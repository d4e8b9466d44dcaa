using System.Buffers.Binary;

namespace XSystem.Ipc.Tests.Pipes;

public sealed class MessagePipeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public sealed record Order(int Id, string Customer, IReadOnlyList<double> Prices);

    private static string NewName() => "xst-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task SendReceive_InProcessPair_RoundTripsTypedMessagesInOrder()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        await using MessagePipeServer server = MessagePipe.CreateServer(name);
        Task<MessagePipe> accept = server.AcceptAsync(ct).AsTask();
        await using MessagePipe client = await MessagePipe.ConnectAsync(name, cancellationToken: ct).WaitAsync(Limit, ct);
        await using MessagePipe peer = await accept.WaitAsync(Limit, ct);

        for (int i = 0; i < 100; i++)
        {
            await client.SendAsync(new Order(i, "c" + i, [i, i * 0.5]), ct);
        }

        for (int i = 0; i < 100; i++)
        {
            Order order = await peer.ReceiveAsync<Order>(ct).AsTask().WaitAsync(Limit, ct);
            order.Id.ShouldBe(i);
            order.Customer.ShouldBe("c" + i);
            order.Prices.ShouldBe([i, i * 0.5]);
        }
    }

    [Fact]
    public async Task SendReceive_ChildProcessEcho_RepliesToEachMessage()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        await using MessagePipeServer server = MessagePipe.CreateServer(name);
        using var child = TestWorkerApp.Start("pipe-echo", name);
        try
        {
            await using MessagePipe pipe = await server.AcceptAsync(ct).AsTask().WaitAsync(Limit, ct);
            foreach (string word in new[] { "alpha", "beta", new string('x', 100_000) })
            {
                await pipe.SendAsync(word, ct);
                (await pipe.ReceiveAsync<string>(ct).AsTask().WaitAsync(Limit, ct)).ShouldBe(word.ToUpperInvariant());
            }

            await pipe.DisposeAsync(); // the echo child sees a clean end of stream and exits 0
            await child.WaitForExitAsync(ct).WaitAsync(Limit, ct);
            child.ExitCode.ShouldBe(0);
        }
        finally
        {
            TestWorkerApp.KillQuietly(child);
        }
    }

    [Fact]
    public async Task ReceiveAsync_PeerProcessKilled_ThrowsEndOfStream()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        await using MessagePipeServer server = MessagePipe.CreateServer(name);
        using var child = TestWorkerApp.Start("pipe-echo", name);
        try
        {
            await using MessagePipe pipe = await server.AcceptAsync(ct).AsTask().WaitAsync(Limit, ct);
            child.Kill();
            await Should.ThrowAsync<EndOfStreamException>(pipe.ReceiveAsync<string>(ct).AsTask().WaitAsync(Limit, ct));
            pipe.IsConnected.ShouldBeFalse();
        }
        finally
        {
            TestWorkerApp.KillQuietly(child);
        }
    }

    [Fact]
    public async Task ReceiveAsync_OversizedFrameFromChild_ThrowsClearErrorAndCloses()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        await using MessagePipeServer server = MessagePipe.CreateServer(name, new MessagePipeOptions { MaxFrameBytes = 1024 });
        byte[] header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, 100 * 1024 * 1024);
        using var child = TestWorkerApp.Start("pipe-raw", name, Convert.ToHexString(header));
        try
        {
            await using MessagePipe pipe = await server.AcceptAsync(ct).AsTask().WaitAsync(Limit, ct);
            MessageFrameException error = await Should.ThrowAsync<MessageFrameException>(pipe.ReceiveAsync<string>(ct).AsTask().WaitAsync(Limit, ct));
            error.FrameLength.ShouldBe(100 * 1024 * 1024);
            error.Message.ShouldContain("limit of 1024 bytes");
            pipe.IsConnected.ShouldBeFalse();
            await child.WaitForExitAsync(ct).WaitAsync(Limit, ct); // the child sees the hang-up
        }
        finally
        {
            TestWorkerApp.KillQuietly(child);
        }
    }

    [Fact]
    public async Task ReceiveAsync_GarbageText_ThrowsMessageFrameExceptionNotHang()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        await using MessagePipeServer server = MessagePipe.CreateServer(name);
        using var child = TestWorkerApp.Start("pipe-raw", name, Convert.ToHexString("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8));
        try
        {
            await using MessagePipe pipe = await server.AcceptAsync(ct).AsTask().WaitAsync(Limit, ct);
            MessageFrameException error = await Should.ThrowAsync<MessageFrameException>(pipe.ReceiveAsync<string>(ct).AsTask().WaitAsync(Limit, ct));
            error.Message.ShouldContain("not an XSystem frame");
        }
        finally
        {
            TestWorkerApp.KillQuietly(child);
        }
    }

    [Fact]
    public async Task ReceiveAsync_ValidFrameWrongType_ThrowsAndConnectionStaysUsable()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        await using MessagePipeServer server = MessagePipe.CreateServer(name);
        Task<MessagePipe> accept = server.AcceptAsync(ct).AsTask();
        await using MessagePipe client = await MessagePipe.ConnectAsync(name, cancellationToken: ct);
        await using MessagePipe peer = await accept.WaitAsync(Limit, ct);

        await client.SendAsync("not a number", ct);
        await client.SendAsync(42, ct);

        await Should.ThrowAsync<MessageFrameException>(peer.ReceiveAsync<int>(ct).AsTask().WaitAsync(Limit, ct));
        (await peer.ReceiveAsync<int>(ct).AsTask().WaitAsync(Limit, ct)).ShouldBe(42);
    }

    [Fact]
    public async Task SendAsync_MessageOverLimit_ThrowsBeforeSendingAndStaysUsable()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        var options = new MessagePipeOptions { MaxFrameBytes = 256 };
        await using MessagePipeServer server = MessagePipe.CreateServer(name, options);
        Task<MessagePipe> accept = server.AcceptAsync(ct).AsTask();
        await using MessagePipe client = await MessagePipe.ConnectAsync(name, options, ct);
        await using MessagePipe peer = await accept.WaitAsync(Limit, ct);

        await Should.ThrowAsync<MessageFrameException>(client.SendAsync(new string('x', 1000), ct).AsTask());
        await client.SendAsync("small", ct);

        (await peer.ReceiveAsync<string>(ct).AsTask().WaitAsync(Limit, ct)).ShouldBe("small");
    }

    [Fact]
    public async Task ReadAllAsync_PeerClosesCleanly_EndsAfterLastMessage()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        await using MessagePipeServer server = MessagePipe.CreateServer(name);
        Task<MessagePipe> accept = server.AcceptAsync(ct).AsTask();
        MessagePipe client = MessagePipe.Connect(name);
        await using MessagePipe peer = await accept.WaitAsync(Limit, ct);
        await client.SendAsync(1, ct);
        await client.SendAsync(2, ct);
        client.Dispose();

        var received = new List<int>();
        await foreach (int value in peer.ReadAllAsync<int>(ct).WithCancellation(ct))
        {
            received.Add(value);
        }

        received.ShouldBe([1, 2]);
    }

    [Fact]
    public async Task AcceptAsync_TwoClients_EachGetsOwnConnection()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        await using MessagePipeServer server = MessagePipe.CreateServer(name);
        Task<MessagePipe> first = server.AcceptAsync(ct).AsTask();
        await using MessagePipe a = await MessagePipe.ConnectAsync(name, cancellationToken: ct);
        await using MessagePipe serverA = await first.WaitAsync(Limit, ct);
        Task<MessagePipe> second = server.AcceptAsync(ct).AsTask();
        await using MessagePipe b = await MessagePipe.ConnectAsync(name, cancellationToken: ct);
        await using MessagePipe serverB = await second.WaitAsync(Limit, ct);

        await a.SendAsync("from a", ct);
        await b.SendAsync("from b", ct);

        (await serverB.ReceiveAsync<string>(ct)).ShouldBe("from b");
        (await serverA.ReceiveAsync<string>(ct)).ShouldBe("from a");
    }

    [Fact]
    public async Task ConnectAsync_NoServer_ThrowsTimeoutWithHint()
    {
        var options = new MessagePipeOptions { ConnectTimeout = TimeSpan.FromMilliseconds(200) };

        TimeoutException error = await Should.ThrowAsync<TimeoutException>(
            MessagePipe.ConnectAsync(NewName(), options, TestContext.Current.CancellationToken).WaitAsync(Limit, TestContext.Current.CancellationToken));

        error.Message.ShouldContain("CreateServer");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("../etc")]
    public void CreateServer_InvalidName_ThrowsArgumentException(string name)
    {
        Should.Throw<ArgumentException>(() => MessagePipe.CreateServer(name));
    }

    [Fact]
    public async Task SendAsync_ConcurrentSenders_FramesNeverInterleave()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string name = NewName();
        await using MessagePipeServer server = MessagePipe.CreateServer(name);
        Task<MessagePipe> accept = server.AcceptAsync(ct).AsTask();
        await using MessagePipe client = await MessagePipe.ConnectAsync(name, cancellationToken: ct);
        await using MessagePipe peer = await accept.WaitAsync(Limit, ct);

        Task[] senders = Enumerable.Range(0, 4).Select(s => Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                await client.SendAsync(new string((char)('a' + s), 5000), ct);
            }
        }, ct)).ToArray();

        var counts = new int[4];
        for (int i = 0; i < 800; i++)
        {
            string message = await peer.ReceiveAsync<string>(ct).AsTask().WaitAsync(Limit, ct);
            message.Length.ShouldBe(5000);
            message.Distinct().Count().ShouldBe(1);
            counts[message[0] - 'a']++;
        }

        await Task.WhenAll(senders);
        counts.ShouldAllBe(c => c == 200);
    }

    [Fact]
    public void Name_UnixSocket_LivesUnderTmp()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix domain socket path");
        string name = NewName();
        using MessagePipeServer server = MessagePipe.CreateServer(name);

        File.Exists(Path.Combine(Path.GetTempPath(), "CoreFxPipe_" + name)).ShouldBeTrue();
    }
}
