using System.Runtime.CompilerServices;
using System.Threading.Channels;
using XSystem.IO.Internal;

namespace XSystem.IO;

/// <summary>
/// Watches a directory (or one file) and reports debounced changes as an async stream:
/// <c>await foreach (FileChange change in watcher.WatchAsync(cancellationToken)) { ... }</c>.
/// </summary>
/// <remarks>
/// <para>Watching starts when the constructor returns; changes are buffered until <see cref="WatchAsync"/> reads them.
/// By default the watcher uses operating system notifications (<see cref="FileSystemWatcher"/>: inotify, FSEvents,
/// ReadDirectoryChangesW); with <see cref="FileWatcherOptions.UsePolling"/> it compares snapshots instead.</para>
/// <para>Events for one path within <see cref="FileWatcherOptions.Debounce"/> collapse into their net effect: a burst of
/// writes is one <see cref="FileChangeKind.Modified"/>; a file created and deleted inside the window is not reported;
/// a save by rename (write a temporary file, rename it over the target, as <c>AtomicFile</c> and many editors do) is
/// one <see cref="FileChangeKind.Modified"/> of the target and nothing for the temporary file. Lost events are never
/// silent: they surface as <see cref="FileChangeKind.Overflow"/>.</para>
/// <para>Thread safety: one reader at a time may enumerate <see cref="WatchAsync"/>; <see cref="Dispose"/> and
/// <see cref="DisposeAsync"/> may be called from any thread, and end the enumeration normally.</para>
/// </remarks>
public sealed class FileWatcher : IDisposable, IAsyncDisposable
{
    private readonly Channel<FileChange> _channel;
    private readonly WatchDebouncer _debouncer;
    private readonly FileSystemWatcher? _watcher;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling = Task.CompletedTask;
    private readonly bool _includeSubdirectories;
    private readonly bool _ignoreCase;
    private Dictionary<string, (long Length, DateTime LastWrite, bool IsDirectory)>? _snapshot;
    private int _enumerating;
    private int _disposed;

    /// <summary>Starts watching <paramref name="path"/>.</summary>
    /// <param name="path">A directory, or a file (existing or not) whose directory exists; a file is watched through
    /// its directory with its name as the filter.</param>
    /// <param name="options">Settings; <see langword="null"/> uses the defaults of <see cref="FileWatcherOptions"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or contains NUL, or an option is out of range.</exception>
    /// <exception cref="DirectoryNotFoundException">Neither <paramref name="path"/> nor its parent directory exists.</exception>
    public FileWatcher(string path, FileWatcherOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(path);
        options ??= new FileWatcherOptions();
        Validate(options);

        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Directory.Exists(full))
        {
            DirectoryPath = full;
            Filter = options.Filter;
            _includeSubdirectories = options.IncludeSubdirectories;
        }
        else
        {
            string? parent = Path.GetDirectoryName(full);
            if (parent is null || !Directory.Exists(parent))
            {
                throw new DirectoryNotFoundException(IOMessages.FileWatcherPathMissing(full));
            }

            DirectoryPath = parent;
            Filter = Path.GetFileName(full);
            _includeSubdirectories = false;
        }

        _ignoreCase = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS();
        _channel = Channel.CreateBounded<FileChange>(new BoundedChannelOptions(options.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _debouncer = new WatchDebouncer(
            _channel.Writer,
            options.TimeProvider,
            options.Debounce,
            options.BufferCapacity,
            DirectoryPath,
            _ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        UsesPolling = options.UsePolling;

        if (options.UsePolling)
        {
            _snapshot = TakeSnapshot();
            _polling = PollAsync(options.PollingInterval, options.TimeProvider, _stop.Token);
        }
        else
        {
            _watcher = new FileSystemWatcher(DirectoryPath, Filter)
            {
                IncludeSubdirectories = _includeSubdirectories,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            _watcher.Created += (_, e) => _debouncer.Created(e.FullPath);
            _watcher.Changed += (_, e) => _debouncer.Modified(e.FullPath);
            _watcher.Deleted += (_, e) => _debouncer.Deleted(e.FullPath);
            _watcher.Renamed += (_, e) => _debouncer.Renamed(e.OldFullPath, InScope(e.OldFullPath), e.FullPath, InScope(e.FullPath));
            _watcher.Error += (_, e) => OnError(e.GetException());
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>The absolute directory being watched (the file's directory when watching one file).</summary>
    public string DirectoryPath { get; }

    /// <summary>The name filter in effect (the file name when watching one file).</summary>
    public string Filter { get; }

    /// <summary>Whether the watcher polls snapshots instead of using operating system notifications.</summary>
    public bool UsesPolling { get; }

    /// <summary>
    /// Reads the debounced changes. Runs until <paramref name="cancellationToken"/> is cancelled (the enumeration then
    /// throws <see cref="OperationCanceledException"/>) or the watcher is disposed (the enumeration ends normally).
    /// </summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The changes, in the order their paths became quiet.</returns>
    /// <exception cref="ObjectDisposedException">The watcher was disposed before enumeration started.</exception>
    /// <exception cref="InvalidOperationException">Another enumeration of this watcher is running.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="IOException">The operating system watcher failed (other than a buffer overflow, which is reported as <see cref="FileChangeKind.Overflow"/>).</exception>
    public async IAsyncEnumerable<FileChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _enumerating, 1) != 0)
        {
            throw new InvalidOperationException(IOMessages.FileWatcherAlreadyEnumerating);
        }

        try
        {
            ChannelReader<FileChange> reader = _channel.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out FileChange change))
                {
                    yield return change;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _enumerating, 0);
        }
    }

    /// <summary>Stops watching, reports the changes still being debounced, and ends the enumeration. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_watcher is not null)
        {
            _watcher.EnableRaisingEvents = false;
            _watcher.Dispose();
        }

        _stop.Cancel();
        _debouncer.FlushAll();
        _debouncer.Dispose();
        _ = _channel.Writer.TryComplete();
    }

    /// <summary>Like <see cref="Dispose"/>, and also waits for the polling loop to finish.</summary>
    /// <returns>A task that completes when the watcher has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        try
        {
            await _polling.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The polling loop ends by cancellation.
        }

        _stop.Dispose();
    }

    private static void Validate(FileWatcherOptions options)
    {
        if (string.IsNullOrEmpty(options.Filter))
        {
            throw new ArgumentException(IOMessages.FileWatcherOption(nameof(options.Filter), "must not be empty; use \"*\" for everything"), nameof(options));
        }

        if (options.Debounce < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Debounce, IOMessages.FileWatcherOption(nameof(options.Debounce), "must be zero or positive"));
        }

        if (options.PollingInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PollingInterval, IOMessages.FileWatcherOption(nameof(options.PollingInterval), "must be positive"));
        }

        if (options.BufferCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BufferCapacity, IOMessages.FileWatcherOption(nameof(options.BufferCapacity), "must be at least 1"));
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
    }

    private void OnError(Exception error)
    {
        if (error is InternalBufferOverflowException)
        {
            _debouncer.Overflow();
            return;
        }

        _debouncer.FlushAll();
        _ = _channel.Writer.TryComplete(error as IOException ?? new IOException(error.Message, error));
    }

    private bool InScope(string path)
    {
        string? directory = Path.GetDirectoryName(path);
        if (directory is null)
        {
            return false;
        }

        StringComparison comparison = _ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        bool inDirectory = string.Equals(directory, DirectoryPath, comparison)
            || (_includeSubdirectories && directory.StartsWith(DirectoryPath + Path.DirectorySeparatorChar, comparison));
        return inDirectory && System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(Filter, Path.GetFileName(path), _ignoreCase);
    }

    private async Task PollAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            Dictionary<string, (long Length, DateTime LastWrite, bool IsDirectory)> current;
            try
            {
                current = TakeSnapshot();
            }
            catch (IOException)
            {
                continue; // An entry vanished mid-scan; the next tick sees a consistent state.
            }

            Dictionary<string, (long Length, DateTime LastWrite, bool IsDirectory)> previous = _snapshot!;
            foreach ((string path, (long Length, DateTime LastWrite, bool IsDirectory) now) in current)
            {
                if (!previous.TryGetValue(path, out (long Length, DateTime LastWrite, bool IsDirectory) before))
                {
                    _debouncer.Created(path);
                }
                else if (!now.IsDirectory && (now.Length != before.Length || now.LastWrite != before.LastWrite || before.IsDirectory))
                {
                    _debouncer.Modified(path);
                }
            }

            foreach (string path in previous.Keys)
            {
                if (!current.ContainsKey(path))
                {
                    _debouncer.Deleted(path);
                }
            }

            _snapshot = current;
        }
    }

    private Dictionary<string, (long Length, DateTime LastWrite, bool IsDirectory)> TakeSnapshot()
    {
        var result = new Dictionary<string, (long, DateTime, bool)>(_ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        var directory = new DirectoryInfo(DirectoryPath);
        if (!directory.Exists)
        {
            return result;
        }

        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = _includeSubdirectories,
            IgnoreInaccessible = true,
            AttributesToSkip = 0,
            MatchType = MatchType.Simple,
            MatchCasing = _ignoreCase ? MatchCasing.CaseInsensitive : MatchCasing.CaseSensitive,
        };
        foreach (FileSystemInfo info in directory.EnumerateFileSystemInfos(Filter, enumeration))
        {
            bool isDirectory = (info.Attributes & FileAttributes.Directory) != 0;
            long length = isDirectory ? 0 : ((FileInfo)info).Length;
            result[info.FullName] = (length, info.LastWriteTimeUtc, isDirectory);
        }

        return result;
    }
}
