using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using XSystem.Http.Tests.Infrastructure;

namespace XSystem.Http.Tests;

/// <summary>AdvancedHttpClient against a real Kestrel server: protocols, retries, timeouts, redirects, decompression.</summary>
public class AdvancedHttpClientServerTests(TestServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    // ---- protocols ----

    [Fact]
    public async Task GetAsync_PlainHttpDefault_FallsBackToHttp11()
    {
        using var client = new AdvancedHttpClient(server.Options());

        using HttpResponseMessage response = await client.GetAsync(server.Http1 + "echo", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Version.ShouldBe(HttpVersion.Version11);
        Json(await response.Content.ReadAsStringAsync(Ct)).GetProperty("protocol").GetString().ShouldBe("HTTP/1.1");
    }

    [Fact]
    public async Task GetAsync_Http2OnlyOverPlainHttp_UsesH2cPriorKnowledge()
    {
        using var client = new AdvancedHttpClient(server.Options(o => o.Http2Only = true));

        using HttpResponseMessage response = await client.GetAsync(server.H2c + "echo", Ct);

        response.Version.ShouldBe(HttpVersion.Version20);
        Json(await response.Content.ReadAsStringAsync(Ct)).GetProperty("protocol").GetString().ShouldBe("HTTP/2");
    }

    [Fact]
    public async Task GetAsync_HttpsDefault_NegotiatesHttp2WithAlpn()
    {
        using var client = new AdvancedHttpClient(server.Options());

        using HttpResponseMessage response = await client.GetAsync(server.Https + "echo", Ct);

        response.Version.ShouldBe(HttpVersion.Version20);
        Json(await response.Content.ReadAsStringAsync(Ct)).GetProperty("protocol").GetString().ShouldBe("HTTP/2");
    }

    [Fact]
    public async Task GetAsync_HttpsWithoutTrustedCertificate_FailsValidation()
    {
        using var client = new AdvancedHttpClient(new HttpClientOptions { Retry = RetryOptions.None });

        await Should.ThrowAsync<HttpRequestException>(() => client.GetAsync(server.Https + "echo", Ct));
    }

    [Fact]
    public async Task SendAsync_100ConcurrentRequestsOverH2c_ShareOneConnection()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options(o => o.Http2Only = true));

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetAsync($"{server.H2c}wait?key={key}", Ct)));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK && r.Version == HttpVersion.Version20);
        server.Hits(key).ShouldBe(100);
        server.DistinctConnections(key).ShouldBe(1);
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }
    }

    // ---- retries ----

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task GetAsync_TransientStatusTwiceThenOk_RetriesExactlyTwice(int status)
    {
        string key = TestServer.NewKey();
        var retries = new List<HttpRetryArguments>();
        using var client = new AdvancedHttpClient(server.Options(o => o.OnRetry = retries.Add));

        using HttpResponseMessage response = await client.GetAsync($"{server.Http1}flaky?key={key}&fail=2&status={status}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("ok after 3");
        server.Hits(key).ShouldBe(3);
        retries.Select(r => r.Attempt).ShouldBe([1, 2]);
        retries.ShouldAllBe(r => (int)r.StatusCode! == status);
    }

    [Fact]
    public async Task GetAsync_AlwaysFailing_StopsAtMaxAttemptsAndReturnsLastResponse()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options(o => o.Retry.MaxAttempts = 4));

        using HttpResponseMessage response = await client.GetAsync($"{server.Http1}flaky?key={key}&fail=100&status=502", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        server.Hits(key).ShouldBe(4);
    }

    [Fact]
    public async Task GetAsync_NonRetryableStatus_IsNotRetried()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options());

        using HttpResponseMessage response = await client.GetAsync($"{server.Http1}flaky?key={key}&fail=5&status=404", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        server.Hits(key).ShouldBe(1);
    }

    [Fact]
    public async Task PostAsync_Default_IsNeverRetried()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options());

        using HttpResponseMessage response = await client.PostAsync($"{server.Http1}flaky?key={key}&fail=2", new StringContent("x"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        server.Hits(key).ShouldBe(1);
    }

    [Fact]
    public async Task PostAsync_PerRequestOptIn_IsRetriedWithTheSameBody()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Http1}flaky?key={key}&fail=1") { Content = new StringContent("payload") };
        request.Options.Set(AdvancedHttpClient.AllowRetryKey, true);

        using HttpResponseMessage response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        server.Hits(key).ShouldBe(2);
    }

    [Fact]
    public async Task UploadAsync_NonSeekableStreamWithRetryAllowed_IsNotRetried()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options(o => o.Retry.RetryNonIdempotent = true));
        using var body = new NonSeekableStream(Encoding.UTF8.GetBytes("stream body"));

        using HttpResponseMessage response = await client.UploadAsync($"{server.Http1}flaky?key={key}&fail=1", body, HttpMethod.Put, cancellationToken: Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        server.Hits(key).ShouldBe(1);
    }

    [Fact]
    public async Task UploadFileAsync_SeekableFile_IsRetriedAndSentWhole()
    {
        string key = TestServer.NewKey();
        string dir = Directory.CreateTempSubdirectory("xsys-http-").FullName;
        try
        {
            string file = Path.Combine(dir, "up.txt");
            await File.WriteAllTextAsync(file, "file body", Ct);
            using var client = new AdvancedHttpClient(server.Options());

            using HttpResponseMessage first = await client.UploadFileAsync($"{server.Http1}flaky?key={key}&fail=1", file, cancellationToken: Ct);
            using HttpResponseMessage echo = await client.UploadFileAsync($"{server.Http1}echo", file, HttpMethod.Put, "text/plain", Ct);

            first.StatusCode.ShouldBe(HttpStatusCode.OK);
            server.Hits(key).ShouldBe(2);
            JsonElement json = Json(await echo.Content.ReadAsStringAsync(Ct));
            json.GetProperty("body").GetString().ShouldBe("file body");
            json.GetProperty("method").GetString().ShouldBe("PUT");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task GetAsync_ConnectionResetTwice_RetriesAndSucceeds()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options());

        using HttpResponseMessage response = await client.GetAsync($"{server.Http1}flaky?key={key}&fail=2&status=reset", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        server.Hits(key).ShouldBe(3);
    }

    [Fact]
    public async Task GetAsync_ConnectionResetWithoutRetries_ThrowsHttpRequestException()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options(o => o.Retry = RetryOptions.None));

        await Should.ThrowAsync<HttpRequestException>(() => client.GetAsync($"{server.Http1}flaky?key={key}&fail=1&status=reset", Ct));
        server.Hits(key).ShouldBe(1);
    }

    [Fact]
    public async Task GetAsync_RetryAfterSeconds_UsesServerDelayCappedByMaxRetryAfter()
    {
        string key = TestServer.NewKey();
        var delays = new List<TimeSpan>();
        using var client = new AdvancedHttpClient(server.Options(o =>
        {
            o.Retry.MaxRetryAfter = TimeSpan.FromMilliseconds(150);
            o.OnRetry = a => delays.Add(a.Delay);
        }));
        var watch = Stopwatch.StartNew();

        using HttpResponseMessage response = await client.GetAsync($"{server.Http1}flaky?key={key}&fail=1&status=429&retryAfter=120", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        delays.ShouldBe([TimeSpan.FromMilliseconds(150)]);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140));
    }

    // ---- timeouts and cancellation ----

    [Fact]
    public async Task GetAsync_StalledBody_FailsWithReadIdleTimeout()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options(o =>
        {
            o.ReadIdleTimeout = TimeSpan.FromMilliseconds(300);
            o.Retry = RetryOptions.None;
        }));

        Exception ex = await Should.ThrowAsync<Exception>(() => client.GetAsync($"{server.Http1}slow-body?key={key}", Ct));

        HttpTimeoutException timeout = FindTimeout(ex);
        timeout.Kind.ShouldBe(HttpTimeoutKind.ReadIdle);
    }

    [Fact]
    public async Task GetStreamAsync_StalledBody_ReadThrowsReadIdleTimeout()
    {
        using var client = new AdvancedHttpClient(server.Options(o =>
        {
            o.ReadIdleTimeout = TimeSpan.FromMilliseconds(300);
            o.Http2Only = true;
        }));
        await using Stream body = await client.GetStreamAsync($"{server.H2c}slow-body", Ct);

        byte[] buffer = new byte[4096];
        int total = 0;
        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(async () =>
        {
            while (true)
            {
                total += await body.ReadAsync(buffer, Ct);
            }
        });

        ex.Kind.ShouldBe(HttpTimeoutKind.ReadIdle);
        total.ShouldBe(1000);
    }

    [Fact]
    public async Task GetAsync_SlowHeaders_FailsWithAttemptTimeoutAfterRetries()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            o.Retry.MaxAttempts = 2;
        }));

        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(() => client.GetAsync($"{server.Http1}slow-headers?key={key}&ms=5000", Ct));

        ex.Kind.ShouldBe(HttpTimeoutKind.Attempt);
        server.Hits(key).ShouldBe(2);
    }

    [Fact]
    public async Task GetAsync_TotalTimeout_StopsRetrying()
    {
        using var client = new AdvancedHttpClient(server.Options(o =>
        {
            o.TotalTimeout = TimeSpan.FromMilliseconds(300);
            o.Retry.MaxAttempts = 10;
        }));

        HttpTimeoutException ex = await Should.ThrowAsync<HttpTimeoutException>(() => client.GetAsync($"{server.Http1}slow-headers?ms=5000", Ct));

        ex.Kind.ShouldBe(HttpTimeoutKind.Total);
    }

    [Fact]
    public async Task StreamAsync_CancelledMidTransfer_StopsPromptly()
    {
        using var client = new AdvancedHttpClient(server.Options(o => o.ReadIdleTimeout = Timeout.InfiniteTimeSpan));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watch = new Stopwatch();

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (ReadOnlyMemory<byte> chunk in client.StreamAsync($"{server.Http1}slow-body", cts.Token))
            {
                chunk.Length.ShouldBeGreaterThan(0);
                watch.Start();
                cts.CancelAfter(50);
            }
        });

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
    }

    // ---- redirects ----

    [Fact]
    public async Task GetAsync_RedirectToOtherHost_DropsAuthorization()
    {
        string key = TestServer.NewKey();
        string target = $"http://localhost:{server.Http1.Port}/echo?key={key}";
        using var client = new AdvancedHttpClient(server.Options());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Http1}redirect?to={Uri.EscapeDataString(target)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret");

        using HttpResponseMessage response = await client.SendAsync(request, Ct);

        JsonElement json = Json(await response.Content.ReadAsStringAsync(Ct));
        json.GetProperty("host").GetString().ShouldStartWith("localhost");
        json.GetProperty("authorization").GetString().ShouldBeEmpty();
    }

    [Fact]
    public async Task GetAsync_RedirectSameHost_KeepsAuthorization()
    {
        using var client = new AdvancedHttpClient(server.Options());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Http1}redirect?to=/echo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret");

        using HttpResponseMessage response = await client.SendAsync(request, Ct);

        Json(await response.Content.ReadAsStringAsync(Ct)).GetProperty("authorization").GetString().ShouldBe("Bearer secret");
    }

    [Theory]
    [InlineData(303, "GET", "")]
    [InlineData(307, "POST", "body")]
    [InlineData(308, "POST", "body")]
    public async Task PostAsync_Redirect_FollowsMethodRules(int code, string method, string body)
    {
        using var client = new AdvancedHttpClient(server.Options());

        using HttpResponseMessage response = await client.PostAsync($"{server.Http1}redirect?code={code}&to=/echo", new StringContent("body"), Ct);

        JsonElement json = Json(await response.Content.ReadAsStringAsync(Ct));
        json.GetProperty("method").GetString().ShouldBe(method);
        json.GetProperty("body").GetString().ShouldBe(body);
    }

    [Fact]
    public async Task GetAsync_HttpsToHttpRedirect_IsRefused()
    {
        using var client = new AdvancedHttpClient(server.Options());

        HttpRedirectException ex = await Should.ThrowAsync<HttpRedirectException>(() => client.GetAsync($"{server.Https}redirect?to={Uri.EscapeDataString(server.Http1 + "echo")}", Ct));

        ex.Message.ShouldContain("downgrade");
    }

    [Fact]
    public async Task GetAsync_RedirectLoop_StopsAtMaxRedirects()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options(o => o.MaxRedirects = 3));

        HttpRedirectException ex = await Should.ThrowAsync<HttpRedirectException>(() => client.GetAsync($"{server.Http1}loop?key={key}", Ct));

        ex.Message.ShouldContain("more than 3");
        server.Hits(key).ShouldBe(4);
    }

    // ---- bodies ----

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task GetAsync_CompressedResponse_IsDecompressed(string encoding)
    {
        using var client = new AdvancedHttpClient(server.Options());

        using HttpResponseMessage response = await client.GetAsync($"{server.Http1}compressed?enc={encoding}", Ct);

        string text = await response.Content.ReadAsStringAsync(Ct);
        text.Length.ShouldBe("compress me please ".Length * 500);
        text.ShouldStartWith("compress me please");
    }

    [Fact]
    public async Task GetAsync_LargeBodyOverHttps_ArrivesWhole()
    {
        using var client = new AdvancedHttpClient(server.Options());

        using HttpResponseMessage response = await client.GetAsync($"{server.Https}large?size={8 * 1024 * 1024}", Ct);

        (await response.Content.ReadAsByteArrayAsync(Ct)).Length.ShouldBe(8 * 1024 * 1024);
        response.Version.ShouldBe(HttpVersion.Version20);
    }

    [Fact]
    public async Task EnsureSuccessAsync_ErrorStatus_ThrowsWithStatusMethodUrlAndBody()
    {
        using var client = new AdvancedHttpClient(server.Options());
        HttpResponseMessage response = await client.GetAsync($"{server.Http1}status/418", Ct);

        HttpStatusException ex = await Should.ThrowAsync<HttpStatusException>(() => response.EnsureSuccessAsync(Ct));

        ex.Status.ShouldBe((HttpStatusCode)418);
        ex.StatusCode.ShouldBe((HttpStatusCode)418);
        ex.Method.ShouldBe(HttpMethod.Get);
        ex.RequestUri!.AbsolutePath.ShouldBe("/status/418");
        ex.BodyExcerpt.ShouldBe("status 418 body");
        ex.Message.ShouldContain("418");
    }

    [Fact]
    public async Task GetJsonAsync_Object_Deserializes()
    {
        using var client = new AdvancedHttpClient(server.Options(o =>
        {
            o.BaseAddress = server.H2c;
            o.Http2Only = true;
        }));

        Item? item = await client.GetJsonAsync<Item>("items", Ct);

        item.ShouldBe(new Item("widget", 3));
    }

    [Fact]
    public async Task GetAsAsync_Yaml_SendsAcceptAndDeserializes()
    {
        using var client = new AdvancedHttpClient(server.Options(o => o.BaseAddress = server.Http1));
        _ = new XSystem.Serialization.Yaml.YamlFormat();

        Item? item = await client.GetAsAsync<Item>("/items", XSystem.Serialization.Formats.Yaml, Ct);

        item.ShouldBe(new Item("widget", 3));
    }

    [Fact]
    public async Task PostJsonAsync_Value_IsEchoedAsJson()
    {
        using var client = new AdvancedHttpClient(server.Options(o => o.DefaultHeaders["X-Custom"] = "default"));

        using HttpResponseMessage response = await client.PostJsonAsync(server.Http1 + "echo", new Item("gadget", 7), Ct);

        JsonElement json = Json(await response.Content.ReadAsStringAsync(Ct));
        json.GetProperty("contentType").GetString()!.ShouldStartWith("application/json");
        json.GetProperty("body").GetString().ShouldBe("{\"name\":\"gadget\",\"count\":7}");
        json.GetProperty("custom").GetString().ShouldBe("default");
    }

    [Theory]
    [InlineData(true, "session=abc123")]
    [InlineData(false, "")]
    public async Task GetAsync_Cookies_AreKeptOnlyWhenEnabled(bool useCookies, string expected)
    {
        using var client = new AdvancedHttpClient(server.Options(o => o.UseCookies = useCookies));

        (await client.GetAsync(server.Http1 + "set-cookie", Ct)).Dispose();
        using HttpResponseMessage response = await client.GetAsync(server.Http1 + "echo", Ct);

        Json(await response.Content.ReadAsStringAsync(Ct)).GetProperty("cookie").GetString().ShouldBe(expected);
    }

    [Fact]
    public async Task GetAsync_ExplicitProxy_SendsTheRequestThroughIt()
    {
        string key = TestServer.NewKey();
        using var client = new AdvancedHttpClient(server.Options(o => o.Proxy = new WebProxy(server.Http1)));

        using HttpResponseMessage response = await client.GetAsync($"http://proxied.invalid/echo?key={key}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Json(await response.Content.ReadAsStringAsync(Ct)).GetProperty("host").GetString().ShouldBe("proxied.invalid");
        server.Hits(key).ShouldBe(1);
    }

    // ---- telemetry ----

    [Fact]
    public async Task SendAsync_WithListener_EmitsActivityAndRetryCounter()
    {
        string key = TestServer.NewKey();
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "XSystem.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        long retries = 0;
        using var meter = new MeterListener();
        meter.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "XSystem.Http" && instrument.Name == "xsystem.http.client.retries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meter.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref retries, value));
        meter.Start();
        using var client = new AdvancedHttpClient(server.Options());

        using HttpResponseMessage response = await client.GetAsync($"{server.Http1}flaky?key={key}&fail=1", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Interlocked.Read(ref retries).ShouldBeGreaterThanOrEqualTo(1);
        lock (activities)
        {
            activities.ShouldContain(a => a.DisplayName == "HTTP GET" && (string?)a.GetTagItem("url.full") != null && a.GetTagItem("url.full")!.ToString()!.Contains("/flaky"));
        }
    }

    internal static HttpTimeoutException FindTimeout(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is HttpTimeoutException t)
            {
                return t;
            }
        }

        throw new ShouldAssertException($"Expected an HttpTimeoutException, got {ex}");
    }

    public sealed record Item(string Name, int Count);
}

/// <summary>A read-only stream that cannot seek.</summary>
internal sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
{
    public override bool CanSeek => false;
}
