using System.Runtime.CompilerServices;

namespace XSystem.Caching.Internal;

/// <summary>A cache with entries that can expire.</summary>
internal interface IExpiringCache
{
    /// <summary>Drops every entry that has expired.</summary>
    void Sweep();
}

/// <summary>
/// One sweep timer per <see cref="TimeProvider"/> for every expiring cache in the process (not a thread per cache).
/// Caches are held through weak references, so an abandoned cache is collected; the timer stops when none is left.
/// </summary>
internal static class ExpiryScheduler
{
    /// <summary>How often the shared timer sweeps.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<TimeProvider, Sweeper> Sweepers = [];

    public static void Register(TimeProvider timeProvider, IExpiringCache cache) =>
        Sweepers.GetValue(timeProvider, static provider => new Sweeper(provider)).Add(cache);

    /// <summary>The number of caches registered for a provider (tests).</summary>
    internal static int RegisteredCount(TimeProvider timeProvider) =>
        Sweepers.TryGetValue(timeProvider, out var sweeper) ? sweeper.Count : 0;

    private sealed class Sweeper(TimeProvider timeProvider)
    {
        private readonly Lock _lock = new();
        private readonly List<WeakReference<IExpiringCache>> _caches = [];
        private ITimer? _timer;

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _caches.Count;
                }
            }
        }

        public void Add(IExpiringCache cache)
        {
            lock (_lock)
            {
                _caches.Add(new WeakReference<IExpiringCache>(cache));
                _timer ??= timeProvider.CreateTimer(static state => ((Sweeper)state!).Tick(), this, Period, Period);
            }
        }

        private void Tick()
        {
            List<IExpiringCache> live;
            lock (_lock)
            {
                live = new List<IExpiringCache>(_caches.Count);
                _caches.RemoveAll(reference =>
                {
                    if (reference.TryGetTarget(out var cache))
                    {
                        live.Add(cache);
                        return false;
                    }

                    return true;
                });
                if (_caches.Count == 0)
                {
                    _timer?.Dispose();
                    _timer = null;
                }
            }

            foreach (var cache in live)
            {
                try
                {
                    cache.Sweep();
                }
#pragma warning disable CA1031 // A throwing Evicted handler on the timer thread must not stop the sweep for other caches or crash the process.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }
}
