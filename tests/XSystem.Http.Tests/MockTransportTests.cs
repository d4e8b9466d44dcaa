using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace XSystem.Http.Tests;

/// <summary>MockTransport on its own and behind AdvancedHttpClient; mirrors the real-server tests with a fake clock.</summary>
public class MockTransportTests
{
    private static readonly Uri Base = new("https://api.test/");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AdvancedHttpClient Client(MockTransport mock, Action<HttpClientOptions>? configure = null)
    {
        var options = new HttpClientOptions { BaseAddress = Base };
        options.Retry.BaseDelay = TimeSpan.Zero;
        options.Retry.UseJitter = false;
        configure?.Invoke(options);
        return new AdvancedHttpClient(options, mock);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var limit = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(limit, "condition not reached");
            await Task.Delay(5, Ct);
        }
    }

    [Fact]
    public async Task GetAsync_MatchingRoute_ReturnsScriptedResponseAndRecordsRequest()
    {
        var mock = new MockTransport();
        mock.OnGet("/items").Respond(MockResponse.Json("[1,2]").WithHeader("X-Test", "yes"));
        using AdvancedHttpClient client = Client(mock, o => o.DefaultHeaders["User-Agent"] = "xsys-test");

        using HttpResponseMessage response = await client.GetAsync("items?page=2", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("[1,2]");
        response.Headers.GetValues("X-Test").ShouldBe(["yes"]);
        RecordedRequest recorded = mock.Requests.ShouldHaveSingleItem();
        recorded.Method.ShouldBe(HttpMethod.Get);
        recorded.Uri.ShouldBe(new Uri("https://api.test/items?page=2"));
        recorded.Headers["User-Agent"].ShouldBe("xsys-test");
        recorded.Version.ShouldBe(HttpVersion.Version20);
    }

    [Fact]
    public async Task SendAsync_UnmatchedRequest_FailsListingRequestAndRoutes()
    {
        var mock = new MockTransport();
        mock.OnGet("/items");
        mock.OnPost("https://api.test/orders");
        using AdvancedHttpClient client = Client(mock);

        MockTransportException ex = await Should.ThrowAsync<MockTransportException>(() => client.DeleteAsync("items", Ct));

        ex.Message.ShouldContain("DELETE https://api.test/items");
        ex.Message.ShouldContain("GET /items");
        ex.Message.ShouldContain("POST https://api.test/orders");
        mock.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task PostAsync_Body_IsRecordedWithContentHeaders()
    {
        var mock = new MockTransport();
        mock.On(null, "/users/*").Respond(HttpStatusCode.Created, "made");
        using AdvancedHttpClient client = Client(mock);

        using HttpResponseMessage response = await client.PostAsync("users/42", new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        RecordedRequest recorded = mock.Requests.ShouldHaveSingleItem();
        recorded.BodyText.ShouldBe("{\"a\":1}");
        recorded.Headers["Content-Type"].ShouldStartWith("application/json");
    }

    [Fact]
    public async Task GetAsync_Sequence503503200_RetriesToSuccess()
    {
        var mock = new MockTransport();
        MockRoute route = mock.OnGet("/flaky").RespondSequence(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using AdvancedHttpClient client = Client(mock);

        using HttpResponseMessage response = await client.GetAsync("flaky", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        route.CallCount.ShouldBe(3);
    }

    [Fact]
    public async Task PostAsync_TransientStatus_IsNotRetriedByDefault()
    {
        var mock = new MockTransport();
        MockRoute route = mock.OnPost("/orders").RespondSequence(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using AdvancedHttpClient client = Client(mock);

        using HttpResponseMessage response = await client.PostAsync("orders", new StringContent("x"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        route.CallCount.ShouldBe(1);
    }

    [Fact]
    public async Task PatchAsync_RetryNonIdempotentOption_IsRetried()
    {
        var mock = new MockTransport();
        MockRoute route = mock.On(HttpMethod.Patch, "/orders/1").RespondSequence(HttpStatusCode.BadGateway, HttpStatusCode.OK);
        using AdvancedHttpClient client = Client(mock, o => o.Retry.RetryNonIdempotent = true);

        using HttpResponseMessage response = await client.PatchAsync("orders/1", new StringContent("x"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        route.CallCount.ShouldBe(2);
        mock.Requests.ShouldAllBe(r => r.BodyText == "x");
    }

    [Fact]
    public async Task GetAsync_ConnectionFailures_AreRetried()
    {
        var mock = new MockTransport();
        MockRoute route = mock.OnGet("/x").Respond(MockResponse.ConnectionFailure()).Respond(HttpStatusCode.OK);
        using AdvancedHttpClient client = Client(mock);

        using HttpResponseMessage response = await client.GetAsync("x", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        route.CallCount.ShouldBe(2);
    }

    [Fact]
    public async Task GetAsync_RetryAfterDelta_WaitsExactlyOnTheClientClock()
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        mock.OnGet("/limited").Respond(new MockResponse(HttpStatusCode.TooManyRequests).WithHeader("Retry-After", "7")).Respond(HttpStatusCode.OK);
        using AdvancedHttpClient client = Client(mock, o => o.TimeProvider = time);

        Task<HttpResponseMessage> call = client.GetAsync("limited", Ct);
        await WaitUntilAsync(() => mock.Requests.Count == 1);
        time.Advance(TimeSpan.FromSeconds(6.9));
        await Task.Delay(20, Ct);
        bool earlyRetry = mock.Requests.Count > 1;
        time.Advance(TimeSpan.FromSeconds(0.1));
        using HttpResponseMessage response = await call;

        earlyRetry.ShouldBeFalse();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        mock.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task GetAsync_RetryAfterHttpDate_IsConvertedToDelayAndCapped()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var delays = new List<TimeSpan>();
        var mock = new MockTransport();
        mock.OnGet("/a").Respond(new MockResponse(HttpStatusCode.ServiceUnavailable).WithHeader("Retry-After", "Thu, 01 Jan 2026 12:00:05 GMT")).Respond(HttpStatusCode.OK);
        mock.OnGet("/b").Respond(new MockResponse(HttpStatusCode.ServiceUnavailable).WithHeader("Retry-After", "3600")).Respond(HttpStatusCode.OK);
        using AdvancedHttpClient client = Client(mock, o =>
        {
            o.TimeProvider = time;
            o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(20);
            o.OnRetry = a => delays.Add(a.Delay);
        });

        Task<HttpResponseMessage> a = client.GetAsync("a", Ct);
        await WaitUntilAsync(() => delays.Count == 1);
        time.Advance(TimeSpan.FromSeconds(5));
        (await a).Dispose();
        Task<HttpResponseMessage> b = client.GetAsync("b", Ct);
        await WaitUntilAsync(() => delays.Count == 2);
        time.Advance(TimeSpan.FromSeconds(20));
        (await b).Dispose();

        delays.ShouldBe([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20)]);
    }

    [Fact]
    public async Task GetAsync_ExponentialBackoff_DoublesFromBaseDelayUpToMaxDelay()
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var mock = new MockTransport();
        mock.OnGet("/down").Respond(HttpStatusCode.ServiceUnavailable);
        using AdvancedHttpClient client = Client(mock, o =>
        {
            o.TimeProvider = time;
            o.Retry.MaxAttempts = 5;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(5);
            o.OnRetry = a => delays.Add(a.Delay);
        });

        Task<HttpResponseMessage> call = client.GetAsync("down", Ct);
        for (int i = 1; i <= 4; i++)
        {
            await WaitUntilAsync(() => delays.Count == i);
            time.Advance(delays[^1]);
        }

        using HttpResponseMessage response = await call;

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        delays.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)]);
        mock.Requests.Count.ShouldBe(5);
    }

    [Fact]
    public async Task GetAsync_ScriptedDelayLongerThanAttemptTimeout_TimesOutOnFakeClock()
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        mock.OnGet("/slow").Respond(new MockResponse { Delay = TimeSpan.FromSeconds(60) });
        using AdvancedHttpClient client = Client(mock, o =>
        {
            o.TimeProvider = time;
            o.Retry = RetryOptions.None;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
        });

        Task<HttpResponseMessage> call = client.GetAsync("slow", Ct);
        await WaitUntilAsync(() => mock.Requests.Count == 1);
        time.Advance(TimeSpan.FromSeconds(10));

        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(() => call);
        ex.Kind.ShouldBe(HttpTimeoutKind.Attempt);
        ex.Limit.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetStreamAsync_StallingBody_ReadIdleTimeoutFiresOnFakeClock()
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        mock.OnGet("/stall").Respond(new MockResponse { Body = new byte[5000], StallAfterBytes = 100 });
        using AdvancedHttpClient client = Client(mock, o =>
        {
            o.TimeProvider = time;
            o.ReadIdleTimeout = TimeSpan.FromSeconds(30);
        });
        await using Stream body = await client.GetStreamAsync("stall", Ct);
        byte[] buffer = new byte[1000];
        int first = await body.ReadAsync(buffer, Ct);

        Task<int> stalled = body.ReadAsync(buffer, Ct).AsTask();
        await Task.Delay(20, Ct);
        bool finishedEarly = stalled.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(30));

        first.ShouldBe(100);
        finishedEarly.ShouldBeFalse();
        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(() => stalled);
        ex.Kind.ShouldBe(HttpTimeoutKind.ReadIdle);
        ex.Message.ShouldContain("stalled");
    }

    [Fact]
    public async Task GetAsync_RedirectToOtherHost_DropsAuthorizationAndCookie()
    {
        var mock = new MockTransport();
        mock.OnGet("https://api.test/start").Respond(MockResponse.Redirect("https://other.test/end"));
        mock.OnGet("https://other.test/end").Respond(HttpStatusCode.OK, "there");
        using AdvancedHttpClient client = Client(mock);
        using var request = new HttpRequestMessage(HttpMethod.Get, "start");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret");
        request.Headers.Add("Cookie", "session=1");
        request.Headers.Add("X-Keep", "1");

        using HttpResponseMessage response = await client.SendAsync(request, Ct);

        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("there");
        RecordedRequest second = mock.Requests[1];
        second.Headers.ContainsKey("Authorization").ShouldBeFalse();
        second.Headers.ContainsKey("Cookie").ShouldBeFalse();
        second.Headers["X-Keep"].ShouldBe("1");
        mock.Requests[0].Headers["Authorization"].ShouldBe("Bearer secret");
    }

    [Fact]
    public async Task PutAsync_307WithNonSeekableBody_RefusesToReplay()
    {
        var mock = new MockTransport();
        mock.On(HttpMethod.Put, "/up").Respond(MockResponse.Redirect("/elsewhere", HttpStatusCode.TemporaryRedirect));
        using AdvancedHttpClient client = Client(mock);
        using var body = new NonSeekableStream([1, 2, 3]);

        HttpRedirectException ex = await Should.ThrowAsync<HttpRedirectException>(() => client.UploadAsync("up", body, HttpMethod.Put, cancellationToken: Ct));

        ex.Message.ShouldContain("non-seekable");
    }

    [Fact]
    public async Task GetAsync_NoFollow_Returns3xx()
    {
        var mock = new MockTransport();
        mock.OnGet("/r").Respond(MockResponse.Redirect("/t"));
        using AdvancedHttpClient client = Client(mock, o => o.FollowRedirects = false);

        using HttpResponseMessage response = await client.GetAsync("r", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        mock.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Hooks_OnRequestAndOnResponse_SeeEveryAttempt()
    {
        var mock = new MockTransport();
        mock.OnGet("/h").RespondSequence(HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        var requests = new List<int>();
        var statuses = new List<HttpStatusCode>();
        using AdvancedHttpClient client = Client(mock, o =>
        {
            o.OnRequest = a => requests.Add(a.Attempt);
            o.OnResponse = a => statuses.Add(a.StatusCode);
        });

        using HttpResponseMessage response = await client.GetAsync("h", Ct);

        requests.ShouldBe([1, 2]);
        statuses.ShouldBe([HttpStatusCode.InternalServerError, HttpStatusCode.OK]);
    }

    [Fact]
    public async Task GetAsync_CircuitBreakerOpen_FailsFastWithoutCallingTransport()
    {
        var time = new FakeTimeProvider();
        var mock = new MockTransport();
        MockRoute route = mock.OnGet("/cb").Respond(HttpStatusCode.InternalServerError);
        using AdvancedHttpClient client = Client(mock, o =>
        {
            o.TimeProvider = time;
            o.Retry = new RetryOptions { MaxAttempts = 1, CircuitBreaker = new CircuitBreakerOptions { MinimumThroughput = 2, FailureRatio = 0.5 } };
        });

        (await client.GetAsync("cb", Ct)).Dispose();
        (await client.GetAsync("cb", Ct)).Dispose();
        await Should.ThrowAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => client.GetAsync("cb", Ct));

        route.CallCount.ShouldBe(2);
    }

    [Fact]
    public async Task GetJsonAsync_ErrorStatus_ThrowsHttpStatusExceptionWithExcerpt()
    {
        var mock = new MockTransport();
        mock.OnGet("/j").Respond(MockResponse.Json("{\"error\":\"nope\"}", HttpStatusCode.BadRequest));
        using AdvancedHttpClient client = Client(mock);

        HttpStatusException ex = await Should.ThrowAsync<HttpStatusException>(() => client.GetJsonAsync<Dictionary<string, string>>("j", Ct));

        ex.Status.ShouldBe(HttpStatusCode.BadRequest);
        ex.BodyExcerpt.ShouldBe("{\"error\":\"nope\"}");
        ex.RequestUri.ShouldBe(new Uri("https://api.test/j"));
    }

    [Fact]
    public async Task EnsureSuccessAsync_LargeBinaryBody_KeepsABoundedHexExcerpt()
    {
        var mock = new MockTransport();
        mock.OnGet("/bin").Respond(MockResponse.Bytes(new byte[100_000], HttpStatusCode.InternalServerError));
        using AdvancedHttpClient client = Client(mock, o => o.Retry = RetryOptions.None);
        HttpResponseMessage response = await client.GetAsync("bin", Ct);

        HttpStatusException ex = await Should.ThrowAsync<HttpStatusException>(() => response.EnsureSuccessAsync(Ct));

        ex.BodyExcerpt!.Length.ShouldBeLessThan(200);
        ex.BodyExcerpt.ShouldContain("1024+ bytes of application/octet-stream");
    }

    [Fact]
    public async Task StreamAsync_Chunks_ConcatenateToTheBody()
    {
        byte[] data = new byte[300_000];
        new Random(7).NextBytes(data);
        var mock = new MockTransport();
        mock.OnGet("/big").Respond(MockResponse.Bytes(data));
        using AdvancedHttpClient client = Client(mock);
        using var collected = new MemoryStream();

        await foreach (ReadOnlyMemory<byte> chunk in client.StreamAsync("big", Ct))
        {
            collected.Write(chunk.Span);
        }

        collected.ToArray().ShouldBe(data);
    }

    [Fact]
    public async Task DownloadFileAsync_ResetMidBody_ResumesWithRangeLikeTheRealServer()
    {
        byte[] data = new byte[50_000];
        new Random(3).NextBytes(data);
        string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));
        var mock = new MockTransport();
        mock.OnGet("/file")
            .Respond(new MockResponse { Body = data, ContentType = "application/octet-stream", AbortAfterBytes = 20_000 }
                .WithHeader("ETag", "\"e1\"")
                .WithHeader("Accept-Ranges", "bytes"))
            .Respond(req =>
            {
                long from = long.Parse(req.Headers["Range"]["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
                return new MockResponse(HttpStatusCode.PartialContent) { Body = data.AsMemory((int)from), ContentType = "application/octet-stream" }
                    .WithHeader("ETag", "\"e1\"")
                    .WithHeader("Content-Range", $"bytes {from}-{data.Length - 1}/{data.Length}");
            });
        using AdvancedHttpClient client = Client(mock);
        string dir = Directory.CreateTempSubdirectory("xsys-http-mock-").FullName;
        try
        {
            string path = Path.Combine(dir, "f.bin");

            DownloadResult result = await client.DownloadFileAsync("file", path, null, new DownloadOptions { ExpectedSha256 = sha }, Ct);

            (await File.ReadAllBytesAsync(path, Ct)).ShouldBe(data);
            result.ResumedFrom.ShouldBe(20_000);
            mock.Requests[1].Headers["Range"].ShouldBe("bytes=20000-");
            mock.Requests[1].Headers["If-Range"].ShouldBe("\"e1\"");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new AdvancedHttpClient(new HttpClientOptions { Retry = new RetryOptions { MaxAttempts = 0 } }));
        Should.Throw<ArgumentOutOfRangeException>(() => new AdvancedHttpClient(new HttpClientOptions { ReadIdleTimeout = TimeSpan.FromSeconds(-5) }));
        Should.Throw<ArgumentException>(() => new AdvancedHttpClient(new HttpClientOptions { BaseAddress = new Uri("/relative", UriKind.Relative) }));
    }

    [Fact]
    public async Task GetAsync_RelativeUrlWithoutBaseAddress_ThrowsClearly()
    {
        using var client = new AdvancedHttpClient(transport: new MockTransport());

        InvalidOperationException ex = await Should.ThrowAsync<InvalidOperationException>(() => client.GetAsync("items", Ct));

        ex.Message.ShouldContain("BaseAddress");
    }
}
