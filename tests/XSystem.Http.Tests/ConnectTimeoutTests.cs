using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace XSystem.Http.Tests;

/// <summary>
/// The connect timeout against a real socket: a loopback listener with a backlog of 1 that never accepts, its accept
/// queue filled so that the kernel drops the next SYN and the client's connect hangs.
/// </summary>
public sealed class ConnectTimeoutTests : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(400);

    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    public ConnectTimeoutTests()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public void Dispose()
    {
        foreach (Socket filler in _fillers)
        {
            filler.Dispose();
        }

        _listener.Dispose();
    }

    [Fact]
    public async Task GetAsync_ServerNeverAnswersSyn_FailsWithConnectTimeoutPromptly()
    {
        await SaturateBacklogAsync();
        using var client = new AdvancedHttpClient(new HttpClientOptions
        {
            ConnectTimeout = ConnectTimeout,
            AttemptTimeout = TimeSpan.FromSeconds(20),
            Retry = RetryOptions.None,
            UseProxy = false,
        });
        var watch = Stopwatch.StartNew();

        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(() => client.GetAsync($"http://127.0.0.1:{Port}/", Ct));
        watch.Stop();

        ex.Kind.ShouldBe(HttpTimeoutKind.Connect);
        ex.Limit.ShouldBe(ConnectTimeout);
        ex.Method.ShouldBe(HttpMethod.Get);
        ex.Message.ShouldContain("ConnectTimeout");
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(ConnectTimeout - TimeSpan.FromMilliseconds(50));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), "the connect timeout, not the 20 s attempt timeout, must end the request");
    }

    [Fact]
    public async Task GetAsync_ConnectTimeoutWithRetries_RetriesThenThrowsConnectKind()
    {
        await SaturateBacklogAsync();
        var retries = new List<(int Attempt, HttpTimeoutKind? Kind)>();
        using var client = new AdvancedHttpClient(new HttpClientOptions
        {
            ConnectTimeout = ConnectTimeout,
            AttemptTimeout = TimeSpan.FromSeconds(20),
            Retry = new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.Zero, UseJitter = false },
            UseProxy = false,
            OnRetry = a => retries.Add((a.Attempt, (a.Exception as HttpTimeoutException)?.Kind)),
        });
        var watch = Stopwatch.StartNew();

        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(() => client.GetAsync($"http://127.0.0.1:{Port}/", Ct));
        watch.Stop();

        ex.Kind.ShouldBe(HttpTimeoutKind.Connect);
        ex.Limit.ShouldBe(ConnectTimeout);
        retries.ShouldBe([(1, HttpTimeoutKind.Connect)]);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(8));
    }

    /// <summary>
    /// Opens connections that the listener never accepts until one no longer completes its handshake: from then on
    /// the kernel drops new SYNs for this port. Linux does that; a system that refuses instead skips the test.
    /// </summary>
    private async Task SaturateBacklogAsync()
    {
        bool saturated;
        try
        {
            saturated = await TryFillAcceptQueueAsync();
        }
        catch (SocketException ex) when (!OperatingSystem.IsLinux())
        {
            Assert.Skip($"This system refuses connections to a full backlog ({ex.SocketErrorCode}) instead of dropping them.");
            return;
        }

        Assert.SkipWhen(!saturated && !OperatingSystem.IsLinux(), "This system accepts every handshake; a connect cannot be made to hang.");
        saturated.ShouldBeTrue("the listener's accept queue could not be filled, so a connect would not hang");
    }

    private async Task<bool> TryFillAcceptQueueAsync()
    {
        for (int i = 0; i < 64; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _fillers.Add(socket);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            attempt.CancelAfter(TimeSpan.FromSeconds(1)); // a loopback handshake takes far less, even on a loaded machine
            try
            {
                await socket.ConnectAsync(_listener.LocalEndPoint!, attempt.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                return true;
            }
        }

        return false;
    }
}
