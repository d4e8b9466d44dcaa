using XSystem.IO.Internal;

namespace XSystem.IO;

/// <summary>
/// Settings for <see cref="AtomicFile"/> and <see cref="AtomicFileWriter"/>. Each property is checked when it is
/// set, so an options object that exists is valid; reuse one instance for many writes.
/// </summary>
/// <remarks>Thread safety: instances are immutable once initialised and safe to share between threads.</remarks>
public sealed class AtomicWriteOptions
{
    private readonly string _backupSuffix = ".bak";
    private readonly UnixFileMode? _unixMode;

    /// <summary>The defaults: durable, no backup, new files get <c>0666 &amp; ~umask</c>.</summary>
    public static AtomicWriteOptions Default { get; } = new();

    /// <summary>
    /// Whether the write survives a power failure once the call returns: the temporary file is flushed to
    /// stable storage (<c>fsync</c>, <c>F_FULLFSYNC</c> on macOS, <c>FlushFileBuffers</c> on Windows) before
    /// the rename, and the directory is flushed after it. <see langword="false"/> skips both flushes: the
    /// replacement is still atomic for other processes, but after a crash of the machine the file may hold
    /// the old content. Default: <see langword="true"/>.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>
    /// Whether the previous version of the file is kept as <c>path + </c><see cref="BackupSuffix"/>. The backup is
    /// published atomically too (hard link, or copy when the file system has no hard links, then rename), so at
    /// every moment both the file and a backup exist. No backup is made when the file did not exist.
    /// Default: <see langword="false"/>.
    /// </summary>
    public bool KeepBackup { get; init; }

    /// <summary>
    /// The suffix appended to the file name for the backup when <see cref="KeepBackup"/> is set. Must be a
    /// non-empty file-name fragment without directory separators. Default: <c>".bak"</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty, white space, or contains a separator or NUL.</exception>
    public string BackupSuffix
    {
        get => _backupSuffix;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            if (value.AsSpan().IndexOfAny('/', '\\', '\0') >= 0)
            {
                throw new ArgumentException(IOMessages.BadBackupSuffix(value), nameof(BackupSuffix));
            }

            _backupSuffix = value;
        }
    }

    /// <summary>
    /// The Unix permissions of a file that does not exist yet, applied exactly (the umask does not apply).
    /// When the file exists, its mode is kept and this value is ignored. Ignored on Windows.
    /// Default: <see langword="null"/>, which gives new files <c>0666 &amp; ~umask</c> like <see cref="File.Create(string)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value has bits outside the 12 permission bits.</exception>
    public UnixFileMode? UnixMode
    {
        get => _unixMode;
        init
        {
            if (value is { } mode && ((int)mode & ~0xFFF) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(UnixMode), mode, IOMessages.BadUnixMode);
            }

            _unixMode = value;
        }
    }
}
