namespace XSystem.Caching.Tests;

public enum ModelPolicy
{
    Lru,
    Lfu,
}

/// <summary>
/// An obviously correct cache built from a plain list: every decision is a linear scan. The caches under test must
/// agree with it on every hit, every victim and every ordering.
/// </summary>
internal sealed class ReferenceModel(ModelPolicy policy, int capacity, long agingInterval = 0, bool sliding = false)
{
    private readonly List<Entry> _entries = [];
    private long _clock;
    private long _uses;

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public long Evictions { get; private set; }

    public long Expirations { get; private set; }

    public long Now { get; set; }

    /// <summary>Events the model expects, in order. A capacity eviction among several expired entries lists candidates.</summary>
    public List<(HashSet<int> Candidates, EvictionReason Reason)> Expected { get; } = [];

    public bool TryGet(int key, out int value)
    {
        var entry = Find(key);
        if (entry is not null && Now >= entry.ExpiresAt)
        {
            Drop(entry, EvictionReason.Expired);
            entry = null;
        }

        if (entry is null)
        {
            Misses++;
            value = 0;
            return false;
        }

        Hits++;
        Use(entry);
        if (sliding)
        {
            entry.ExpiresAt = Now + entry.Ttl;
        }

        value = entry.Value;
        return true;
    }

    /// <summary>Sets a key; <paramref name="chooseExpired"/> picks among equally good expired victims (what the cache did).</summary>
    public void Set(int key, int value, long ttl, Func<HashSet<int>, int> chooseExpired)
    {
        var entry = Find(key);
        if (entry is not null && Now < entry.ExpiresAt)
        {
            Expected.Add(([key], EvictionReason.Replaced));
            entry.Value = value;
            entry.Ttl = ttl;
            entry.ExpiresAt = Now + ttl;
            Use(entry);
            return;
        }

        if (entry is not null)
        {
            Drop(entry, EvictionReason.Expired);
        }

        if (_entries.Count >= capacity)
        {
            var expired = _entries.Where(e => Now >= e.ExpiresAt).ToList();
            if (expired.Count > 0)
            {
                long first = expired.Min(e => e.ExpiresAt);
                var candidates = expired.Where(e => e.ExpiresAt == first).Select(e => e.Key).ToHashSet();
                int chosen = chooseExpired(candidates);
                candidates.ShouldContain(chosen);
                Drop(Find(chosen)!, EvictionReason.Expired);
            }
            else
            {
                var victim = policy == ModelPolicy.Lru
                    ? _entries.MinBy(e => e.Stamp)!
                    : _entries.OrderBy(e => e.Frequency).ThenBy(e => e.Stamp).First();
                Drop(victim, EvictionReason.Capacity);
            }
        }

        var added = new Entry { Key = key, Value = value, Ttl = ttl, ExpiresAt = ttl == long.MaxValue ? long.MaxValue : Now + ttl, Frequency = 0 };
        _entries.Add(added);
        Use(added);
    }

    public bool TryRemove(int key, out int value)
    {
        value = 0;
        var entry = Find(key);
        if (entry is null)
        {
            return false;
        }

        if (Now >= entry.ExpiresAt)
        {
            Drop(entry, EvictionReason.Expired);
            return false;
        }

        Drop(entry, EvictionReason.Removed);
        value = entry.Value;
        return true;
    }

    public void Clear()
    {
        foreach (var entry in Keys(includeExpired: true))
        {
            Expected.Add(([entry], EvictionReason.Cleared));
        }

        _entries.Clear();
    }

    /// <summary>Drops every expired entry; returns their keys (the cache's order among them is free).</summary>
    public HashSet<int> RemoveExpired()
    {
        var expired = _entries.Where(e => Now >= e.ExpiresAt).ToList();
        foreach (var entry in expired)
        {
            _entries.Remove(entry);
            Expirations++;
        }

        return expired.Select(e => e.Key).ToHashSet();
    }

    public int Count => _entries.Count;

    public List<int> Keys(bool includeExpired = false)
    {
        var live = _entries.Where(e => includeExpired || Now < e.ExpiresAt);
        var ordered = policy == ModelPolicy.Lru
            ? live.OrderByDescending(e => e.Stamp)
            : live.OrderByDescending(e => e.Frequency).ThenByDescending(e => e.Stamp);
        return ordered.Select(e => e.Key).ToList();
    }

    private Entry? Find(int key) => _entries.Find(e => e.Key == key);

    private void Drop(Entry entry, EvictionReason reason)
    {
        _entries.Remove(entry);
        Expected.Add(([entry.Key], reason));
        if (reason == EvictionReason.Capacity)
        {
            Evictions++;
        }
        else if (reason == EvictionReason.Expired)
        {
            Expirations++;
        }
    }

    private void Use(Entry entry)
    {
        entry.Stamp = ++_clock;
        entry.Frequency = entry.Frequency == int.MaxValue ? int.MaxValue : entry.Frequency + 1;
        if (policy == ModelPolicy.Lfu && agingInterval > 0 && ++_uses >= agingInterval)
        {
            _uses = 0;
            foreach (var e in _entries)
            {
                e.Frequency = Math.Max(1, e.Frequency >> 1);
            }
        }
    }

    private sealed class Entry
    {
        public int Key;
        public int Value;
        public long Ttl;
        public long ExpiresAt;
        public int Frequency;
        public long Stamp;
    }
}
