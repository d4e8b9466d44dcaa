using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace XSystem.IO.Internal;

/// <summary>
/// One atomic replacement of a file: a temporary sibling created exclusively, carrying the target's mode and
/// owner, then flushed, renamed over the target and followed by a flush of the directory. Shared by
/// <see cref="AtomicFile"/> and <see cref="AtomicFileWriter"/>.
/// </summary>
/// <remarks>Not thread-safe; one operation belongs to one writer.</remarks>
internal sealed class AtomicWriteOperation
{
    /// <summary>The suffix of every temporary file this library creates.</summary>
    internal const string TempSuffix = ".xsystmp";

    private const int HexDigits = 16;
    private const int MaxNameChars = 200; // keeps ".{name}.{16 hex}.xsystmp" under the usual 255-byte NAME_MAX
    private const int CreateAttempts = 8;

    private readonly AtomicWriteOptions _options;
    private readonly bool _targetExisted;
    private bool _published;

    private AtomicWriteOperation(string targetPath, string directoryPath, string tempPath, SafeFileHandle handle, bool targetExisted, AtomicWriteOptions options)
    {
        TargetPath = targetPath;
        DirectoryPath = directoryPath;
        TempPath = tempPath;
        Handle = handle;
        _targetExisted = targetExisted;
        _options = options;
    }

    /// <summary>The full path of the file that is replaced (after following symbolic links).</summary>
    public string TargetPath { get; }

    /// <summary>The directory that holds the target and the temporary file.</summary>
    public string DirectoryPath { get; }

    /// <summary>The full path of the temporary file.</summary>
    public string TempPath { get; }

    /// <summary>The open, write-only handle of the temporary file.</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>Whether the options ask for fsyncs.</summary>
    public bool Durable => _options.Durable;

    /// <summary>Resolves the target, creates the temporary file and copies the target's mode and owner onto it.</summary>
    public static AtomicWriteOperation Begin(string path, AtomicWriteOptions options)
    {
        string fullPath = Path.GetFullPath(path);
        if (Path.EndsInDirectorySeparator(fullPath))
        {
            throw new ArgumentException(IOMessages.PathEndsWithSeparator(path), nameof(path));
        }

        if (OperatingSystem.IsWindows())
        {
            return BeginWindows(fullPath, options);
        }

        PosixFileInfo info = PosixFileSystem.LStat(fullPath);
        if (info.Kind == PathKind.SymbolicLink)
        {
            // Write through the link: replace the file it finally points to and keep the link itself.
            fullPath = ResolveFinalTarget(fullPath);
            info = PosixFileSystem.LStat(fullPath);
        }

        if (info.Kind == PathKind.Directory)
        {
            throw new IOException(IOMessages.TargetIsDirectory(fullPath));
        }

        string directory = Path.GetDirectoryName(fullPath)!;
        (string tempPath, SafeFileHandle handle) = CreateTemp(directory, fullPath);
        try
        {
            if (info.Kind == PathKind.File)
            {
                // Owner first: chown clears the setuid/setgid bits that the mode then restores.
                if (info.HasOwner && PosixFileSystem.EffectiveUid == 0
                    && (info.Uid != PosixFileSystem.EffectiveUid || info.Gid != PosixFileSystem.EffectiveGid))
                {
                    PosixFileSystem.FChown(handle, info.Uid, info.Gid, tempPath);
                }

                // A new file already has 0666 & ~umask; only a different mode needs the extra system call.
                if (PosixFileSystem.DefaultCreateMode != info.Mode)
                {
                    File.SetUnixFileMode(handle, info.Mode);
                }
            }
            else if (options.UnixMode is { } mode)
            {
                File.SetUnixFileMode(handle, mode);
            }
        }
        catch
        {
            handle.Dispose();
            TryDelete(tempPath);
            throw;
        }

        return new AtomicWriteOperation(fullPath, directory, tempPath, handle, info.Kind == PathKind.File, options);
    }

    private static AtomicWriteOperation BeginWindows(string fullPath, AtomicWriteOptions options)
    {
        var info = new FileInfo(fullPath);
        if ((info.Attributes & FileAttributes.Directory) != 0 && info.Attributes != (FileAttributes)(-1))
        {
            throw new IOException(IOMessages.TargetIsDirectory(fullPath));
        }

        if (info.Exists && info.LinkTarget is not null)
        {
            fullPath = ResolveFinalTarget(fullPath);
        }

        string directory = Path.GetDirectoryName(fullPath)!;
        (string tempPath, SafeFileHandle handle) = CreateTemp(directory, fullPath);
        return new AtomicWriteOperation(fullPath, directory, tempPath, handle, File.Exists(fullPath), options);
    }

    private static string ResolveFinalTarget(string linkPath) =>
        File.ResolveLinkTarget(linkPath, returnFinalTarget: true)?.FullName ?? linkPath;

    private static (string TempPath, SafeFileHandle Handle) CreateTemp(string directory, string fullPath)
    {
        ReadOnlySpan<char> name = Path.GetFileName(fullPath.AsSpan());
        for (int attempt = 0; ; attempt++)
        {
            string tempPath = BuildTempPath(directory, name);
            try
            {
                return (tempPath, File.OpenHandle(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None));
            }
            catch (IOException) when (attempt < CreateAttempts && File.Exists(tempPath))
            {
                // A 64-bit random collision, or a stale file that happens to have this name: pick another name.
            }
        }
    }

    /// <summary>Flushes the temporary file to stable storage when durable, then closes it.</summary>
    public void Seal()
    {
        FlushToDisk();
        Handle.Dispose();
    }

    /// <summary>Flushes the temporary file to stable storage when durable; the handle stays open.</summary>
    public void FlushToDisk()
    {
        if (_options.Durable)
        {
            FlushFile(Handle);
        }
    }

    /// <summary>Keeps the backup if asked, renames the temporary file over the target and flushes the directory.</summary>
    public void Publish()
    {
        if (_options.KeepBackup && _targetExisted)
        {
            PublishBackup();
        }

        Replace(TempPath, TargetPath);
        _published = true;

        if (_options.Durable && !OperatingSystem.IsWindows())
        {
            try
            {
                PosixFileSystem.FsyncDirectory(DirectoryPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new IOException(IOMessages.PublishedButNotDurable(TargetPath, ex.Message), ex);
            }
        }
    }

    /// <summary>Closes and deletes the temporary file unless it was already renamed onto the target.</summary>
    public void Abort()
    {
        Handle.Dispose();
        if (!_published)
        {
            TryDelete(TempPath);
        }
    }

    private void PublishBackup()
    {
        ReadOnlySpan<char> name = Path.GetFileName(TargetPath.AsSpan());
        string backupPath = TargetPath + _options.BackupSuffix;
        string backupTemp = BuildTempPath(DirectoryPath, string.Concat(name, _options.BackupSuffix));
        try
        {
            if (!TryLink(TargetPath, backupTemp))
            {
                // No hard links here (FAT, some network shares): copy, flush, then publish the copy.
                File.Copy(TargetPath, backupTemp, overwrite: false);
                if (_options.Durable)
                {
                    using SafeFileHandle copy = File.OpenHandle(backupTemp, FileMode.Open, FileAccess.ReadWrite);
                    FlushFile(copy);
                }
            }

            Replace(backupTemp, backupPath);
        }
        catch
        {
            TryDelete(backupTemp);
            throw;
        }
    }

    private static bool TryLink(string existing, string newPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return WindowsFileSystem.TryLink(existing, newPath);
        }

        int errno = PosixFileSystem.TryLink(existing, newPath);
        return errno == 0;
    }

    private static void FlushFile(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            RandomAccess.FlushToDisk(handle);
        }
        else
        {
            PosixFileSystem.FlushFile(handle);
        }
    }

    private static void Replace(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            WindowsFileSystem.Replace(source, destination);
        }
        else
        {
            PosixFileSystem.Rename(source, destination);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure matters more. AtomicFile.CleanupOrphans reaps what is left.
        }
    }

    /// <summary>Builds <c>{directory}/.{name}.{16 lowercase hex}.xsystmp</c> with one string allocation.</summary>
    [SkipLocalsInit]
    internal static string BuildTempPath(string directory, ReadOnlySpan<char> name)
    {
        if (name.Length > MaxNameChars)
        {
            name = name[..MaxNameChars];
            if (char.IsHighSurrogate(name[^1]))
            {
                name = name[..^1];
            }
        }

        bool needsSeparator = !Path.EndsInDirectorySeparator(directory);
        int length = directory.Length + (needsSeparator ? 1 : 0) + 1 + name.Length + 1 + HexDigits + TempSuffix.Length;
        Span<char> buffer = length <= 512 ? stackalloc char[512] : new char[length];
        int pos = 0;
        directory.CopyTo(buffer);
        pos += directory.Length;
        if (needsSeparator)
        {
            buffer[pos++] = Path.DirectorySeparatorChar;
        }

        buffer[pos++] = '.';
        name.CopyTo(buffer[pos..]);
        pos += name.Length;
        buffer[pos++] = '.';
        ulong random = (ulong)Random.Shared.NextInt64(long.MinValue, long.MaxValue);
        random.TryFormat(buffer[pos..], out int written, "x16", provider: null);
        pos += written;
        TempSuffix.CopyTo(buffer[pos..]);
        pos += TempSuffix.Length;
        return new string(buffer[..pos]);
    }

    /// <summary>True when <paramref name="fileName"/> has the shape <c>.{name}.{16 lowercase hex}.xsystmp</c>.</summary>
    internal static bool IsTempName(ReadOnlySpan<char> fileName)
    {
        if (fileName.Length < 1 + 1 + 1 + HexDigits + TempSuffix.Length
            || fileName[0] != '.'
            || !fileName.EndsWith(TempSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> core = fileName[..^TempSuffix.Length];
        if (core[^(HexDigits + 1)] != '.')
        {
            return false;
        }

        foreach (char c in core[^HexDigits..])
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
