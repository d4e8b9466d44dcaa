using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace XSystem.IO.Internal;

/// <summary>What one <c>lstat(2)</c> call says about a path.</summary>
internal enum PathKind
{
    /// <summary>Nothing exists at the path.</summary>
    Missing,

    /// <summary>A regular file (or any other non-directory, non-link entry).</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (not followed).</summary>
    SymbolicLink,
}

/// <summary>The mode and owner of an existing file, read with a single <c>lstat(2)</c>.</summary>
internal readonly struct PosixFileInfo
{
    public PosixFileInfo(PathKind kind, UnixFileMode mode, uint uid, uint gid, bool hasOwner)
    {
        Kind = kind;
        Mode = mode;
        Uid = uid;
        Gid = gid;
        HasOwner = hasOwner;
    }

    public PathKind Kind { get; }

    public UnixFileMode Mode { get; }

    public uint Uid { get; }

    public uint Gid { get; }

    /// <summary>True when <see cref="Uid"/> and <see cref="Gid"/> were read (the platform's stat layout is known).</summary>
    public bool HasOwner { get; }
}

/// <summary>
/// The few POSIX calls .NET has no managed API for: <c>lstat</c> for mode and owner in one call,
/// <c>fchown</c>, <c>rename</c>, <c>link</c>, and <c>open</c> + <c>fsync</c> on a directory.
/// Linux (x64, arm64) and macOS read the owner from <c>lstat</c>; on other Unix platforms the owner is
/// not preserved and the mode is read through <see cref="File.GetUnixFileMode(string)"/>.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static partial class PosixFileSystem
{
    private const string LibC = "libc";

    // errno values shared by Linux and macOS.
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EACCES = 13;
    internal const int EEXIST = 17;
    internal const int EXDEV = 18;
    internal const int ENOTDIR = 20;
    internal const int EISDIR = 21;
    internal const int EINVAL = 22;
    internal const int EMLINK = 31;
    internal const int EROFS = 30;

    private const int FileTypeMask = 0xF000; // S_IFMT
    private const int DirectoryType = 0x4000; // S_IFDIR
    private const int SymbolicLinkType = 0xA000; // S_IFLNK
    private const int PermissionBits = 0xFFF; // rwx for u/g/o plus setuid, setgid, sticky

    private const int F_FULLFSYNC = 51; // macOS fcntl command

    private static readonly StatLayout Layout = DetectLayout();
    private static int _lstatUnavailable; // 1 once the libc lstat symbol turned out to be missing (glibc < 2.33)

    /// <summary>The effective user id of this process, read once.</summary>
    internal static readonly uint EffectiveUid = geteuid();

    /// <summary>The effective group id of this process, read once.</summary>
    internal static readonly uint EffectiveGid = getegid();

    /// <summary>
    /// The mode a newly created file gets (0666 less the process umask), read once from <c>/proc/self/status</c> on Linux;
    /// null where it cannot be read. Lets an atomic write skip the <c>fchmod</c> when the target already has that mode.
    /// A process that changes its umask after the first atomic write keeps the old value here; the only effect is that
    /// such a target's mode is then set by an explicit <c>fchmod</c> instead of being inherited.
    /// </summary>
    internal static readonly UnixFileMode? DefaultCreateMode = ReadDefaultCreateMode();

    private static UnixFileMode? ReadDefaultCreateMode()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                {
                    int umask = Convert.ToInt32(line.AsSpan(6).Trim().ToString(), 8);
                    return (UnixFileMode)(0x1B6 & ~umask); // 0666 & ~umask
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // No /proc: always set the mode explicitly.
        }

        return null;
    }

    private enum StatLayout
    {
        Unknown,
        LinuxX64,
        LinuxGeneric, // arm64, riscv64, loongarch64 (asm-generic struct stat)
        MacOS,
    }

    /// <summary>Reads kind, mode and owner of <paramref name="path"/> without following a final symbolic link.</summary>
    /// <exception cref="IOException">The call failed for a reason other than "does not exist".</exception>
    internal static PosixFileInfo LStat(string path)
    {
        if (Layout != StatLayout.Unknown && Volatile.Read(ref _lstatUnavailable) == 0)
        {
            try
            {
                return LStatNative(path);
            }
            catch (EntryPointNotFoundException)
            {
                Volatile.Write(ref _lstatUnavailable, 1);
            }
        }

        return LStatManaged(path);
    }

    [SkipLocalsInit]
    private static unsafe PosixFileInfo LStatNative(string path)
    {
        // struct stat is 144 bytes on Linux x64 and macOS, 128 on asm-generic Linux; 256 leaves room.
        byte* buffer = stackalloc byte[256];
        int rc = Layout == StatLayout.MacOS && RuntimeInformation.ProcessArchitecture == Architecture.X64
            ? lstat_inode64(path, buffer)
            : lstat(path, buffer);
        if (rc != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR)
            {
                return default;
            }

            throw ErrnoException(errno, path, "read the attributes of");
        }

        int mode;
        uint uid, gid;
        switch (Layout)
        {
            case StatLayout.LinuxX64:
                // st_dev u64, st_ino u64, st_nlink u64, st_mode u32, st_uid u32, st_gid u32
                mode = *(int*)(buffer + 24);
                uid = *(uint*)(buffer + 28);
                gid = *(uint*)(buffer + 32);
                break;
            case StatLayout.LinuxGeneric:
                // st_dev u64, st_ino u64, st_mode u32, st_nlink u32, st_uid u32, st_gid u32
                mode = *(int*)(buffer + 16);
                uid = *(uint*)(buffer + 24);
                gid = *(uint*)(buffer + 28);
                break;
            default:
                // macOS 64-bit-inode stat: st_dev i32, st_mode u16, st_nlink u16, st_ino u64, st_uid u32, st_gid u32
                mode = *(ushort*)(buffer + 4);
                uid = *(uint*)(buffer + 16);
                gid = *(uint*)(buffer + 20);
                break;
        }

        PathKind kind = (mode & FileTypeMask) switch
        {
            DirectoryType => PathKind.Directory,
            SymbolicLinkType => PathKind.SymbolicLink,
            _ => PathKind.File,
        };
        return new PosixFileInfo(kind, (UnixFileMode)(mode & PermissionBits), uid, gid, hasOwner: true);
    }

    private static PosixFileInfo LStatManaged(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Directory.Exists(path) ? new PosixFileInfo(PathKind.Directory, default, 0, 0, false) : default;
        }

        if (info.LinkTarget is not null)
        {
            return new PosixFileInfo(PathKind.SymbolicLink, default, 0, 0, false);
        }

        return new PosixFileInfo(PathKind.File, info.UnixFileMode, 0, 0, false);
    }

    /// <summary>Changes the owner of an open file.</summary>
    internal static void FChown(SafeFileHandle handle, uint uid, uint gid, string path)
    {
        if (fchown(handle, uid, gid) != 0)
        {
            throw ErrnoException(Marshal.GetLastPInvokeError(), path, "set the owner of");
        }
    }

    /// <summary>Atomically replaces <paramref name="destination"/> with <paramref name="source"/> (<c>rename(2)</c>).</summary>
    internal static void Rename(string source, string destination)
    {
        if (rename(source, destination) != 0)
        {
            throw ErrnoException(Marshal.GetLastPInvokeError(), destination, "rename the temporary file onto");
        }
    }

    /// <summary>Creates a hard link; returns 0 or the errno.</summary>
    internal static int TryLink(string existing, string newPath) =>
        link(existing, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Flushes a file to stable storage: <c>F_FULLFSYNC</c> on macOS (falling back to fsync), fsync elsewhere.</summary>
    internal static void FlushFile(SafeFileHandle handle)
    {
        if (OperatingSystem.IsMacOS() && fcntl(handle, F_FULLFSYNC) == 0)
        {
            return;
        }

        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>
    /// Makes a directory's entries durable: <c>open(O_RDONLY|O_DIRECTORY)</c>, <c>fsync</c>, <c>close</c>.
    /// File systems that cannot fsync a directory (EINVAL, ENOTSUP) are accepted silently.
    /// </summary>
    internal static void FsyncDirectory(string directory)
    {
        int fd = open(directory, DirectoryOpenFlags());
        if (fd < 0)
        {
            throw ErrnoException(Marshal.GetLastPInvokeError(), directory, "open the directory");
        }

        int rc = fsync(fd);
        int errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        _ = close(fd);
        if (rc != 0 && errno != EINVAL && !IsNotSupported(errno))
        {
            throw ErrnoException(errno, directory, "flush (fsync) the directory");
        }
    }

    private static bool IsNotSupported(int errno) =>
        OperatingSystem.IsMacOS() ? errno is 45 or 102 : errno == 95;

    private static int DirectoryOpenFlags()
    {
        // O_RDONLY = 0 everywhere. O_DIRECTORY and O_CLOEXEC differ per platform.
        if (OperatingSystem.IsMacOS())
        {
            return 0x100000 | 0x1000000;
        }

        int oDirectory = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 ? 0x4000 : 0x10000;
        return oDirectory | 0x80000;
    }

    /// <summary>Builds the exception .NET would throw for <paramref name="errno"/>, naming the path and the action.</summary>
    internal static Exception ErrnoException(int errno, string path, string action)
    {
        string message = IOMessages.SystemCallFailed(action, path, Marshal.GetPInvokeErrorMessage(errno), errno);
        return errno switch
        {
            ENOENT => new FileNotFoundException(message, path),
            ENOTDIR => new DirectoryNotFoundException(message),
            EACCES or EPERM => new UnauthorizedAccessException(message),
            _ => new IOException(message, errno),
        };
    }

    private static StatLayout DetectLayout()
    {
        if (OperatingSystem.IsMacOS())
        {
            return StatLayout.MacOS;
        }

        if (OperatingSystem.IsLinux())
        {
            return RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => StatLayout.LinuxX64,
                Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => StatLayout.LinuxGeneric,
                _ => StatLayout.Unknown,
            };
        }

        return StatLayout.Unknown;
    }

    [LibraryImport(LibC, EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int lstat(string path, byte* buffer);

    [LibraryImport(LibC, EntryPoint = "lstat$INODE64", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int lstat_inode64(string path, byte* buffer);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int fchown(SafeFileHandle fd, uint owner, uint group);

    [LibraryImport(LibC, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int rename(string oldPath, string newPath);

    [LibraryImport(LibC, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int link(string oldPath, string newPath);

    [LibraryImport(LibC, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int fcntl(SafeFileHandle fd, int command);

    [LibraryImport(LibC)]
    private static partial uint geteuid();

    [LibraryImport(LibC)]
    private static partial uint getegid();
}
