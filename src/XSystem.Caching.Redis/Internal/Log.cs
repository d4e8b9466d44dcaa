using Microsoft.Extensions.Logging;

namespace XSystem.Caching.Redis.Internal;

/// <summary>The module's log messages, in one place.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The cached value for key '{Key}' could not be decoded as {Type} with the {Format} format ({Problem}); treated as a miss.")]
    public static partial void DecodeFailed(ILogger logger, string key, string type, string format, string problem);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Gave up waiting {WaitMs} ms for the lock on key '{Key}' held by another node; running the factory here as well.")]
    public static partial void LockWaitGivenUp(ILogger logger, string key, long waitMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The lock on key '{Key}' was lost while its factory ran (it expired and may be held by another node now).")]
    public static partial void LockLost(ILogger logger, string key);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Renewing or releasing the lock on key '{Key}' failed; it expires by itself.")]
    public static partial void LockReleaseFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Redis failed during {Operation} for key '{Key}'; skipping Redis for {PauseMs} ms and serving from the local cache and factories.")]
    public static partial void RedisCircuitOpened(ILogger logger, Exception exception, string operation, string key, long pauseMs);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Redis failed during {Operation} for key '{Key}' (circuit already open).")]
    public static partial void RedisFailed(ILogger logger, Exception exception, string operation, string key);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Redis connection restored ({ConnectionType}); local cache cleared because invalidations may have been missed.")]
    public static partial void RedisRestored(ILogger logger, StackExchange.Redis.ConnectionType connectionType);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Redis connection failed ({ConnectionType}, {FailureType}).")]
    public static partial void RedisConnectionFailed(ILogger logger, Exception? exception, StackExchange.Redis.ConnectionType connectionType, StackExchange.Redis.ConnectionFailureType failureType);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Resubscribing to the invalidation channel '{Channel}' failed; it is retried on the next reconnect.")]
    public static partial void ResubscribeFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 15, Level = LogLevel.Debug, Message = "Ignored a malformed invalidation message on '{Channel}'.")]
    public static partial void MalformedInvalidation(ILogger logger, string channel);
}
