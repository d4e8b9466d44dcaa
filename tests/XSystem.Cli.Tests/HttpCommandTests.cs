using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Spectre.Console.Testing;
using XSystem.Cli.Doctor;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys http</c> and the doctor "http" check against a small Kestrel server started here.</summary>
public sealed class HttpCommandTests : IAsyncLifetime
{
    private WebApplication? _app;
    private Uri _h1 = null!;
    private Uri _h2c = null!;
    private int _flakyHits;

    private sealed record Run(int ExitCode, string Console, byte[] Stdout, string Stderr)
    {
        public string StdoutText => Encoding.UTF8.GetString(Stdout);
    }

    public async ValueTask InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? h1 = null, h2 = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1; h1 = o; });
            k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http2; h2 = o; });
        });
        _app = builder.Build();
        _app.Map("/json", (HttpContext ctx) =>
        {
            ctx.Response.ContentType = "application/json";
            ctx.Response.Headers["X-Served-By"] = "test";
            return ctx.Response.WriteAsync("{\"a\":1,\"b\":[true,null]}", ctx.RequestAborted);
        });
        _app.Map("/echo", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            string body = await reader.ReadToEndAsync(ctx.RequestAborted);
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync($"{ctx.Request.Method} {ctx.Request.Protocol} {ctx.Request.ContentType} {ctx.Request.Headers["X-Token"]} {body}", ctx.RequestAborted);
        });
        _app.Map("/flaky", (HttpContext ctx) =>
        {
            ctx.Response.StatusCode = Interlocked.Increment(ref _flakyHits) == 1 ? 503 : 200;
            return ctx.Response.WriteAsync("flaky", ctx.RequestAborted);
        });
        _app.Map("/missing", (HttpContext ctx) =>
        {
            ctx.Response.StatusCode = 404;
            return ctx.Response.WriteAsync("nothing here", ctx.RequestAborted);
        });
        _app.Map("/file", (HttpContext ctx) =>
        {
            ctx.Response.ContentLength = 200_000;
            return ctx.Response.Body.WriteAsync(new byte[200_000], ctx.RequestAborted).AsTask();
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        _h1 = new Uri($"http://127.0.0.1:{((IPEndPoint)h1!.EndPoint).Port}/");
        _h2c = new Uri($"http://127.0.0.1:{((IPEndPoint)h2!.EndPoint).Port}/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    private static async Task<Run> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(200);
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => output, error, outputIsTerminal: false);
        int exit = await XsysApp.RunAsync(args, console, streams, TestContext.Current.CancellationToken);
        return new Run(exit, console.Output, output.ToArray(), error.ToString());
    }

    [Fact]
    public async Task Http_GetJson_PrintsStatusProtocolHeadersAndPrettyBody()
    {
        Run run = await RunAsync("http", "GET", _h1 + "json");

        run.ExitCode.ShouldBe(0);
        run.Console.ShouldContain("HTTP/1.1 200 OK");
        run.Console.ShouldContain("X-Served-By: test");
        run.StdoutText.ShouldContain("\"a\": 1");
        run.StdoutText.ShouldContain("\n");
    }

    [Fact]
    public async Task Http_Http2Flag_UsesH2c()
    {
        Run run = await RunAsync("http", "GET", _h2c + "echo", "--http2");

        run.ExitCode.ShouldBe(0);
        run.Console.ShouldContain("HTTP/2.0 200");
        run.StdoutText.ShouldStartWith("GET HTTP/2");
    }

    [Fact]
    public async Task Http_PostJsonWithHeader_SendsBodyAndHeaders()
    {
        Run run = await RunAsync("http", "post", _h1 + "echo", "--json", "-d", "{\"x\":1}", "-H", "X-Token: abc");

        run.ExitCode.ShouldBe(0);
        run.StdoutText.ShouldBe("POST HTTP/1.1 application/json abc {\"x\":1}");
    }

    [Fact]
    public async Task Http_DataFromFile_StreamsTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("xsys-http-cli-").FullName;
        try
        {
            string file = Path.Combine(dir, "body.txt");
            await File.WriteAllTextAsync(file, "from file", TestContext.Current.CancellationToken);

            Run run = await RunAsync("http", "PUT", _h1 + "echo", "-d", "@" + file);

            run.ExitCode.ShouldBe(0);
            run.StdoutText.ShouldEndWith("from file");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Http_TransientStatus_IsRetried()
    {
        Run run = await RunAsync("http", "GET", _h1 + "flaky");

        run.ExitCode.ShouldBe(0);
        run.Console.ShouldContain("200");
        Volatile.Read(ref _flakyHits).ShouldBe(2);
    }

    [Fact]
    public async Task Http_ErrorStatus_PrintsBodyAndExitsOne()
    {
        Run run = await RunAsync("http", "GET", _h1 + "missing");

        run.ExitCode.ShouldBe(1);
        run.Console.ShouldContain("404");
        run.StdoutText.ShouldBe("nothing here");
    }

    [Fact]
    public async Task Http_OutputFile_DownloadsAndReports()
    {
        string dir = Directory.CreateTempSubdirectory("xsys-http-cli-").FullName;
        try
        {
            string file = Path.Combine(dir, "out.bin");

            Run run = await RunAsync("http", "GET", _h1 + "file", "-o", file);

            run.ExitCode.ShouldBe(0, run.Stderr);
            new FileInfo(file).Length.ShouldBe(200_000);
            run.Console.ShouldContain("Saved");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Http_ConnectionRefused_ReportsErrorLine()
    {
        Run run = await RunAsync("http", "GET", "http://127.0.0.1:1/", "--max-attempts", "1");

        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldStartWith("error: GET http://127.0.0.1:1/ failed");
    }

    [Theory]
    [InlineData("FETCH", "http://x/")]
    [InlineData("GET", "ftp://x/")]
    [InlineData("GET", "relative/path")]
    public async Task Http_BadArguments_ExitTwo(string method, string url)
    {
        Run run = await RunAsync("http", method, url);

        run.ExitCode.ShouldBe(2);
    }

    [Fact]
    public async Task HttpCheck_Loopback_NegotiatesHttp2OverTls()
    {
        CheckResult result = await new HttpCheck().RunAsync(TestContext.Current.CancellationToken);

        result.Passed.ShouldBeTrue(result.Detail);
        result.Detail.ShouldContain("HTTP/2 over TLS");
    }
}
