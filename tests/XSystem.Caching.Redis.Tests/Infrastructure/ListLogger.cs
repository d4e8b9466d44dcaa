using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace XSystem.Caching.Redis.Tests.Infrastructure;

/// <summary>Collects log entries so tests can count them.</summary>
public sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public int Count(LogLevel atLeast) => Entries.Count(e => e.Level >= atLeast);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}
