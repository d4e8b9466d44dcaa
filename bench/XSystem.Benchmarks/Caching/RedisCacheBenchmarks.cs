using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;
using XSystem.Caching.Redis;

namespace XSystem.Benchmarks.Caching;

/// <summary>
/// A read of one small cached value (a 64-character string) through: raw StackExchange.Redis <c>StringGet</c> (the
/// baseline: one loopback round trip, no decoding) and <c>StringGetAsync</c>, <see cref="RedisCache{TValue}"/> (round trip plus MessagePack
/// decoding), and <see cref="TwoTierCache{TValue}"/> answering from its local tier. The benchmark starts its own
/// redis-server on a free loopback port (persistence off) and kills it afterwards.
/// </summary>
[MemoryDiagnoser]
public class RedisCacheBenchmarks : IDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private const string Value = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private Process? _server;
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _database = null!;
    private RedisCache<string> _redisCache = null!;
    private TwoTierCache<string> _twoTier = null!;

    [GlobalSetup]
    public void Setup()
    {
        int port = StartServer();
        _connection = ConnectionMultiplexer.Connect(RedisConnection.CreateConfiguration($"127.0.0.1:{port}"));
        _database = _connection.GetDatabase();
        _database.StringSet("bench:raw", Value);
        var options = new RedisCacheOptions { Prefix = "bench:" };
        _redisCache = new RedisCache<string>(_connection, options);
        _redisCache.Set("cached", Value);
        _twoTier = new TwoTierCache<string>(_connection, new TwoTierCacheOptions { Redis = options });
        _twoTier.Set("cached", Value);
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        _twoTier?.Dispose();
        _connection?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }

        _server?.Dispose();
        _server = null;
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "StackExchange.Redis StringGet (raw bytes)")]
    public RedisValue RawStringGet() => _database.StringGet("bench:raw");

    [Benchmark(Description = "StackExchange.Redis StringGetAsync (raw bytes)")]
    public async Task<RedisValue> RawStringGetAsync() => await _database.StringGetAsync("bench:raw").ConfigureAwait(false);

    [Benchmark(Description = "RedisCache.TryGet (round trip + decode)")]
    public string? RedisCacheTryGet() => _redisCache.TryGet("cached", out string? value) ? value : null;

    [Benchmark(Description = "RedisCache.TryGetAsync")]
    public async Task<string?> RedisCacheTryGetAsync() => (await _redisCache.TryGetAsync("cached").ConfigureAwait(false)).Value;

    [Benchmark(Description = "TwoTierCache.TryGet (local hit)")]
    public string? TwoTierLocalHit() => _twoTier.TryGet("cached", out string? value) ? value : null;

    [Benchmark(Description = "TwoTierCache.TryGetAsync (local hit)")]
    public async ValueTask<string?> TwoTierLocalHitAsync() => (await _twoTier.TryGetAsync("cached").ConfigureAwait(false)).Value;

    private int StartServer()
    {
        string executable = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed; the Redis benchmarks need it (sudo apt-get install -y redis-server).");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"])
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        long deadline = Environment.TickCount64 + 10_000;
        while (Environment.TickCount64 < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return port;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new InvalidOperationException($"redis-server did not start listening on port {port} within 10 s.");
    }
}
