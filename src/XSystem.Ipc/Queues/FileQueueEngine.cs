using Microsoft.Win32.SafeHandles;
using XSystem.IO;

namespace XSystem.Ipc;

/// <summary>
/// The byte-level file queue shared by <see cref="FileMessageQueue{T}"/> and the static inspection helpers. Every
/// operation runs under the directory's <see cref="FileLock"/> (flock), so records, the state file and segment
/// rollover/deletion are only ever changed by one holder at a time, in this process or any other.
/// </summary>
internal sealed class FileQueueEngine : IDisposable
{
    private readonly string _directory;
    private readonly string _lockPath;
    private readonly string _statePath;
    private readonly FileMessageQueueOptions _options;
    private readonly Lock _handles = new();
    private SafeFileHandle? _tail;
    private long _tailIndex = -1;
    private long _tailEnd;
    private bool _dirty;
    private long _lastSyncTicks;
    private bool _disposed;

    public FileQueueEngine(string directory, FileMessageQueueOptions options, bool create)
    {
        _directory = Path.GetFullPath(directory);
        _options = options;
        if (create)
        {
            System.IO.Directory.CreateDirectory(_directory);
        }
        else if (!System.IO.Directory.Exists(_directory))
        {
            throw new DirectoryNotFoundException($"The file queue directory '{_directory}' does not exist.");
        }

        _lockPath = Path.Combine(_directory, SegmentLog.LockFileName);
        _statePath = Path.Combine(_directory, SegmentLog.StateFileName);
        _lastSyncTicks = options.TimeProvider.GetTimestamp();
    }

    public string Directory => _directory;

    public FileLock Lock() => FileLock.Acquire(_lockPath, _options.LockTimeout);

    public ValueTask<FileLock> LockAsync(CancellationToken cancellationToken) => FileLock.AcquireAsync(_lockPath, _options.LockTimeout, cancellationToken);

    /// <summary>Appends one record. Caller holds the lock.</summary>
    public long Append(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > _options.MaxMessageSize)
        {
            throw new ArgumentException(
                $"The encoded message is {payload.Length} bytes; the queue accepts at most {_options.MaxMessageSize} (FileMessageQueueOptions.MaxMessageSize).",
                nameof(payload));
        }

        lock (_handles)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            EnsureTail(payload.Length);
            byte[] frame = SegmentLog.Frame(payload);
            long offset = _tailEnd;
            RandomAccess.Write(_tail!, frame, offset);
            _tailEnd += frame.Length;
            _dirty = true;
            SyncAfterWrite();
            return SegmentLog.MakeId(_tailIndex, offset);
        }
    }

    /// <summary>Forces appended records to disk.</summary>
    public void Flush()
    {
        lock (_handles)
        {
            if (_tail is not null && _dirty)
            {
                RandomAccess.FlushToDisk(_tail);
                _dirty = false;
                _lastSyncTicks = _options.TimeProvider.GetTimestamp();
            }
        }
    }

    /// <summary>Delivers the next message (an expired lease first, then the oldest new one). Caller holds the lock.</summary>
    public (long Id, byte[] Payload, int Deliveries)? Take()
    {
        QueueState state = LoadState();
        long now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        long leaseMs = (long)_options.LeaseTimeout.TotalMilliseconds;
        bool changed = false;

        for (int i = 0; i < state.InFlight.Count; i++)
        {
            InFlightEntry entry = state.InFlight[i];
            if (entry.DeadlineMs > now)
            {
                continue;
            }

            if (!TryReadAt(entry.Segment, entry.Offset, out byte[]? redelivered))
            {
                // The record can no longer be read (its segment was removed by hand or it went bad): forget the lease.
                state.InFlight.RemoveAt(i);
                i--;
                changed = true;
                continue;
            }

            entry.DeadlineMs = now + leaseMs;
            entry.Deliveries++;
            state.InFlight[i] = entry;
            SaveState(state);
            return (SegmentLog.MakeId(entry.Segment, entry.Offset), redelivered!, entry.Deliveries);
        }

        while (true)
        {
            string path = SegmentLog.SegmentPath(_directory, state.ReadSegment);
            RecordStatus status;
            byte[]? payload;
            long next;
            using (SafeFileHandle? handle = OpenSegment(state.ReadSegment, path))
            {
                if (handle is null)
                {
                    status = RecordStatus.End;
                    payload = null;
                    next = state.ReadOffset;
                }
                else
                {
                    long length = RandomAccess.GetLength(handle);
                    if (state.ReadOffset > length)
                    {
                        // Unsynced data vanished in a power failure while the state survived: continue from what exists.
                        state.ReadOffset = Math.Max(SegmentLog.HeaderSize, length);
                        changed = true;
                    }

                    status = SegmentLog.Read(handle, length, state.ReadOffset, out payload, out next);
                }
            }

            switch (status)
            {
                case RecordStatus.Ok:
                    state.InFlight.Add(new InFlightEntry { Segment = state.ReadSegment, Offset = state.ReadOffset, DeadlineMs = now + leaseMs, Deliveries = 1 });
                    long id = SegmentLog.MakeId(state.ReadSegment, state.ReadOffset);
                    state.ReadOffset = next;
                    state.AdvanceAck();
                    SaveState(state);
                    return (id, payload!, 1);
                case RecordStatus.Corrupt:
                    state.ReadOffset = next;
                    state.CorruptRecords++;
                    changed = true;
                    continue;
                default:
                    // End of this segment, or a torn tail: move on when a later segment exists, else nothing is waiting.
                    long readSegment = state.ReadSegment;
                    if (SegmentLog.ListSegments(_directory).Exists(s => s > readSegment))
                    {
                        state.ReadSegment = NextSegment(state.ReadSegment);
                        state.ReadOffset = SegmentLog.HeaderSize;
                        state.AdvanceAck();
                        changed = true;
                        continue;
                    }

                    if (changed)
                    {
                        state.AdvanceAck();
                        SaveState(state);
                        DeleteConsumedSegments(state);
                    }

                    return null;
            }
        }
    }

    /// <summary>Acknowledges (removes) or releases (makes due now) a delivered message. Caller holds the lock.</summary>
    public bool Settle(long id, bool ack)
    {
        (long segment, long offset) = SegmentLog.SplitId(id);
        QueueState state = LoadState();
        int index = state.IndexOf(segment, offset);
        if (index < 0)
        {
            return false;
        }

        if (ack)
        {
            state.InFlight.RemoveAt(index);
            state.AdvanceAck();
        }
        else
        {
            InFlightEntry entry = state.InFlight[index];
            entry.DeadlineMs = long.MinValue;
            state.InFlight[index] = entry;
        }

        SaveState(state);
        if (ack)
        {
            DeleteConsumedSegments(state);
        }

        return true;
    }

    /// <summary>Walks the unacknowledged records in log order without changing anything. Caller holds the lock.</summary>
    public IEnumerable<FileQueueRecord> Walk(QueueState state)
    {
        foreach (long segment in SegmentLog.ListSegments(_directory))
        {
            if (segment < state.AckSegment)
            {
                continue;
            }

            string path = SegmentLog.SegmentPath(_directory, segment);
            using SafeFileHandle? handle = OpenSegment(segment, path);
            if (handle is null)
            {
                continue;
            }

            long length = RandomAccess.GetLength(handle);
            long offset = segment == state.AckSegment ? state.AckOffset : SegmentLog.HeaderSize;
            while (true)
            {
                RecordStatus status = SegmentLog.Read(handle, length, offset, out byte[]? payload, out long next);
                if (status is RecordStatus.End or RecordStatus.Torn)
                {
                    break;
                }

                if (status == RecordStatus.Ok)
                {
                    int index = state.IndexOf(segment, offset);
                    bool delivered = segment < state.ReadSegment || (segment == state.ReadSegment && offset < state.ReadOffset);
                    if (index >= 0)
                    {
                        yield return new FileQueueRecord(SegmentLog.MakeId(segment, offset), payload, true, state.InFlight[index].Deliveries);
                    }
                    else if (!delivered)
                    {
                        yield return new FileQueueRecord(SegmentLog.MakeId(segment, offset), payload, false, 0);
                    }
                }

                offset = next;
            }
        }
    }

    /// <summary>Counts what the directory holds. Caller holds the lock.</summary>
    public FileQueueStats Stats()
    {
        QueueState state = LoadState();
        long pending = 0;
        foreach (FileQueueRecord record in Walk(state))
        {
            _ = record;
            pending++;
        }

        List<long> segments = SegmentLog.ListSegments(_directory);
        long bytes = 0;
        foreach (long segment in segments)
        {
            var info = new FileInfo(SegmentLog.SegmentPath(_directory, segment));
            if (info.Exists)
            {
                bytes += info.Length;
            }
        }

        return new FileQueueStats(pending, state.InFlight.Count, segments.Count, bytes, state.CorruptRecords);
    }

    public QueueState LoadState()
    {
        byte[]? data = null;
        try
        {
            data = File.ReadAllBytes(_statePath);
        }
        catch (FileNotFoundException)
        {
        }

        if (data is null)
        {
            List<long> segments = SegmentLog.ListSegments(_directory);
            return QueueState.Initial(segments.Count > 0 ? segments[0] : 0);
        }

        return QueueState.Parse(data, _statePath);
    }

    public void Dispose()
    {
        lock (_handles)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_tail is not null)
            {
                if (_dirty && _options.SyncMode != FileQueueSyncMode.Never)
                {
                    RandomAccess.FlushToDisk(_tail);
                }

                _tail.Dispose();
                _tail = null;
            }
        }
    }

    private void SaveState(QueueState state) =>
        AtomicFile.WriteAllBytes(_statePath, state.ToBytes(), _options.SyncMode == FileQueueSyncMode.EveryWrite ? AtomicWriteOptions.Default : NotDurable);

    private static readonly AtomicWriteOptions NotDurable = new() { Durable = false };

    private long NextSegment(long current)
    {
        foreach (long segment in SegmentLog.ListSegments(_directory))
        {
            if (segment > current)
            {
                return segment;
            }
        }

        return current + 1;
    }

    private void DeleteConsumedSegments(QueueState state)
    {
        foreach (long segment in SegmentLog.ListSegments(_directory))
        {
            if (segment >= state.AckSegment)
            {
                break;
            }

            File.Delete(SegmentLog.SegmentPath(_directory, segment));
        }
    }

    private bool TryReadAt(long segment, long offset, out byte[]? payload)
    {
        payload = null;
        string path = SegmentLog.SegmentPath(_directory, segment);
        using SafeFileHandle? handle = OpenSegment(segment, path);
        return handle is not null && SegmentLog.Read(handle, RandomAccess.GetLength(handle), offset, out payload, out _) == RecordStatus.Ok;
    }

    private static SafeFileHandle? OpenSegment(long index, string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        try
        {
            SegmentLog.CheckHeader(handle, path, index);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private void EnsureTail(int payloadLength)
    {
        // Our tail is still the tail unless another producer rolled over (the next segment exists) or consumers
        // deleted it (which needs a later segment too, so the next one exists or ours is gone).
        bool stale = _tail is null
            || File.Exists(SegmentLog.SegmentPath(_directory, _tailIndex + 1))
            || !File.Exists(SegmentLog.SegmentPath(_directory, _tailIndex));
        if (stale)
        {
            List<long> segments = SegmentLog.ListSegments(_directory);
            long last = segments.Count > 0 ? segments[^1] : -1;
            _tail?.Dispose();
            _tail = null;
            if (last < 0)
            {
                QueueState state = LoadState();
                CreateSegment(Math.Max(0, state.ReadSegment));
            }
            else
            {
                OpenTail(last);
            }
        }

        long length = RandomAccess.GetLength(_tail!);
        if (length != _tailEnd)
        {
            // Others appended since our last write, or this is a fresh open: validate the new part and cut a torn tail.
            long offset = Math.Min(_tailEnd, length);
            while (true)
            {
                RecordStatus status = SegmentLog.Read(_tail!, length, offset, out _, out long next);
                if (status is RecordStatus.Ok or RecordStatus.Corrupt)
                {
                    offset = next;
                    continue;
                }

                if (status == RecordStatus.Torn)
                {
                    RandomAccess.SetLength(_tail!, offset);
                }

                break;
            }

            _tailEnd = offset;
        }

        if (_tailEnd > SegmentLog.HeaderSize && _tailEnd + SegmentLog.FrameHeaderSize + payloadLength > _options.SegmentSize)
        {
            if (_dirty && _options.SyncMode != FileQueueSyncMode.Never)
            {
                RandomAccess.FlushToDisk(_tail!);
                _dirty = false;
            }

            _tail!.Dispose();
            _tail = null;
            CreateSegment(_tailIndex + 1);
        }
    }

    private void CreateSegment(long index)
    {
        string path = SegmentLog.SegmentPath(_directory, index);
        AtomicFile.WriteAllBytes(path, SegmentLog.BuildHeader(index), _options.SyncMode == FileQueueSyncMode.Never ? NotDurable : AtomicWriteOptions.Default);
        OpenTail(index);
    }

    private void OpenTail(long index)
    {
        string path = SegmentLog.SegmentPath(_directory, index);
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            SegmentLog.CheckHeader(handle, path, index);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        _tail = handle;
        _tailIndex = index;
        _tailEnd = SegmentLog.HeaderSize;
    }

    private void SyncAfterWrite()
    {
        switch (_options.SyncMode)
        {
            case FileQueueSyncMode.EveryWrite:
                RandomAccess.FlushToDisk(_tail!);
                _dirty = false;
                break;
            case FileQueueSyncMode.Batched:
                if (_options.TimeProvider.GetElapsedTime(_lastSyncTicks) >= _options.SyncInterval)
                {
                    RandomAccess.FlushToDisk(_tail!);
                    _dirty = false;
                    _lastSyncTicks = _options.TimeProvider.GetTimestamp();
                }

                break;
            default:
                break;
        }
    }
}
