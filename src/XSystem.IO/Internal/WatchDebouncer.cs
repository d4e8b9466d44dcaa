using System.Threading.Channels;

namespace XSystem.IO.Internal;

/// <summary>
/// Merges raw file system events per path until the path has been quiet for the debounce window, then writes the
/// net change to a channel. Net change per path: existed before the window and exists after -> Modified; existed and
/// gone -> Deleted (or part of a Renamed); born in the window and gone -> nothing (a temporary file); born and
/// present -> Created, Renamed (moved from a path that existed) or Modified (moved from a temporary file: an
/// editor's or AtomicFile's save-by-rename).
/// </summary>
internal sealed class WatchDebouncer : IDisposable
{
    private const int MaxDelayFactor = 10;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _pending;
    private readonly ChannelWriter<FileChange> _writer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _maxDelay;
    private readonly int _capacity;
    private readonly string _overflowPath;
    private readonly ITimer _timer;
    private bool _armed;
    private bool _overflow;
    private bool _disposed;
    private long _order;

    public WatchDebouncer(ChannelWriter<FileChange> writer, TimeProvider time, TimeSpan debounce, int capacity, string overflowPath, StringComparer comparer)
    {
        _writer = writer;
        _time = time;
        _debounce = debounce;
        _maxDelay = debounce * MaxDelayFactor;
        _capacity = capacity;
        _overflowPath = overflowPath;
        _pending = new Dictionary<string, Entry>(comparer);
        _timer = time.CreateTimer(static s => ((WatchDebouncer)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The number of paths with changes not yet reported (for tests).</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public void Created(string path)
    {
        lock (_gate)
        {
            if (Get(path, existedBefore: false) is { } e)
            {
                e.ExistsNow = true;
            }
        }
    }

    public void Modified(string path)
    {
        lock (_gate)
        {
            if (Get(path, existedBefore: true) is { } e)
            {
                e.ExistsNow = true;
            }
        }
    }

    public void Deleted(string path)
    {
        lock (_gate)
        {
            if (Get(path, existedBefore: true) is { } e)
            {
                e.ExistsNow = false;
            }
        }
    }

    /// <summary>A rename; either side may lie outside the watched scope (filter or directory).</summary>
    public void Renamed(string oldPath, bool oldInScope, string newPath, bool newInScope)
    {
        lock (_gate)
        {
            Entry? source = null;
            if (oldInScope && Get(oldPath, existedBefore: true) is { } o)
            {
                o.ExistsNow = false;
                source = o;
            }

            if (!newInScope)
            {
                return;
            }

            Entry? target = Get(newPath, existedBefore: false);
            if (target is null)
            {
                return;
            }

            target.ExistsNow = true;
            if (!target.ExistedBefore)
            {
                // Follow a chain a -> b -> c back to the path that existed before the window.
                if (source is not null && !source.ExistedBefore && source.RenamedFrom is not null && source.SourceExistedBefore)
                {
                    target.RenamedFrom = source.RenamedFrom;
                    target.SourceExistedBefore = true;
                    if (_pending.TryGetValue(source.RenamedFrom, out Entry? origin))
                    {
                        origin.MovedTo = newPath;
                        origin.LastEvent = target.LastEvent;
                    }
                }
                else
                {
                    target.RenamedFrom = oldPath;
                    target.SourceExistedBefore = source?.ExistedBefore ?? false;
                }
            }

            if (source is not null)
            {
                source.MovedTo = newPath;
                source.LastEvent = target.LastEvent;
            }
        }
    }

    /// <summary>Events were lost (the OS buffer overflowed): report an Overflow at the next flush.</summary>
    public void Overflow()
    {
        lock (_gate)
        {
            _overflow = true;
            Arm(TimeSpan.Zero);
        }
    }

    /// <summary>Reports every pending change now, ignoring the debounce window.</summary>
    public void FlushAll() => Flush(all: true);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }

    private Entry? Get(string path, bool existedBefore)
    {
        if (_disposed)
        {
            return null;
        }

        long now = _time.GetTimestamp();
        if (!_pending.TryGetValue(path, out Entry? e))
        {
            if (_pending.Count >= _capacity)
            {
                // Too many distinct paths at once: give up tracking them and tell the reader to rescan.
                _pending.Clear();
                _overflow = true;
                Arm(TimeSpan.Zero);
                return null;
            }

            e = new Entry(path, existedBefore, now, _order++);
            _pending.Add(path, e);
        }

        e.LastEvent = now;
        Arm(_debounce);
        return e;
    }

    private void Arm(TimeSpan due)
    {
        if (!_armed && !_disposed)
        {
            _armed = true;
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer() => Flush(all: false);

    private void Flush(bool all)
    {
        lock (_gate)
        {
            _armed = false;
            if (_overflow && _writer.TryWrite(new FileChange(_overflowPath, FileChangeKind.Overflow)))
            {
                _overflow = false;
            }

            long now = _time.GetTimestamp();
            List<Entry>? due = null;
            TimeSpan next = TimeSpan.MaxValue;
            foreach (Entry e in _pending.Values)
            {
                TimeSpan wait = all ? TimeSpan.Zero : Remaining(e, now);
                if (wait <= TimeSpan.Zero && (all || PartnerDue(e, now)))
                {
                    (due ??= []).Add(e);
                }
                else if (wait > TimeSpan.Zero && wait < next)
                {
                    next = wait;
                }
            }

            if (due is not null)
            {
                due.Sort(static (a, b) => a.Order.CompareTo(b.Order));
                foreach (Entry e in due)
                {
                    _ = _pending.Remove(e.Path);
                }

                foreach (Entry e in due)
                {
                    if (Net(e, due) is { } change && !_writer.TryWrite(change))
                    {
                        _overflow = true;
                    }
                }
            }

            if (_overflow)
            {
                next = next < _debounce ? next : _debounce;
                next = next > TimeSpan.Zero ? next : TimeSpan.FromMilliseconds(1);
            }

            if (_pending.Count > 0 || _overflow)
            {
                Arm(next == TimeSpan.MaxValue ? (_debounce > TimeSpan.Zero ? _debounce : TimeSpan.FromMilliseconds(1)) : next);
            }
        }
    }

    private TimeSpan Remaining(Entry e, long now)
    {
        TimeSpan quiet = _debounce - _time.GetElapsedTime(e.LastEvent, now);
        TimeSpan age = _maxDelay - _time.GetElapsedTime(e.FirstEvent, now);
        return quiet < age ? quiet : age;
    }

    /// <summary>Rename pairs are reported together, so the source can be folded into the target's Renamed.</summary>
    private bool PartnerDue(Entry e, long now)
    {
        string? partner = e.MovedTo ?? e.RenamedFrom;
        return partner is null || !_pending.TryGetValue(partner, out Entry? p) || Remaining(p, now) <= TimeSpan.Zero;
    }

    private static FileChange? Net(Entry e, List<Entry> batch)
    {
        if (e.ExistedBefore)
        {
            if (e.ExistsNow)
            {
                return new FileChange(e.Path, FileChangeKind.Modified);
            }

            // Moved away: the target reports Renamed if it is still there and was born by this rename.
            if (e.MovedTo is { } to && batch.Find(t => t.Path == to) is { } target && IsRenameOf(target, e.Path))
            {
                return null;
            }

            return new FileChange(e.Path, FileChangeKind.Deleted);
        }

        if (!e.ExistsNow)
        {
            return null;
        }

        if (e.RenamedFrom is { } from)
        {
            return e.SourceExistedBefore
                ? new FileChange(e.Path, FileChangeKind.Renamed, from)
                : new FileChange(e.Path, FileChangeKind.Modified);
        }

        return new FileChange(e.Path, FileChangeKind.Created);
    }

    private static bool IsRenameOf(Entry target, string source) =>
        !target.ExistedBefore && target.ExistsNow && target.SourceExistedBefore && target.RenamedFrom == source;

    private sealed class Entry(string path, bool existedBefore, long now, long order)
    {
        public string Path { get; } = path;

        public bool ExistedBefore { get; } = existedBefore;

        public long FirstEvent { get; } = now;

        public long Order { get; } = order;

        public long LastEvent { get; set; } = now;

        public bool ExistsNow { get; set; } = existedBefore;

        public string? RenamedFrom { get; set; }

        public bool SourceExistedBefore { get; set; }

        public string? MovedTo { get; set; }
    }
}
