using System.Diagnostics;
using StackExchange.Redis;
using XSystem.Caching.Redis;

namespace XSystem.Cli.Doctor;

/// <summary>
/// When <c>XSYSTEM_REDIS</c> holds a StackExchange.Redis configuration string (for example <c>localhost:6379</c>),
/// connects with a short timeout and times one PING; otherwise reports that it skipped. Passwords in the string are
/// never printed.
/// </summary>
internal sealed class RedisCheck(Func<string, string?>? environment = null) : IDoctorCheck
{
    /// <summary>The environment variable that names the Redis server to check.</summary>
    public const string Variable = "XSYSTEM_REDIS";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public string Module => "XSystem.Caching";

    public string Description => $"Redis reachability ({Variable})";

    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        string? configuration = _environment(Variable);
        if (string.IsNullOrWhiteSpace(configuration))
        {
            return CheckResult.Pass($"skipped: {Variable} is not set (set it to host:port to check a Redis server)");
        }

        ConfigurationOptions options;
        try
        {
            options = RedisConnection.CreateConfiguration(configuration);
        }
        catch (ArgumentException ex)
        {
            return CheckResult.Fail($"{Variable} is not a valid Redis configuration: {ex.Message}");
        }

        options.ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds;
        options.ConnectRetry = 1;
        string endpoints = options.EndPoints.Count == 0 ? "(no endpoint)" : string.Join(", ", options.EndPoints.Select(e => e.ToString()));
        long start = Stopwatch.GetTimestamp();
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!connection.IsConnected)
            {
                return CheckResult.Fail($"could not connect to {endpoints} within {ConnectTimeout.TotalSeconds:0} s; is redis-server running there, and does {Variable} name it?");
            }

            TimeSpan connectTime = Stopwatch.GetElapsedTime(start);
            try
            {
                TimeSpan ping = await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                return CheckResult.Pass($"PING {endpoints}: {ping.TotalMilliseconds:0.0} ms (connected in {connectTime.TotalMilliseconds:0} ms)");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return CheckResult.Fail($"connected to {endpoints} but PING failed: {ex.Message}");
            }
        }
    }
}
