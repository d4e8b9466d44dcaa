namespace XSystem.IO;

/// <summary>What happened to a path, as reported by <see cref="FileWatcher"/>.</summary>
public enum FileChangeKind
{
    /// <summary>The file or directory appeared.</summary>
    Created,

    /// <summary>The content or size changed, or the file was replaced (for example saved by writing a temporary file and renaming it over the target).</summary>
    Modified,

    /// <summary>The file or directory disappeared.</summary>
    Deleted,

    /// <summary>The file or directory was renamed; <see cref="FileChange.OldPath"/> holds the previous path.</summary>
    Renamed,

    /// <summary>
    /// Changes were lost: the operating system's event buffer overflowed, or the reader fell more than
    /// <see cref="FileWatcherOptions.BufferCapacity"/> changes behind. <see cref="FileChange.FullPath"/> is the watched
    /// directory; rescan it to learn its current state.
    /// </summary>
    Overflow,
}

/// <summary>One debounced change reported by <see cref="FileWatcher.WatchAsync"/>.</summary>
/// <param name="FullPath">The absolute path that changed (for <see cref="FileChangeKind.Overflow"/>, the watched directory).</param>
/// <param name="Kind">What happened.</param>
/// <param name="OldPath">The previous absolute path for <see cref="FileChangeKind.Renamed"/>; otherwise <see langword="null"/>.</param>
/// <remarks>Thread safety: immutable value.</remarks>
public readonly record struct FileChange(string FullPath, FileChangeKind Kind, string? OldPath = null);
