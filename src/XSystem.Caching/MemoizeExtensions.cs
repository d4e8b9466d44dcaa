namespace XSystem.Caching;

/// <summary>
/// Wraps a function so that its results are cached in any <see cref="ICache{TKey, TValue}"/>: the Python original's
/// <c>@xwcached</c> / <c>@xw_async_cached</c> decorators. Concurrent calls with the same argument run the function
/// once (the cache's <c>GetOrAdd</c> guarantee); a call that throws caches nothing. Unlike the Python decorator, a
/// cached <see langword="null"/> result is a hit.
/// </summary>
/// <example><code>
/// Func&lt;int, BigInteger&gt; slow = Fibonacci;
/// var fast = slow.Memoize(new LruCache&lt;int, BigInteger&gt;(1_000));
/// Func&lt;string, int, Report&gt; build = BuildReport;
/// var cached = build.Memoize(new TtlCache&lt;CacheKey&lt;string, int&gt;, Report&gt;(100, TimeSpan.FromMinutes(5)));
/// </code></example>
/// <remarks>Thread safety: the returned delegates are as thread safe as the cache (every XSystem cache is).</remarks>
public static class MemoizeExtensions
{
    /// <summary>Caches the results of a one-argument function.</summary>
    /// <typeparam name="T">The argument type (the cache key).</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="function">The function to cache.</param>
    /// <param name="cache">Where results live.</param>
    /// <returns>A function that answers from the cache and calls <paramref name="function"/> on a miss.</returns>
    public static Func<T, TResult> Memoize<T, TResult>(this Func<T, TResult> function, ICache<T, TResult> cache)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(cache);
        return argument => cache.GetOrAdd(argument, function);
    }

    /// <summary>Caches the results of a two-argument function under <see cref="CacheKey{T1, T2}"/> keys.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="function">The function to cache.</param>
    /// <param name="cache">Where results live.</param>
    /// <returns>A function that answers from the cache and calls <paramref name="function"/> on a miss.</returns>
    public static Func<T1, T2, TResult> Memoize<T1, T2, TResult>(this Func<T1, T2, TResult> function, ICache<CacheKey<T1, T2>, TResult> cache)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(cache);
        return (a, b) => cache.GetOrAdd(new CacheKey<T1, T2>(a, b), static (key, f) => f(key.Item1, key.Item2), function);
    }

    /// <summary>Caches the results of a three-argument function under <see cref="CacheKey{T1, T2, T3}"/> keys.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="function">The function to cache.</param>
    /// <param name="cache">Where results live.</param>
    /// <returns>A function that answers from the cache and calls <paramref name="function"/> on a miss.</returns>
    public static Func<T1, T2, T3, TResult> Memoize<T1, T2, T3, TResult>(this Func<T1, T2, T3, TResult> function, ICache<CacheKey<T1, T2, T3>, TResult> cache)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(cache);
        return (a, b, c) => cache.GetOrAdd(new CacheKey<T1, T2, T3>(a, b, c), static (key, f) => f(key.Item1, key.Item2, key.Item3), function);
    }

    /// <summary>Caches the results of an asynchronous one-argument function; concurrent callers share one call per key.</summary>
    /// <typeparam name="T">The argument type (the cache key).</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="function">The function to cache.</param>
    /// <param name="cache">Where results live.</param>
    /// <returns>A function that answers from the cache (synchronously on a hit) and awaits <paramref name="function"/> on a miss.</returns>
    public static Func<T, CancellationToken, ValueTask<TResult>> Memoize<T, TResult>(this Func<T, CancellationToken, ValueTask<TResult>> function, ICache<T, TResult> cache)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(cache);
        return (argument, cancellationToken) => cache.GetOrAddAsync(argument, function, cancellationToken);
    }
}
