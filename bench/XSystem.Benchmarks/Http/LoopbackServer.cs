using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace XSystem.Benchmarks.Http;

/// <summary>Kestrel on 127.0.0.1 with an HTTP/1.1 port and an h2c port: /small (11 bytes) and /big?mib=N.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri http1, Uri h2c)
    {
        _app = app;
        Http1 = http1;
        H2c = h2c;
    }

    public Uri Http1 { get; }

    public Uri H2c { get; }

    public static async Task<LoopbackServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? h1 = null, h2 = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1; h1 = o; });
            k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http2; h2 = o; });
        });
        WebApplication app = builder.Build();
        byte[] small = "hello world"u8.ToArray();
        byte[] block = new byte[1024 * 1024];
        app.Map("/small", (HttpContext ctx) =>
        {
            ctx.Response.ContentLength = small.Length;
            return ctx.Response.Body.WriteAsync(small).AsTask();
        });
        app.Map("/big", async (HttpContext ctx) =>
        {
            int mib = int.Parse(ctx.Request.Query["mib"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            ctx.Response.ContentLength = (long)mib * block.Length;
            for (int i = 0; i < mib; i++)
            {
                await ctx.Response.Body.WriteAsync(block, ctx.RequestAborted);
            }
        });
        await app.StartAsync();
        return new LoopbackServer(
            app,
            new Uri($"http://127.0.0.1:{((IPEndPoint)h1!.EndPoint).Port}/"),
            new Uri($"http://127.0.0.1:{((IPEndPoint)h2!.EndPoint).Port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A handler with the settings AdvancedHttpClient uses, for the raw HttpClient baseline.</summary>
    public static SocketsHttpHandler RawHandler() => new()
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
        UseCookies = true,
        CookieContainer = new CookieContainer(),
        EnableMultipleHttp2Connections = false,
    };
}
