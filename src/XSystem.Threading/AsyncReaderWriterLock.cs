using System.Diagnostics.CodeAnalysis;
using XSystem.Threading.Internal;

namespace XSystem.Threading;

/// <summary>
/// A reader/writer lock for async code: many readers or one writer. Writer-preferring: once a writer queues, new
/// readers wait behind it, so a stream of readers cannot starve writers. An optional upgradeable read lets one reader
/// at a time become the writer without releasing.
/// </summary>
/// <remarks>
/// <para>Writers are served first-in, first-out; when no writer waits, every queued reader enters together. A cancelled
/// or timed-out waiter is removed and never becomes a holder. The lock is not re-entrant: a plain reader that asks for
/// the write lock deadlocks (use <see cref="UpgradeableReadLockAsync(CancellationToken)"/> instead).</para>
/// <para>Thread safety: every member is safe to call from any thread concurrently.</para>
/// </remarks>
public sealed class AsyncReaderWriterLock : IWaiterOwner<int>
{
    private const int KindRead = 0;
    private const int KindWrite = 1;
    private const int KindUpgradeable = 2;
    private const int KindUpgrade = 3;

    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private WaiterQueue<int> _readers;
    private WaiterQueue<int> _writers;
    private WaiterQueue<int> _upgradeables;
    private WaiterQueue<int> _upgrade;
    private int _readerCount;
    private bool _writerHeld;
    private bool _upgradeableHeld;
    private long _writerToken;

    /// <summary>Creates an unlocked reader/writer lock.</summary>
    public AsyncReaderWriterLock()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates an unlocked reader/writer lock whose timeouts are measured by <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock for timeouts.</param>
    public AsyncReaderWriterLock(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>Readers holding the lock now, the upgradeable reader included (a snapshot).</summary>
    public int CurrentReaderCount
    {
        get
        {
            lock (_gate)
            {
                return _readerCount;
            }
        }
    }

    /// <summary>True while a writer holds the lock.</summary>
    public bool IsWriteLockHeld
    {
        get
        {
            lock (_gate)
            {
                return _writerHeld;
            }
        }
    }

    /// <summary>Writers queued (a snapshot).</summary>
    public int WaitingWriterCount
    {
        get
        {
            lock (_gate)
            {
                return _writers.Count + _upgrade.Count;
            }
        }
    }

    /// <summary>Takes a read lock.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A releaser to dispose once.</returns>
    public ValueTask<ReadReleaser> ReadLockAsync(CancellationToken cancellationToken = default) => ReadLockAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Takes a read lock, failing with <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A releaser to dispose once.</returns>
    public async ValueTask<ReadReleaser> ReadLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await AcquireAsync(KindRead, timeout, cancellationToken).ConfigureAwait(false);
        return new ReadReleaser(this);
    }

    /// <summary>Takes the write lock.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A releaser to dispose once.</returns>
    public ValueTask<WriteReleaser> WriteLockAsync(CancellationToken cancellationToken = default) => WriteLockAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Takes the write lock, failing with <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A releaser to dispose once.</returns>
    public async ValueTask<WriteReleaser> WriteLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await AcquireAsync(KindWrite, timeout, cancellationToken).ConfigureAwait(false);
        return new WriteReleaser(this, NewWriterToken(), upgraded: false);
    }

    /// <summary>
    /// Takes an upgradeable read lock: it shares the lock with plain readers, excludes writers and other upgradeable
    /// readers, and can be upgraded to the write lock with <see cref="UpgradeableReadReleaser.UpgradeAsync(CancellationToken)"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A releaser to dispose once.</returns>
    public ValueTask<UpgradeableReadReleaser> UpgradeableReadLockAsync(CancellationToken cancellationToken = default) =>
        UpgradeableReadLockAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Takes an upgradeable read lock, failing with <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A releaser to dispose once.</returns>
    public async ValueTask<UpgradeableReadReleaser> UpgradeableReadLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await AcquireAsync(KindUpgradeable, timeout, cancellationToken).ConfigureAwait(false);
        return new UpgradeableReadReleaser(this);
    }

    private long NewWriterToken()
    {
        lock (_gate)
        {
            return ++_writerToken;
        }
    }

    private ValueTask<int> AcquireAsync(int kind, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Guard.NonNegativeTimeout(timeout);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        Waiter<int> node;
        lock (_gate)
        {
            if (TryEnter(kind))
            {
                return new ValueTask<int>(kind);
            }

            if (timeout == TimeSpan.Zero)
            {
                return ValueTask.FromException<int>(new TimeoutException("The reader/writer lock was not available and the timeout is zero."));
            }

            node = new Waiter<int>();
            node.InitializeAsync(this, pool: null, kind);
            QueueFor(kind).Enqueue(node);
        }

        node.Arm(timeout, _timeProvider, cancellationToken);
        return node.Task;
    }

    private ref WaiterQueue<int> QueueFor(int kind)
    {
        switch (kind)
        {
            case KindRead:
                return ref _readers;
            case KindWrite:
                return ref _writers;
            case KindUpgradeable:
                return ref _upgradeables;
            default:
                return ref _upgrade;
        }
    }

    /// <summary>Under the gate: enters immediately if the rules allow it and nobody with priority is queued.</summary>
    private bool TryEnter(int kind)
    {
        switch (kind)
        {
            case KindRead:
                if (!_writerHeld && _writers.IsEmpty && _upgrade.IsEmpty)
                {
                    _readerCount++;
                    return true;
                }

                return false;
            case KindWrite:
                if (!_writerHeld && _readerCount == 0 && _writers.IsEmpty)
                {
                    _writerHeld = true;
                    return true;
                }

                return false;
            case KindUpgradeable:
                if (!_writerHeld && !_upgradeableHeld && _writers.IsEmpty && _upgradeables.IsEmpty)
                {
                    _upgradeableHeld = true;
                    _readerCount++;
                    return true;
                }

                return false;
            default:
                // Upgrade: the caller is the upgradeable reader; it needs every other reader gone.
                if (_readerCount == 1 && !_writerHeld)
                {
                    _writerHeld = true;
                    return true;
                }

                return false;
        }
    }

    /// <summary>Under the gate: grants whoever may enter now, appending them to <paramref name="granted"/>.</summary>
    private void Pump(ref List<Waiter<int>>? granted)
    {
        if (_writerHeld)
        {
            return;
        }

        if (_upgrade.First is { } upgrader)
        {
            if (_readerCount == 1)
            {
                _upgrade.Remove(upgrader);
                _writerHeld = true;
                (granted ??= []).Add(upgrader);
            }

            return;
        }

        if (_writers.First is { } writer)
        {
            if (_readerCount == 0)
            {
                _writers.Remove(writer);
                _writerHeld = true;
                (granted ??= []).Add(writer);
            }

            return;
        }

        while (_readers.Dequeue() is { } reader)
        {
            _readerCount++;
            (granted ??= []).Add(reader);
        }

        if (!_upgradeableHeld && _upgradeables.Dequeue() is { } upgradeable)
        {
            _upgradeableHeld = true;
            _readerCount++;
            (granted ??= []).Add(upgradeable);
        }
    }

    private void Exit(int kind, long writerToken = 0)
    {
        List<Waiter<int>>? granted = null;
        lock (_gate)
        {
            switch (kind)
            {
                case KindRead:
                    if (_readerCount <= (_upgradeableHeld ? 1 : 0))
                    {
                        ThrowNotHeld("read");
                    }

                    _readerCount--;
                    break;
                case KindUpgradeable:
                    if (!_upgradeableHeld || _writerHeld)
                    {
                        ThrowNotHeld("upgradeable read");
                    }

                    _upgradeableHeld = false;
                    _readerCount--;
                    break;
                default:
                    if (!_writerHeld || writerToken != _writerToken)
                    {
                        ThrowNotHeld("write");
                    }

                    _writerToken++;
                    _writerHeld = false;
                    break;
            }

            Pump(ref granted);
        }

        if (granted is not null)
        {
            foreach (Waiter<int> waiter in granted)
            {
                waiter.SetResult(0);
            }
        }
    }

    bool IWaiterOwner<int>.TryRemove(Waiter<int> waiter)
    {
        List<Waiter<int>>? granted = null;
        lock (_gate)
        {
            if (!QueueFor(waiter.Data).Remove(waiter))
            {
                return false;
            }

            // A writer that gives up may unblock the readers queued behind it.
            Pump(ref granted);
        }

        if (granted is not null)
        {
            foreach (Waiter<int> w in granted)
            {
                w.SetResult(0);
            }
        }

        return true;
    }

    [DoesNotReturn]
    private static void ThrowNotHeld(string kind) =>
        throw new InvalidOperationException($"The {kind} lock is not held by this releaser (it was already released). Dispose each releaser exactly once.");

    /// <summary>Releases a read lock when disposed.</summary>
    /// <remarks>Thread safety: dispose exactly once, from any thread.</remarks>
    public readonly struct ReadReleaser : IDisposable
    {
        private readonly AsyncReaderWriterLock? _owner;

        internal ReadReleaser(AsyncReaderWriterLock owner) => _owner = owner;

        /// <summary>Releases the read lock.</summary>
        /// <exception cref="InvalidOperationException">No read lock is held.</exception>
        public void Dispose()
        {
            if (_owner is null)
            {
                ThrowNotHeld("read");
            }

            _owner.Exit(KindRead);
        }
    }

    /// <summary>Releases the write lock when disposed (or, after an upgrade, returns to the upgradeable read).</summary>
    /// <remarks>Thread safety: dispose exactly once, from any thread.</remarks>
    public readonly struct WriteReleaser : IDisposable
    {
        private readonly AsyncReaderWriterLock? _owner;
        private readonly long _token;

        internal WriteReleaser(AsyncReaderWriterLock owner, long token, bool upgraded)
        {
            _owner = owner;
            _token = token;
            IsUpgrade = upgraded;
        }

        /// <summary>True when this write lock came from upgrading an upgradeable read.</summary>
        public bool IsUpgrade { get; }

        /// <summary>Releases the write lock.</summary>
        /// <exception cref="InvalidOperationException">This releaser was already released.</exception>
        public void Dispose()
        {
            if (_owner is null)
            {
                ThrowNotHeld("write");
            }

            _owner.Exit(KindWrite, _token);
        }
    }

    /// <summary>Releases an upgradeable read lock when disposed; <see cref="UpgradeAsync(CancellationToken)"/> turns it into the write lock.</summary>
    /// <remarks>Thread safety: dispose exactly once, from any thread; release the upgraded write lock first.</remarks>
    public readonly struct UpgradeableReadReleaser : IDisposable
    {
        private readonly AsyncReaderWriterLock? _owner;

        internal UpgradeableReadReleaser(AsyncReaderWriterLock owner) => _owner = owner;

        /// <summary>Waits until every other reader has left, then holds the write lock. New readers wait meanwhile.</summary>
        /// <param name="cancellationToken">Cancels the wait; the upgradeable read stays held.</param>
        /// <returns>A write releaser; disposing it returns to the upgradeable read.</returns>
        public ValueTask<WriteReleaser> UpgradeAsync(CancellationToken cancellationToken = default) => UpgradeAsync(Timeout.InfiniteTimeSpan, cancellationToken);

        /// <summary>Upgrades to the write lock, failing with <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
        /// <param name="timeout">How long to wait.</param>
        /// <param name="cancellationToken">Cancels the wait; the upgradeable read stays held.</param>
        /// <returns>A write releaser; disposing it returns to the upgradeable read.</returns>
        public async ValueTask<WriteReleaser> UpgradeAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            AsyncReaderWriterLock owner = _owner ?? throw new InvalidOperationException("This releaser holds no upgradeable read lock.");
            lock (owner._gate)
            {
                if (!owner._upgradeableHeld || owner._writerHeld)
                {
                    ThrowNotHeld("upgradeable read");
                }
            }

            await owner.AcquireAsync(KindUpgrade, timeout, cancellationToken).ConfigureAwait(false);
            return new WriteReleaser(owner, owner.NewWriterToken(), upgraded: true);
        }

        /// <summary>Releases the upgradeable read lock.</summary>
        /// <exception cref="InvalidOperationException">It is not held, or is still upgraded.</exception>
        public void Dispose()
        {
            if (_owner is null)
            {
                ThrowNotHeld("upgradeable read");
            }

            _owner.Exit(KindUpgradeable);
        }
    }
}
