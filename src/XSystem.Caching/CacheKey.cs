namespace XSystem.Caching;

/// <summary>
/// Builds value-type keys for functions of several arguments, with per-component equality and a combined hash
/// (no allocation, no string formatting). Replaces the Python original's string key builder.
/// </summary>
/// <example><code>
/// var cache = new LruCache&lt;CacheKey&lt;string, int&gt;, Order[]&gt;(1_000);
/// var orders = cache.GetOrAdd(CacheKey.Create(customer, year), k =&gt; LoadOrders(k.Item1, k.Item2));
/// </code></example>
/// <remarks>Thread safety: stateless; safe from any thread.</remarks>
public static class CacheKey
{
    /// <summary>A key of two components.</summary>
    /// <typeparam name="T1">The first component type.</typeparam>
    /// <typeparam name="T2">The second component type.</typeparam>
    /// <param name="item1">The first component.</param>
    /// <param name="item2">The second component.</param>
    /// <returns>The key.</returns>
    public static CacheKey<T1, T2> Create<T1, T2>(T1 item1, T2 item2) => new(item1, item2);

    /// <summary>A key of three components.</summary>
    /// <typeparam name="T1">The first component type.</typeparam>
    /// <typeparam name="T2">The second component type.</typeparam>
    /// <typeparam name="T3">The third component type.</typeparam>
    /// <param name="item1">The first component.</param>
    /// <param name="item2">The second component.</param>
    /// <param name="item3">The third component.</param>
    /// <returns>The key.</returns>
    public static CacheKey<T1, T2, T3> Create<T1, T2, T3>(T1 item1, T2 item2, T3 item3) => new(item1, item2, item3);

    /// <summary>A key of four components.</summary>
    /// <typeparam name="T1">The first component type.</typeparam>
    /// <typeparam name="T2">The second component type.</typeparam>
    /// <typeparam name="T3">The third component type.</typeparam>
    /// <typeparam name="T4">The fourth component type.</typeparam>
    /// <param name="item1">The first component.</param>
    /// <param name="item2">The second component.</param>
    /// <param name="item3">The third component.</param>
    /// <param name="item4">The fourth component.</param>
    /// <returns>The key.</returns>
    public static CacheKey<T1, T2, T3, T4> Create<T1, T2, T3, T4>(T1 item1, T2 item2, T3 item3, T4 item4) => new(item1, item2, item3, item4);
}

/// <summary>A cache key of two components with value equality.</summary>
/// <typeparam name="T1">The first component type.</typeparam>
/// <typeparam name="T2">The second component type.</typeparam>
/// <param name="Item1">The first component.</param>
/// <param name="Item2">The second component.</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public readonly record struct CacheKey<T1, T2>(T1 Item1, T2 Item2);

/// <summary>A cache key of three components with value equality.</summary>
/// <typeparam name="T1">The first component type.</typeparam>
/// <typeparam name="T2">The second component type.</typeparam>
/// <typeparam name="T3">The third component type.</typeparam>
/// <param name="Item1">The first component.</param>
/// <param name="Item2">The second component.</param>
/// <param name="Item3">The third component.</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public readonly record struct CacheKey<T1, T2, T3>(T1 Item1, T2 Item2, T3 Item3);

/// <summary>A cache key of four components with value equality.</summary>
/// <typeparam name="T1">The first component type.</typeparam>
/// <typeparam name="T2">The second component type.</typeparam>
/// <typeparam name="T3">The third component type.</typeparam>
/// <typeparam name="T4">The fourth component type.</typeparam>
/// <param name="Item1">The first component.</param>
/// <param name="Item2">The second component.</param>
/// <param name="Item3">The third component.</param>
/// <param name="Item4">The fourth component.</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public readonly record struct CacheKey<T1, T2, T3, T4>(T1 Item1, T2 Item2, T3 Item3, T4 Item4);
