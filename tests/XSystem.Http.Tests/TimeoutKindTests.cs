using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace XSystem.Http.Tests;

/// <summary>
/// Which limit an expiry is reported as, on a fake clock: attempt, total (first attempt and across retries) and
/// read-idle (buffered body), plus the buffered content keeping its headers.
/// </summary>
public class TimeoutKindTests
{
    private static readonly Uri Base = new("https://api.test/");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AdvancedHttpClient Client(MockTransport mock, FakeTimeProvider time, Action<HttpClientOptions> configure)
    {
        var options = new HttpClientOptions { BaseAddress = Base, TimeProvider = time };
        options.Retry.UseJitter = false;
        configure(options);
        return new AdvancedHttpClient(options, mock);
    }

    /// <summary>Advances the fake clock one step at a time until <paramref name="call"/> completes; returns the fake time taken.</summary>
    private static async Task<TimeSpan> AdvanceUntilDoneAsync(FakeTimeProvider time, Task call, TimeSpan step, int maxSteps = 200)
    {
        DateTimeOffset start = time.GetUtcNow();
        for (int i = 0; i < maxSteps && !call.IsCompleted; i++)
        {
            await Task.Delay(5, Ct);
            time.Advance(step);
        }

        await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(10), Ct));
        call.IsCompleted.ShouldBeTrue("the call did not finish on the fake clock");
        return time.GetUtcNow() - start;
    }

    [Theory]
    [InlineData(30, 5, HttpTimeoutKind.ReadIdle, 5)]
    [InlineData(10, 30, HttpTimeoutKind.Attempt, 10)]
    public async Task GetAsync_BufferedBodyStalls_ThrowsTheShorterLimit(int attemptSeconds, int idleSeconds, HttpTimeoutKind expectedKind, int expectedSeconds)
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        mock.OnGet("/stall").Respond(new MockResponse { Body = new byte[5000], StallAfterBytes = 100 });
        using AdvancedHttpClient client = Client(mock, time, o =>
        {
            o.Retry = RetryOptions.None;
            o.AttemptTimeout = TimeSpan.FromSeconds(attemptSeconds);
            o.ReadIdleTimeout = TimeSpan.FromSeconds(idleSeconds);
        });

        Task<HttpResponseMessage> call = client.GetAsync("stall", Ct);
        TimeSpan elapsed = await AdvanceUntilDoneAsync(time, call, TimeSpan.FromSeconds(1));

        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(() => call);
        ex.Kind.ShouldBe(expectedKind);
        ex.Limit.ShouldBe(TimeSpan.FromSeconds(expectedSeconds));
        elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(expectedSeconds));
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task GetAsync_TotalShorterThanAttempt_FirstAttemptThrowsTotalAndIsNotRetried()
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        mock.OnGet("/slow").Respond(new MockResponse { Delay = TimeSpan.FromSeconds(60) });
        using AdvancedHttpClient client = Client(mock, time, o =>
        {
            o.Retry.MaxAttempts = 3;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(4);
        });

        Task<HttpResponseMessage> call = client.GetAsync("slow", Ct);
        TimeSpan elapsed = await AdvanceUntilDoneAsync(time, call, TimeSpan.FromSeconds(1));

        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(() => call);
        ex.Kind.ShouldBe(HttpTimeoutKind.Total);
        ex.Limit.ShouldBe(TimeSpan.FromSeconds(4));
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        mock.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetAsync_TotalExpiresDuringRetryDelay_ThrowsTotal()
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        mock.OnGet("/busy").Respond(HttpStatusCode.ServiceUnavailable);
        using AdvancedHttpClient client = Client(mock, time, o =>
        {
            o.Retry.MaxAttempts = 5;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(4);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(60);
            o.TotalTimeout = TimeSpan.FromSeconds(10);
        });

        Task<HttpResponseMessage> call = client.GetAsync("busy", Ct);
        TimeSpan elapsed = await AdvanceUntilDoneAsync(time, call, TimeSpan.FromSeconds(1));

        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(() => call);
        ex.Kind.ShouldBe(HttpTimeoutKind.Total);
        ex.Limit.ShouldBe(TimeSpan.FromSeconds(10));
        mock.Requests.Count.ShouldBe(2);
        elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(10));
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(12));
    }

    [Fact]
    public async Task GetAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        mock.OnGet("/slow").Respond(new MockResponse { Delay = TimeSpan.FromSeconds(60) });
        using AdvancedHttpClient client = Client(mock, time, o => o.TotalTimeout = TimeSpan.FromSeconds(20));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<HttpResponseMessage> call = client.GetAsync("slow", cts.Token);
        await cts.CancelAsync();

        Exception ex = await Should.ThrowAsync<OperationCanceledException>(() => call);
        ex.ShouldNotBeAssignableTo<HttpTimeoutException>();
    }

    [Theory]
    [InlineData(5)]
    [InlineData(30)]
    public async Task GetAsync_BufferedBody_KeepsContentHeadersAndBody(int readIdleSeconds)
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        string json = "{\"a\":1,\"b\":\"two\"}";
        mock.OnGet("/doc").Respond(MockResponse.Json(json).WithHeader("Content-Language", "de"));
        using AdvancedHttpClient client = Client(mock, time, o => o.ReadIdleTimeout = TimeSpan.FromSeconds(readIdleSeconds));

        using HttpResponseMessage response = await client.GetAsync("doc", Ct);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        response.Content.Headers.ContentLanguage.ShouldBe(["de"]);
        response.Content.Headers.ContentLength.ShouldBe(Encoding.UTF8.GetByteCount(json));
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe(json);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe(json);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(30)]
    public async Task HeadAsync_DeclaredLengthWithoutBody_KeepsContentLength(int readIdleSeconds)
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        mock.On(HttpMethod.Head, "/file").Respond(new MockResponse().WithHeader("Content-Length", "1234"));
        using AdvancedHttpClient client = Client(mock, time, o => o.ReadIdleTimeout = TimeSpan.FromSeconds(readIdleSeconds));

        using HttpResponseMessage response = await client.HeadAsync("file", Ct);

        response.Content.Headers.ContentLength.ShouldBe(1234);
        (await response.Content.ReadAsByteArrayAsync(Ct)).ShouldBeEmpty();
    }
}
