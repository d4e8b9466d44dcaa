using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using XSystem.IO.Internal;

namespace XSystem.IO;

/// <summary>
/// A cross-process exclusive lock on a lock file, held by the operating system and released by the kernel when the
/// holder's process ends for any reason (so there are no stale locks). <c>using var held = FileLock.Acquire(path, timeout);</c>
/// </summary>
/// <remarks>
/// <para>The <c>path</c> is the lock file itself: it is created when missing (with its directory required to exist),
/// the holder's process id is written into it on Linux and macOS, and it is never deleted (deleting a lock file
/// lets two processes lock two different files of the same name). To guard <c>data.json</c>, lock
/// <c>data.json.lock</c>, not the data file.</para>
/// <para>On Linux and macOS the lock is <c>flock(LOCK_EX)</c>: advisory (only cooperating processes that lock the
/// same file are excluded) and tied to the open file description, so two acquisitions in the same process exclude each
/// other exactly like two processes do. On Windows the lock file is opened with <see cref="FileShare.None"/>. Locks on
/// network file systems (NFS, SMB) depend on the server and are not recommended.</para>
/// <para>The lock is not re-entrant: acquiring it again while holding it, even on the same thread, waits for the
/// first handle to be disposed (and times out if that never happens). Waiting retries a non-blocking attempt with
/// exponential back-off from 1 ms up to 50 ms between attempts, so a waiter sleeps instead of spinning a core and
/// notices a release within about 50 ms; waiters are not served in arrival order.</para>
/// <para>Thread safety: the static members are safe to call from any thread. A handle may be disposed from any
/// thread, any number of times.</para>
/// </remarks>
public sealed class FileLock : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(50);

    private SafeFileHandle? _handle;

    private FileLock(string path, SafeFileHandle handle)
    {
        LockPath = path;
        _handle = handle;
    }

    /// <summary>The full path of the lock file.</summary>
    public string LockPath { get; }

    /// <summary>Whether this handle still holds the lock (false after <see cref="Dispose"/>).</summary>
    public bool IsHeld => Volatile.Read(ref _handle) is not null;

    /// <summary>Acquires the lock, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="path">The lock file. Created when missing; its directory must exist.</param>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or contains NUL.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="FileLockTimeoutException">Another holder kept the lock for the whole timeout.</exception>
    /// <exception cref="IOException">The lock file could not be opened or locked.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock file may not be created or opened.</exception>
    public static FileLock Acquire(string path, TimeSpan timeout)
    {
        string full = Prepare(path, timeout);
        using var attempt = new Attempt(full);
        long start = TimeProvider.System.GetTimestamp();
        TimeSpan backoff = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            if (attempt.TryTake() is { } held)
            {
                return held;
            }

            TimeSpan wait = NextWait(start, timeout, ref backoff);
            if (wait < TimeSpan.Zero)
            {
                throw attempt.TimedOut(timeout);
            }

            Thread.Sleep(wait);
        }
    }

    /// <summary>Acquires the lock asynchronously, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="path">The lock file. Created when missing; its directory must exist.</param>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> tries once, <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or contains NUL.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="FileLockTimeoutException">Another holder kept the lock for the whole timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the lock was acquired.</exception>
    /// <exception cref="IOException">The lock file could not be opened or locked.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock file may not be created or opened.</exception>
    public static ValueTask<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        string full = Prepare(path, timeout);
        cancellationToken.ThrowIfCancellationRequested();
        var attempt = new Attempt(full);
        try
        {
            if (attempt.TryTake() is { } held)
            {
                attempt.Dispose();
                return ValueTask.FromResult(held);
            }
        }
        catch
        {
            attempt.Dispose();
            throw;
        }

        return WaitAsync(attempt, timeout, cancellationToken);
    }

    /// <summary>Tries to acquire the lock once, without waiting.</summary>
    /// <param name="path">The lock file. Created when missing; its directory must exist.</param>
    /// <param name="fileLock">The held lock when the result is <see langword="true"/>; dispose it to release.</param>
    /// <returns><see langword="true"/> when the lock was free and is now held by <paramref name="fileLock"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or contains NUL.</exception>
    /// <exception cref="IOException">The lock file could not be opened or locked.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock file may not be created or opened.</exception>
    public static bool TryAcquire(string path, [NotNullWhen(true)] out FileLock? fileLock)
    {
        string full = Prepare(path, TimeSpan.Zero);
        using var attempt = new Attempt(full);
        fileLock = attempt.TryTake();
        return fileLock is not null;
    }

    /// <summary>Releases the lock. Safe to call more than once and from any thread.</summary>
    public void Dispose()
    {
        SafeFileHandle? handle = Interlocked.Exchange(ref _handle, null);
        if (handle is null)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            PosixFileLock.Unlock(handle);
        }

        handle.Dispose();
    }

    /// <summary>Returns the lock path and whether it is held, for diagnostics.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"FileLock '{LockPath}' ({(IsHeld ? "held" : "released")})";

    private static async ValueTask<FileLock> WaitAsync(Attempt attempt, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using (attempt)
        {
            long start = TimeProvider.System.GetTimestamp();
            TimeSpan backoff = TimeSpan.FromMilliseconds(1);
            while (true)
            {
                TimeSpan wait = NextWait(start, timeout, ref backoff);
                if (wait < TimeSpan.Zero)
                {
                    throw attempt.TimedOut(timeout);
                }

                await Task.Delay(wait, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                if (attempt.TryTake() is { } held)
                {
                    return held;
                }
            }
        }
    }

    private static string Prepare(string path, TimeSpan timeout)
    {
        Guard.NotNullOrEmptyPath(path);
        Guard.NonNegativeTimeout(timeout);
        return Path.GetFullPath(path);
    }

    /// <summary>The next sleep: the back-off step, cut to the time left; negative when the timeout has elapsed.</summary>
    private static TimeSpan NextWait(long start, TimeSpan timeout, ref TimeSpan backoff)
    {
        TimeSpan step = backoff;
        backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return step;
        }

        TimeSpan left = timeout - TimeProvider.System.GetElapsedTime(start);
        if (left <= TimeSpan.Zero)
        {
            return TimeSpan.FromTicks(-1);
        }

        return step < left ? step : left;
    }

    /// <summary>One acquisition: keeps the lock file open across retries (Unix) and hands it over on success.</summary>
    private sealed class Attempt : IDisposable
    {
        private readonly string _path;
        private SafeFileHandle? _handle;

        public Attempt(string path)
        {
            _path = path;
            if (!OperatingSystem.IsWindows())
            {
                _handle = PosixFileLock.Open(path);
            }
        }

        public FileLock? TryTake()
        {
            if (OperatingSystem.IsWindows())
            {
                SafeFileHandle? exclusive = TryOpenExclusive(_path);
                return exclusive is null ? null : new FileLock(_path, exclusive);
            }

            if (!PosixFileLock.TryLock(_handle!, _path))
            {
                return null;
            }

            SafeFileHandle taken = _handle!;
            _handle = null;
            WriteHolder(taken);
            return new FileLock(_path, taken);
        }

        public FileLockTimeoutException TimedOut(TimeSpan timeout)
        {
            int? holder = _handle is null ? null : ReadHolder(_handle);
            return new FileLockTimeoutException(_path, timeout, holder, IOMessages.FileLockTimeout(_path, timeout, holder));
        }

        public void Dispose() => _handle?.Dispose();

        private static SafeFileHandle? TryOpenExclusive(string path)
        {
            try
            {
                return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when ((ex.HResult & 0xFFFF) is 32 or 33)
            {
                // ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION: someone else holds it.
                return null;
            }
        }

        private static void WriteHolder(SafeFileHandle handle)
        {
            byte[] text = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            try
            {
                RandomAccess.Write(handle, text, 0);
                RandomAccess.SetLength(handle, text.Length);
            }
            catch (IOException)
            {
                // The process id is diagnostic only; a full disk must not fail the lock itself.
            }
        }

        private static int? ReadHolder(SafeFileHandle handle)
        {
            Span<byte> buffer = stackalloc byte[16];
            try
            {
                int read = RandomAccess.Read(handle, buffer, 0);
                string text = Encoding.ASCII.GetString(buffer[..read]).Trim();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
