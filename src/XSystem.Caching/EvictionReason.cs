namespace XSystem.Caching;

/// <summary>Why an entry left a cache.</summary>
public enum EvictionReason
{
    /// <summary>The cache was full and the policy chose this entry to make room.</summary>
    Capacity,

    /// <summary>The entry's time to live ran out.</summary>
    Expired,

    /// <summary>The entry was removed by <c>TryRemove</c>.</summary>
    Removed,

    /// <summary>The cache was cleared.</summary>
    Cleared,

    /// <summary>The value was replaced by <c>Set</c> with a new value for the same key.</summary>
    Replaced,
}
