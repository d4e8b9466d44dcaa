namespace XSystem.Caching;

/// <summary>Describes an entry that left a cache.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <param name="key">The key.</param>
/// <param name="value">The value that left.</param>
/// <param name="reason">Why it left.</param>
/// <remarks>Thread safety: immutable.</remarks>
public sealed class CacheEvictedEventArgs<TKey, TValue>(TKey key, TValue value, EvictionReason reason) : EventArgs
{
    /// <summary>The key.</summary>
    public TKey Key { get; } = key;

    /// <summary>The value that left.</summary>
    public TValue Value { get; } = value;

    /// <summary>Why it left.</summary>
    public EvictionReason Reason { get; } = reason;
}
