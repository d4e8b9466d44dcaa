using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

[assembly: AssemblyFixture(typeof(XSystem.Http.Tests.Infrastructure.TestServer))]

namespace XSystem.Http.Tests.Infrastructure;

/// <summary>
/// A Kestrel server on 127.0.0.1 with three free ports: HTTP/1.1, h2c (HTTP/2 prior knowledge) and HTTPS (HTTP/1.1 +
/// HTTP/2 via ALPN) with a self-signed certificate made here. Endpoints count their hits per <c>key</c> query value so
/// that tests running in parallel do not interfere.
/// </summary>
public sealed class TestServer : IAsyncLifetime
{
    public const int DownloadSize = 3 * 1024 * 1024 + 123;

    private WebApplication? _app;
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _connections = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _headersSeen = new();

    public Uri Http1 { get; private set; } = null!;

    public Uri H2c { get; private set; } = null!;

    public Uri Https { get; private set; } = null!;

    public X509Certificate2 Certificate { get; private set; } = null!;

    public static byte[] DownloadContent { get; } = CreateDownloadContent();

    public static string DownloadSha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(DownloadContent));

    public int Hits(string key) => _hits.TryGetValue(key, out int n) ? n : 0;

    public int DistinctConnections(string key) => _connections.TryGetValue(key, out var ids) ? ids.Count : 0;

    public IReadOnlyList<string> HeadersSeen(string key) => _headersSeen.TryGetValue(key, out var q) ? [.. q] : [];

    public static string NewKey() => Guid.NewGuid().ToString("N");

    public async ValueTask InitializeAsync()
    {
        Certificate = CreateCertificate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? h1 = null, h2 = null, tls = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = 200;
            kestrel.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1; h1 = o; });
            kestrel.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http2; h2 = o; });
            kestrel.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1AndHttp2; o.UseHttps(Certificate); tls = o; });
        });
        _app = builder.Build();
        MapEndpoints(_app);
        await _app.StartAsync();
        Http1 = new Uri($"http://127.0.0.1:{((IPEndPoint)h1!.EndPoint).Port}/");
        H2c = new Uri($"http://127.0.0.1:{((IPEndPoint)h2!.EndPoint).Port}/");
        Https = new Uri($"https://127.0.0.1:{((IPEndPoint)tls!.EndPoint).Port}/");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_app is not null)
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _app.StopAsync(stop.Token);
                await _app.DisposeAsync();
            }
        }
        finally
        {
            Certificate?.Dispose();
        }
    }

    /// <summary>Client options that trust exactly this server's certificate.</summary>
    public HttpClientOptions Options(Action<HttpClientOptions>? configure = null)
    {
        var options = new HttpClientOptions();
        options.TrustedServerCertificates.Add(Certificate);
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        configure?.Invoke(options);
        return options;
    }

    private int Hit(HttpContext ctx)
    {
        string key = ctx.Request.Query["key"].ToString();
        if (key.Length == 0)
        {
            return 0;
        }

        _connections.GetOrAdd(key, _ => new()).TryAdd(ctx.Connection.Id, 0);
        _headersSeen.GetOrAdd(key, _ => new()).Enqueue($"{ctx.Request.Method} {ctx.Request.Host} auth={ctx.Request.Headers.Authorization} range={ctx.Request.Headers.Range} if-range={ctx.Request.Headers.IfRange}");
        return _hits.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    private void MapEndpoints(WebApplication app)
    {
        app.Map("/echo", async (HttpContext ctx) =>
        {
            Hit(ctx);
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            string body = await reader.ReadToEndAsync(ctx.RequestAborted);
            var echo = new Dictionary<string, object?>
            {
                ["method"] = ctx.Request.Method,
                ["protocol"] = ctx.Request.Protocol,
                ["host"] = ctx.Request.Host.ToString(),
                ["path"] = ctx.Request.Path.ToString(),
                ["authorization"] = ctx.Request.Headers.Authorization.ToString(),
                ["custom"] = ctx.Request.Headers["X-Custom"].ToString(),
                ["cookie"] = ctx.Request.Headers.Cookie.ToString(),
                ["contentType"] = ctx.Request.ContentType,
                ["body"] = body,
            };
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(JsonSerializer.Serialize(echo), ctx.RequestAborted);
        });

        app.Map("/status/{code:int}", async (HttpContext ctx, int code) =>
        {
            Hit(ctx);
            ctx.Response.StatusCode = code;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync($"status {code} body", ctx.RequestAborted);
        });

        // Fails with `status` for the first `fail` hits of a key, then answers 200.
        app.Map("/flaky", async (HttpContext ctx) =>
        {
            int n = Hit(ctx);
            int fail = int.Parse(ctx.Request.Query["fail"].ToString() is { Length: > 0 } f ? f : "1", System.Globalization.CultureInfo.InvariantCulture);
            if (n <= fail)
            {
                string status = ctx.Request.Query["status"].ToString();
                if (status == "reset")
                {
                    ctx.Abort();
                    return;
                }

                ctx.Response.StatusCode = status.Length > 0 ? int.Parse(status, System.Globalization.CultureInfo.InvariantCulture) : 503;
                string retryAfter = ctx.Request.Query["retryAfter"].ToString();
                if (retryAfter.Length > 0)
                {
                    ctx.Response.Headers.RetryAfter = retryAfter;
                }

                await ctx.Response.WriteAsync("try again", ctx.RequestAborted);
                return;
            }

            await ctx.Response.WriteAsync($"ok after {n}", ctx.RequestAborted);
        });

        app.Map("/slow-headers", async (HttpContext ctx) =>
        {
            Hit(ctx);
            int ms = int.Parse(ctx.Request.Query["ms"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(ms, ctx.RequestAborted);
            await ctx.Response.WriteAsync("late", ctx.RequestAborted);
        });

        // Sends 1,000 bytes, then stalls until the client goes away.
        app.Map("/slow-body", async (HttpContext ctx) =>
        {
            Hit(ctx);
            ctx.Response.ContentLength = 1_000_000;
            await ctx.Response.Body.WriteAsync(new byte[1000], ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, which is what the tests expect.
            }
        });

        app.Map("/large", async (HttpContext ctx) =>
        {
            Hit(ctx);
            int size = int.Parse(ctx.Request.Query["size"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            ctx.Response.ContentLength = size;
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < size; sent += chunk.Length)
            {
                await ctx.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, size - sent)), ctx.RequestAborted);
            }
        });

        app.Map("/redirect", (HttpContext ctx) =>
        {
            Hit(ctx);
            ctx.Response.StatusCode = int.Parse(ctx.Request.Query["code"].ToString() is { Length: > 0 } c ? c : "302", System.Globalization.CultureInfo.InvariantCulture);
            ctx.Response.Headers.Location = ctx.Request.Query["to"].ToString();
            return Task.CompletedTask;
        });

        app.Map("/set-cookie", (HttpContext ctx) =>
        {
            Hit(ctx);
            ctx.Response.Cookies.Append("session", "abc123");
            return ctx.Response.WriteAsync("set", ctx.RequestAborted);
        });

        app.Map("/loop", (HttpContext ctx) =>
        {
            Hit(ctx);
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = "/loop" + ctx.Request.QueryString;
            return Task.CompletedTask;
        });

        app.Map("/compressed", async (HttpContext ctx) =>
        {
            Hit(ctx);
            byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compress me please ", 500)));
            string encoding = ctx.Request.Query["enc"].ToString();
            using var buffer = new MemoryStream();
            await using (Stream compressor = encoding == "br" ? new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                await compressor.WriteAsync(text, ctx.RequestAborted);
            }

            ctx.Response.Headers.ContentEncoding = encoding == "br" ? "br" : "gzip";
            ctx.Response.ContentType = "text/plain";
            ctx.Response.ContentLength = buffer.Length;
            await ctx.Response.Body.WriteAsync(buffer.ToArray(), ctx.RequestAborted);
        });

        // A 3 MiB file with ETag and Range support; with abort=1 the first hit of a key stops halfway and resets.
        app.Map("/download", async (HttpContext ctx) =>
        {
            int n = Hit(ctx);
            byte[] content = DownloadContent;
            const string etag = "\"v1\"";
            ctx.Response.Headers.ETag = etag;
            ctx.Response.Headers.AcceptRanges = "bytes";
            int start = 0;
            string range = ctx.Request.Headers.Range.ToString();
            if (range.StartsWith("bytes=", StringComparison.Ordinal) && ctx.Request.Headers.IfRange.ToString() == etag)
            {
                start = int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
                ctx.Response.StatusCode = 206;
                ctx.Response.Headers.ContentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
            }

            ctx.Response.ContentLength = content.Length - start;
            bool abort = ctx.Request.Query["abort"] == "1" && n == 1;
            int end = abort ? content.Length / 2 : content.Length;
            for (int pos = start; pos < end; pos += 64 * 1024)
            {
                await ctx.Response.Body.WriteAsync(content.AsMemory(pos, Math.Min(64 * 1024, end - pos)), ctx.RequestAborted);
            }

            if (abort)
            {
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                ctx.Abort();
            }
        });

        app.Map("/items", async (HttpContext ctx) =>
        {
            Hit(ctx);
            string accept = ctx.Request.Headers.Accept.ToString();
            if (accept.Contains("yaml", StringComparison.Ordinal))
            {
                ctx.Response.ContentType = "application/yaml";
                await ctx.Response.WriteAsync("name: widget\ncount: 3\n", ctx.RequestAborted);
                return;
            }

            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("{\"name\":\"widget\",\"count\":3}", ctx.RequestAborted);
        });

        app.Map("/wait", async (HttpContext ctx) =>
        {
            Hit(ctx);
            await Task.Delay(50, ctx.RequestAborted);
            await ctx.Response.WriteAsync("done", ctx.RequestAborted);
        });
    }

    private static byte[] CreateDownloadContent()
    {
        byte[] content = new byte[DownloadSize];
        new Random(42).NextBytes(content);
        return content;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=XSystem.Http test server", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
