using StackExchange.Redis;

namespace XSystem.Caching.Redis;

/// <summary>
/// Builds StackExchange.Redis connections with settings suited to a cache that must keep working when Redis does not:
/// never abort on a failed first connect, short timeouts, fail fast instead of queueing while disconnected, and quick
/// reconnection.
/// </summary>
/// <remarks>Thread safety: stateless; every member is safe to call from any thread.</remarks>
public static class RedisConnection
{
    /// <summary>
    /// Parses a StackExchange.Redis configuration string (for example <c>localhost:6379</c> or
    /// <c>redis1:6379,password=...</c>) and applies the cache defaults: <c>AbortOnConnectFail=false</c>,
    /// <c>ConnectTimeout=2000</c> ms, <c>SyncTimeout=1000</c> ms, <c>AsyncTimeout=1000</c> ms,
    /// <c>BacklogPolicy=FailFast</c> and a reconnect policy that retries every 250 ms to 2 s. Settings written in the
    /// string itself win over these defaults except <c>AbortOnConnectFail</c> and the backlog policy.
    /// </summary>
    /// <param name="configuration">The configuration string.</param>
    /// <returns>The options, ready for <see cref="ConnectionMultiplexer.Connect(ConfigurationOptions, TextWriter?)"/>.</returns>
    /// <exception cref="ArgumentException">The string is empty or not a valid configuration.</exception>
    public static ConfigurationOptions CreateConfiguration(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        // Explicit settings in the string win; the cache defaults fill in the rest.
        ConfigurationOptions options = ConfigurationOptions.Parse(configuration);
        if (!Mentions(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = 2000;
        }

        if (!Mentions(configuration, "syncTimeout"))
        {
            options.SyncTimeout = 1000;
        }

        if (!Mentions(configuration, "asyncTimeout"))
        {
            options.AsyncTimeout = 1000;
        }

        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
        return options;
    }

    private static bool Mentions(string configuration, string setting) =>
        configuration.Contains(setting + "=", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Connects with <see cref="CreateConfiguration(string)"/>. The task completes even when Redis is unreachable: the
    /// multiplexer then keeps retrying in the background and <see cref="IConnectionMultiplexer.IsConnected"/> is false.
    /// </summary>
    /// <param name="configuration">The configuration string.</param>
    /// <param name="cancellationToken">Cancels the wait (the connection attempt itself runs to its timeout).</param>
    /// <returns>The multiplexer; the caller owns and disposes it.</returns>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration, CancellationToken cancellationToken = default)
    {
        ConfigurationOptions options = CreateConfiguration(configuration);
        return await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
