using System.Net;
using BenchmarkDotNet.Attributes;
using XSystem.Http;

namespace XSystem.Benchmarks.Http;

/// <summary>
/// Small GET (11-byte body, buffered) over HTTP/1.1 and h2c to a local Kestrel server. Baseline: raw HttpClient on a
/// SocketsHttpHandler with the same settings. AdvancedHttpClient runs with its default retry pipeline (3 attempts),
/// attempt and read-idle timeouts on.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class HttpGetBenchmarks
{
    private LoopbackServer _server = null!;
    private HttpClient _raw = null!;
    private AdvancedHttpClient _advanced = null!;
    private string _url = null!;

    /// <summary>HTTP version: 1.1 or 2 (h2c prior knowledge).</summary>
    [Params("1.1", "2")]
    public string Protocol { get; set; } = "1.1";

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await LoopbackServer.StartAsync();
        bool h2 = Protocol == "2";
        _url = (h2 ? _server.H2c : _server.Http1) + "small";
        _raw = new HttpClient(LoopbackServer.RawHandler())
        {
            DefaultRequestVersion = h2 ? HttpVersion.Version20 : HttpVersion.Version11,
            DefaultVersionPolicy = h2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        };
        _advanced = new AdvancedHttpClient(new HttpClientOptions { Http2Only = h2 });
        (await RawHttpClient()).ShouldBe11();
        (await Advanced()).ShouldBe11();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _raw.Dispose();
        _advanced.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> RawHttpClient()
    {
        using HttpResponseMessage response = await _raw.GetAsync(_url);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [Benchmark]
    public async Task<int> Advanced()
    {
        using HttpResponseMessage response = await _advanced.GetAsync(_url);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }
}

/// <summary>
/// 100 MiB download over HTTP/1.1 to a local Kestrel server, streamed (ResponseHeadersRead) into Stream.Null.
/// Baseline: raw HttpClient. AdvancedHttpClient reads through its read-idle timeout stream.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class HttpDownloadBenchmarks
{
    private LoopbackServer _server = null!;
    private HttpClient _raw = null!;
    private AdvancedHttpClient _advanced = null!;
    private string _url = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await LoopbackServer.StartAsync();
        _url = _server.Http1 + "big?mib=100";
        _raw = new HttpClient(LoopbackServer.RawHandler());
        _advanced = new AdvancedHttpClient();
        await RawHttpClient();
        await Advanced();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _raw.Dispose();
        _advanced.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<long> RawHttpClient()
    {
        using HttpResponseMessage response = await _raw.GetAsync(_url, HttpCompletionOption.ResponseHeadersRead);
        await using Stream body = await response.Content.ReadAsStreamAsync();
        await body.CopyToAsync(Stream.Null);
        return response.Content.Headers.ContentLength ?? 0;
    }

    [Benchmark]
    public async Task<long> Advanced()
    {
        await using Stream body = await _advanced.GetStreamAsync(_url);
        await body.CopyToAsync(Stream.Null);
        return 100L * 1024 * 1024;
    }
}

internal static class BenchChecks
{
    public static void ShouldBe11(this int length)
    {
        if (length != 11)
        {
            throw new InvalidOperationException($"Expected 11 bytes, got {length}.");
        }
    }
}
