namespace XSystem.IO;

/// <summary>Settings for <see cref="FileWatcher"/>. Validated once, when the watcher is constructed.</summary>
/// <remarks>Thread safety: set the properties before passing the options to <see cref="FileWatcher"/>; the watcher
/// copies them, so later changes have no effect on it.</remarks>
public sealed class FileWatcherOptions
{
    /// <summary>Whether changes in subdirectories are reported too. Default: <see langword="false"/>. Ignored when watching a single file.</summary>
    public bool IncludeSubdirectories { get; set; }

    /// <summary>A name pattern with <c>*</c> and <c>?</c> wildcards, matched against file and directory names.
    /// Default: <c>"*"</c> (everything). Ignored when watching a single file (its name is the filter).</summary>
    public string Filter { get; set; } = "*";

    /// <summary>
    /// How long a path must stay quiet before its changes are reported as one. Default: 100 ms. Zero reports each
    /// change as soon as the event arrives (still merged with events already pending). A path that keeps changing is
    /// reported at the latest after ten times this value.
    /// </summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Whether to poll instead of using operating system notifications, for file systems that do not deliver them
    /// (network shares, some container mounts). Default: <see langword="false"/>.
    /// </summary>
    public bool UsePolling { get; set; }

    /// <summary>How often polling mode compares snapshots (existence, length, last write time). Default: 1 second. Must be positive.</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most changes held while they are debounced or waiting for the reader. Beyond it the watcher drops changes and
    /// reports one <see cref="FileChangeKind.Overflow"/>. Default: 1024. Must be at least 1.
    /// </summary>
    public int BufferCapacity { get; set; } = 1024;

    /// <summary>The clock for debouncing and polling. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
