using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(XSystem.Caching.Redis.Tests.Infrastructure.RedisFixture))]

namespace XSystem.Caching.Redis.Tests.Infrastructure;

/// <summary>
/// One private redis-server for the whole test assembly, plus helpers. Tests that kill the server start their own
/// <see cref="RedisServer"/> instead, so they never disturb the others. Every test uses its own key prefix.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The shared server.</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>A new multiplexer to the shared server with the cache's connection defaults; dispose it.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => RedisConnection.ConnectAsync(Server.Configuration, TestContext.Current.CancellationToken);

    /// <summary>A unique key prefix, so tests sharing the server never see each other's keys.</summary>
    public static string UniquePrefix() => $"t{Guid.NewGuid():N}:";

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartNewAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
