using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(XSystem.Ipc.Redis.Tests.Infrastructure.RedisQueueFixture))]

namespace XSystem.Ipc.Redis.Tests.Infrastructure;

/// <summary>One private redis-server for the whole test assembly and one shared connection; every test uses its own stream key.</summary>
public sealed class RedisQueueFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private ConnectionMultiplexer? _connection;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>A stream key no other test uses.</summary>
    public static string UniqueKey() => $"q{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartNewAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_server.Configuration);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
