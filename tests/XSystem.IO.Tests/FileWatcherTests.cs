using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using XSystem.IO.Internal;
using XSystem.IO.Tests.Infrastructure;

namespace XSystem.IO.Tests;

/// <summary>End-to-end tests on the real file system with generous timeouts.</summary>
public sealed class FileWatcherTests : IDisposable
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(700);
    private readonly PathsTempDir _temp = new("xsys-watch-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WatchAsync_FileCreatedAndWritten_OneCreated()
    {
        await using var watcher = new FileWatcher(_temp.DirectoryPath);
        await using var seen = new Collector(watcher);
        string path = _temp.Combine("new.txt");

        await File.WriteAllTextAsync(path, "hello", TestContext.Current.CancellationToken);

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldBe([new FileChange(path, FileChangeKind.Created)]);
    }

    [Fact]
    public async Task WatchAsync_ExistingFileAppended_OneModified()
    {
        string path = _temp.WriteFile("log.txt", "a");
        await using var watcher = new FileWatcher(_temp.DirectoryPath);
        await using var seen = new Collector(watcher);

        await File.AppendAllTextAsync(path, "b", TestContext.Current.CancellationToken);

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldBe([new FileChange(path, FileChangeKind.Modified)]);
    }

    [Fact]
    public async Task WatchAsync_FileDeleted_OneDeleted()
    {
        string path = _temp.WriteFile("gone.txt");
        await using var watcher = new FileWatcher(_temp.DirectoryPath);
        await using var seen = new Collector(watcher);

        File.Delete(path);

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldBe([new FileChange(path, FileChangeKind.Deleted)]);
    }

    [Fact]
    public async Task WatchAsync_BurstOfWrites_DebouncedToOneModified()
    {
        string path = _temp.WriteFile("burst.txt", "0");
        await using var watcher = new FileWatcher(_temp.DirectoryPath, new FileWatcherOptions { Debounce = TimeSpan.FromMilliseconds(400) });
        await using var seen = new Collector(watcher);

        for (int i = 0; i < 50; i++)
        {
            await File.AppendAllTextAsync(path, "x", TestContext.Current.CancellationToken);
        }

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldBe([new FileChange(path, FileChangeKind.Modified)]);
    }

    [Fact]
    public async Task WatchAsync_SaveByRename_OneModifiedOfTarget()
    {
        string target = _temp.WriteFile("config.json", "{}");
        await using var watcher = new FileWatcher(_temp.DirectoryPath, new FileWatcherOptions { Debounce = TimeSpan.FromMilliseconds(300) });
        await using var seen = new Collector(watcher);

        SaveByRename(target, "{\"a\":1}");

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldBe([new FileChange(target, FileChangeKind.Modified)]);
    }

    [Fact]
    public async Task WatchAsync_SingleFileSavedByRename_OneModified()
    {
        string target = _temp.WriteFile("settings.toml", "a = 1");
        string other = _temp.Combine("other.txt");
        await using var watcher = new FileWatcher(target, new FileWatcherOptions { Debounce = TimeSpan.FromMilliseconds(300) });
        await using var seen = new Collector(watcher);

        await File.WriteAllTextAsync(other, "not watched", TestContext.Current.CancellationToken);
        SaveByRename(target, "a = 2");

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldBe([new FileChange(target, FileChangeKind.Modified)]);
        watcher.Filter.ShouldBe("settings.toml");
        watcher.DirectoryPath.ShouldBe(_temp.DirectoryPath);
    }

    [Fact]
    public async Task WatchAsync_ExistingFileRenamed_OneRenamed()
    {
        string from = _temp.WriteFile("before.txt");
        string to = _temp.Combine("after.txt");
        await using var watcher = new FileWatcher(_temp.DirectoryPath);
        await using var seen = new Collector(watcher);

        File.Move(from, to);

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldBe([new FileChange(to, FileChangeKind.Renamed, from)]);
    }

    [Fact]
    public async Task WatchAsync_TemporaryFileCreatedAndDeleted_NotReported()
    {
        await using var watcher = new FileWatcher(_temp.DirectoryPath, new FileWatcherOptions { Debounce = TimeSpan.FromMilliseconds(300) });
        await using var seen = new Collector(watcher);
        string scratch = _temp.Combine("scratch.tmp");
        string marker = _temp.Combine("marker.txt");

        await File.WriteAllTextAsync(scratch, "temp", TestContext.Current.CancellationToken);
        File.Delete(scratch);
        await File.WriteAllTextAsync(marker, "proves the watcher is alive", TestContext.Current.CancellationToken);

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldBe([new FileChange(marker, FileChangeKind.Created)]);
    }

    [Fact]
    public async Task WatchAsync_IncludeSubdirectories_ReportsNestedChanges()
    {
        string sub = _temp.CreateDirectory("sub");
        await using var watcher = new FileWatcher(_temp.DirectoryPath, new FileWatcherOptions { IncludeSubdirectories = true, Filter = "*.txt" });
        await using var seen = new Collector(watcher);
        string nested = Path.Combine(sub, "deep.txt");

        await File.WriteAllTextAsync(Path.Combine(sub, "ignored.bin"), "x", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(nested, "x", TestContext.Current.CancellationToken);

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldBe([new FileChange(nested, FileChangeKind.Created)]);
    }

    [Fact]
    public async Task WatchAsync_Polling_DetectsCreateModifyDelete()
    {
        var options = new FileWatcherOptions { UsePolling = true, PollingInterval = TimeSpan.FromMilliseconds(100), Debounce = TimeSpan.FromMilliseconds(50) };
        await using var watcher = new FileWatcher(_temp.DirectoryPath, options);
        await using var seen = new Collector(watcher);
        string path = _temp.Combine("polled.txt");
        watcher.UsesPolling.ShouldBeTrue();

        await File.WriteAllTextAsync(path, "1", TestContext.Current.CancellationToken);
        (await seen.NextAsync()).ShouldBe(new FileChange(path, FileChangeKind.Created));
        await File.WriteAllTextAsync(path, "22", TestContext.Current.CancellationToken);
        (await seen.NextAsync()).ShouldBe(new FileChange(path, FileChangeKind.Modified));
        File.Delete(path);
        (await seen.NextAsync()).ShouldBe(new FileChange(path, FileChangeKind.Deleted));
    }

    [Fact]
    public async Task WatchAsync_Cancelled_EnumerationEndsWithOperationCanceled()
    {
        await using var watcher = new FileWatcher(_temp.DirectoryPath);
        using var cts = new CancellationTokenSource();
        Task enumeration = Task.Run(async () =>
        {
            await foreach (FileChange change in watcher.WatchAsync(cts.Token))
            {
                _ = change;
            }
        }, TestContext.Current.CancellationToken);

        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => enumeration.WaitAsync(EventTimeout, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Dispose_WhileEnumerating_EnumerationEndsNormally()
    {
        var watcher = new FileWatcher(_temp.DirectoryPath);
        IAsyncEnumerator<FileChange> enumerator = watcher.WatchAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        ValueTask<bool> next = enumerator.MoveNextAsync(); // now waiting for a change

        await watcher.DisposeAsync();

        (await next.AsTask().WaitAsync(EventTimeout, TestContext.Current.CancellationToken)).ShouldBeFalse();
        await enumerator.DisposeAsync();
    }

    [Fact]
    public async Task WatchAsync_SecondConcurrentReader_Throws()
    {
        await using var watcher = new FileWatcher(_temp.DirectoryPath);
        await using var seen = new Collector(watcher);
        await seen.StartedAsync();

        await Should.ThrowAsync<InvalidOperationException>(async () =>
        {
            await foreach (FileChange change in watcher.WatchAsync(TestContext.Current.CancellationToken))
            {
                _ = change;
            }
        });
    }

    [Fact]
    public async Task WatchAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var watcher = new FileWatcher(_temp.DirectoryPath);
        watcher.Dispose();

        await Should.ThrowAsync<ObjectDisposedException>(async () =>
        {
            await foreach (FileChange change in watcher.WatchAsync(TestContext.Current.CancellationToken))
            {
                _ = change;
            }
        });
    }

    [Fact]
    public async Task WatchAsync_MoreChangesThanCapacity_ReportsOverflow()
    {
        await using var watcher = new FileWatcher(_temp.DirectoryPath, new FileWatcherOptions { BufferCapacity = 2, Debounce = TimeSpan.FromMilliseconds(200) });
        await using var seen = new Collector(watcher);

        for (int i = 0; i < 10; i++)
        {
            await File.WriteAllTextAsync(_temp.Combine($"f{i}.txt"), "x", TestContext.Current.CancellationToken);
        }

        List<FileChange> changes = await seen.UntilQuietAsync(1);
        changes.ShouldContain(new FileChange(_temp.DirectoryPath, FileChangeKind.Overflow));
    }

    [Fact]
    public void Constructor_MissingDirectory_ThrowsDirectoryNotFound()
    {
        string missing = _temp.Combine("no", "such", "file.txt");

        DirectoryNotFoundException ex = Should.Throw<DirectoryNotFoundException>(() => new FileWatcher(missing));

        ex.Message.ShouldContain(missing);
    }

    [Fact]
    public void Constructor_BadOptions_Throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new FileWatcher(_temp.DirectoryPath, new FileWatcherOptions { Debounce = TimeSpan.FromSeconds(-1) }));
        Should.Throw<ArgumentOutOfRangeException>(() => new FileWatcher(_temp.DirectoryPath, new FileWatcherOptions { PollingInterval = TimeSpan.Zero }));
        Should.Throw<ArgumentOutOfRangeException>(() => new FileWatcher(_temp.DirectoryPath, new FileWatcherOptions { BufferCapacity = 0 }));
        Should.Throw<ArgumentException>(() => new FileWatcher(_temp.DirectoryPath, new FileWatcherOptions { Filter = "" }));
    }

    private static void SaveByRename(string target, string content)
    {
        // What AtomicFile and many editors do: write a temporary sibling, then rename it over the target.
        string temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(temp, content);
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>Reads a watcher in the background so tests can wait for changes with timeouts.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly Channel<FileChange> _seen = Channel.CreateUnbounded<FileChange>();
        private readonly CancellationTokenSource _cts = new();
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _pump;

        public Collector(FileWatcher watcher)
        {
            _pump = Task.Run(async () =>
            {
                IAsyncEnumerator<FileChange> e = watcher.WatchAsync(_cts.Token).GetAsyncEnumerator(_cts.Token);
                try
                {
                    ValueTask<bool> first = e.MoveNextAsync();
                    _started.TrySetResult();
                    bool more = await first;
                    while (more)
                    {
                        _seen.Writer.TryWrite(e.Current);
                        more = await e.MoveNextAsync();
                    }
                }
                catch (OperationCanceledException) when (_cts.IsCancellationRequested)
                {
                    // The test is over.
                }
                finally
                {
                    await e.DisposeAsync();
                    _seen.Writer.TryComplete();
                }
            });
        }

        public Task StartedAsync() => _started.Task.WaitAsync(EventTimeout);

        public async Task<FileChange> NextAsync()
        {
            using var timeout = new CancellationTokenSource(EventTimeout);
            return await _seen.Reader.ReadAsync(timeout.Token);
        }

        /// <summary>Waits for at least <paramref name="atLeast"/> changes, then until none arrives for a while.</summary>
        public async Task<List<FileChange>> UntilQuietAsync(int atLeast)
        {
            var result = new List<FileChange>();
            while (result.Count < atLeast)
            {
                result.Add(await NextAsync());
            }

            while (true)
            {
                using var quiet = new CancellationTokenSource(Quiet);
                try
                {
                    result.Add(await _seen.Reader.ReadAsync(quiet.Token));
                }
                catch (OperationCanceledException) when (quiet.IsCancellationRequested)
                {
                    return result;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync();
            await _pump.WaitAsync(EventTimeout);
            _cts.Dispose();
        }
    }
}

/// <summary>The merge rules of the debouncer, driven by a fake clock.</summary>
public sealed class WatchDebouncerTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _time = new();
    private readonly Channel<FileChange> _channel;
    private readonly WatchDebouncer _debouncer;

    public WatchDebouncerTests()
    {
        _channel = Channel.CreateBounded<FileChange>(2);
        _debouncer = new WatchDebouncer(_channel.Writer, _time, Window, capacity: 16, "/w", StringComparer.Ordinal);
    }

    public void Dispose() => _debouncer.Dispose();

    [Fact]
    public void CreatedThenModified_BeforeWindow_NothingYet_AfterWindow_OneCreated()
    {
        _debouncer.Created("/w/a");
        _time.Advance(TimeSpan.FromMilliseconds(60));
        _debouncer.Modified("/w/a");
        _time.Advance(TimeSpan.FromMilliseconds(60));

        Drain().ShouldBeEmpty();
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Drain().ShouldBe([new FileChange("/w/a", FileChangeKind.Created)]);
    }

    [Fact]
    public void CreatedThenDeleted_NothingReported()
    {
        _debouncer.Created("/w/tmp");
        _debouncer.Modified("/w/tmp");
        _debouncer.Deleted("/w/tmp");
        _time.Advance(Window * 2);

        Drain().ShouldBeEmpty();
        _debouncer.PendingCount.ShouldBe(0);
    }

    [Fact]
    public void DeletedThenCreated_OneModified()
    {
        _debouncer.Deleted("/w/a");
        _debouncer.Created("/w/a");
        _time.Advance(Window);

        Drain().ShouldBe([new FileChange("/w/a", FileChangeKind.Modified)]);
    }

    [Fact]
    public void SaveByRename_OneModifiedOfTarget()
    {
        _debouncer.Created("/w/.a.tmp");
        _debouncer.Modified("/w/.a.tmp");
        _debouncer.Renamed("/w/.a.tmp", true, "/w/a", true);
        _time.Advance(Window);

        Drain().ShouldBe([new FileChange("/w/a", FileChangeKind.Modified)]);
    }

    [Fact]
    public void RenameFromOutsideTheFilter_OneModifiedOfTarget()
    {
        _debouncer.Renamed("/w/a.tmp", false, "/w/a.json", true);
        _time.Advance(Window);

        Drain().ShouldBe([new FileChange("/w/a.json", FileChangeKind.Modified)]);
    }

    [Fact]
    public void RenameOfExistingFile_OneRenamed()
    {
        _debouncer.Renamed("/w/a", true, "/w/b", true);
        _time.Advance(Window);

        Drain().ShouldBe([new FileChange("/w/b", FileChangeKind.Renamed, "/w/a")]);
    }

    [Fact]
    public void RenameChain_OneRenamedFromTheOriginalPath()
    {
        _debouncer.Renamed("/w/a", true, "/w/b", true);
        _debouncer.Renamed("/w/b", true, "/w/c", true);
        _time.Advance(Window);

        Drain().ShouldBe([new FileChange("/w/c", FileChangeKind.Renamed, "/w/a")]);
    }

    [Fact]
    public void RenameOutOfScope_OneDeleted()
    {
        _debouncer.Renamed("/w/a.txt", true, "/w/a.bak", false);
        _time.Advance(Window);

        Drain().ShouldBe([new FileChange("/w/a.txt", FileChangeKind.Deleted)]);
    }

    [Fact]
    public void BackupThenWrite_OneModifiedAndNothingForTheBackup()
    {
        _debouncer.Renamed("/w/a", true, "/w/a~", true);
        _debouncer.Created("/w/a");
        _debouncer.Modified("/w/a");
        _debouncer.Deleted("/w/a~");
        _time.Advance(Window);

        Drain().ShouldBe([new FileChange("/w/a", FileChangeKind.Modified)]);
    }

    [Fact]
    public void ContinuousChanges_ReportedWithinTenWindows()
    {
        // A change every 90 ms never leaves the path quiet for 100 ms; it is reported when it is 10 windows old.
        for (int i = 0; i < 11; i++)
        {
            _debouncer.Modified("/w/log");
            _time.Advance(TimeSpan.FromMilliseconds(90));
            Drain().ShouldBeEmpty();
        }

        _time.Advance(TimeSpan.FromMilliseconds(10));

        Drain().ShouldBe([new FileChange("/w/log", FileChangeKind.Modified)]);
    }

    [Fact]
    public void ReaderTooSlow_ChangesDroppedAndOverflowReported()
    {
        _debouncer.Created("/w/1");
        _debouncer.Created("/w/2");
        _debouncer.Created("/w/3");
        _time.Advance(Window); // the channel holds 2: the third is dropped

        Drain().ShouldBe([new FileChange("/w/1", FileChangeKind.Created), new FileChange("/w/2", FileChangeKind.Created)]);
        _time.Advance(Window);
        Drain().ShouldBe([new FileChange("/w", FileChangeKind.Overflow)]);
    }

    [Fact]
    public void Overflow_ReportedPromptly()
    {
        _debouncer.Overflow();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Drain().ShouldBe([new FileChange("/w", FileChangeKind.Overflow)]);
    }

    [Fact]
    public void FlushAll_ReportsPendingWithoutWaiting()
    {
        _debouncer.Modified("/w/a");

        _debouncer.FlushAll();

        Drain().ShouldBe([new FileChange("/w/a", FileChangeKind.Modified)]);
    }

    private List<FileChange> Drain()
    {
        var result = new List<FileChange>();
        while (_channel.Reader.TryRead(out FileChange change))
        {
            result.Add(change);
        }

        return result;
    }
}
