using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace XSystem.IO.Internal;

/// <summary>
/// <c>flock(2)</c> on a lock file opened with <c>open(2)</c> directly. The file is not opened through
/// <see cref="FileStream"/> because .NET itself takes an advisory <c>flock</c> on files it opens on Unix (to emulate
/// <see cref="FileShare"/>), which would collide with the lock held here.
/// </summary>
internal static partial class PosixFileLock
{
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int LockUnlock = 8;
    private const int ORdWr = 2;
    private const uint CreateMode = 0x1B6; // 0666, narrowed by the umask

    private static readonly bool IsApple = OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsMacCatalyst();
    private static readonly int OCreat = IsApple ? 0x200 : 0x40;
    private static readonly int OExcl = IsApple ? 0x800 : 0x80;
    private static readonly int OCloExec = IsApple ? 0x1000000 : 0x80000;
    private static readonly int EWouldBlock = IsApple ? 35 : 11;
    private const int EIntr = 4;
    private const int ENoEnt = 2;
    private const int EExist = 17;

    /// <summary>Opens (creating when missing) the lock file for reading and writing, close-on-exec.</summary>
    public static SafeFileHandle Open(string path)
    {
        while (true)
        {
            // Open an existing file first: open's mode argument is variadic in C, and on Apple arm64 variadic
            // arguments travel on the stack, so a file we create there gets its mode fixed with fchmod below.
            int fd = OpenFile(path, ORdWr | OCloExec, 0);
            if (fd >= 0)
            {
                return new SafeFileHandle(fd, ownsHandle: true);
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == EIntr)
            {
                continue;
            }

            if (errno != ENoEnt)
            {
                throw new IOException(IOMessages.FileLockOpenFailed(path, errno));
            }

            fd = OpenFile(path, ORdWr | OCreat | OExcl | OCloExec, CreateMode);
            if (fd >= 0)
            {
                var handle = new SafeFileHandle(fd, ownsHandle: true);
                if (IsApple)
                {
                    _ = FChmod(fd, 0x1A4); // 0644
                }

                return handle;
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno is not (EExist or EIntr))
            {
                throw new IOException(IOMessages.FileLockOpenFailed(path, errno));
            }

            // Another process created it between the two calls: open it on the next round.
        }
    }

    /// <summary>Tries to take the exclusive lock without blocking. False when another open file description holds it.</summary>
    public static bool TryLock(SafeFileHandle handle, string path)
    {
        while (true)
        {
            if (FLock(handle, LockExclusive | LockNonBlocking) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == EWouldBlock)
            {
                return false;
            }

            if (errno != EIntr)
            {
                throw new IOException(IOMessages.FileLockFailed(path, errno));
            }
        }
    }

    /// <summary>Releases the lock explicitly (closing the descriptor would release it too).</summary>
    public static void Unlock(SafeFileHandle handle) => _ = FLock(handle, LockUnlock);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int FLock(SafeFileHandle fd, int operation);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FChmod(int fd, uint mode);
}
