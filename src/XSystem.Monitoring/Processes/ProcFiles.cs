using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;

namespace XSystem.Monitoring;

/// <summary>The outcome of reading one /proc file.</summary>
internal enum ProcReadStatus
{
    /// <summary>The whole file was read.</summary>
    Ok,

    /// <summary>The file or the process does not exist (ENOENT, ESRCH).</summary>
    NotFound,

    /// <summary>The kernel refused the read (EACCES, EPERM).</summary>
    AccessDenied,
}

/// <summary>
/// Reads whole /proc files of processes without allocating: /proc files report size 0, so the reader loops on
/// read(2) into a growing pooled buffer until it returns 0. Paths are built as UTF-8 on the stack.
/// </summary>
internal static class ProcFiles
{
    private const int MaxPath = 128;

    /// <summary>Rents a buffer big enough for most /proc files.</summary>
    public static byte[] RentBuffer() => ArrayPool<byte>.Shared.Rent(4096);

    /// <summary>Returns a buffer from <see cref="RentBuffer"/>.</summary>
    public static void ReturnBuffer(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    /// <summary>Reads <c>/proc/&lt;pid&gt;/&lt;name&gt;</c> (pid 0 or less means <c>/proc/&lt;name&gt;</c>).</summary>
    public static ProcReadStatus TryRead(int pid, ReadOnlySpan<byte> name, ref byte[] buffer, out int length)
    {
        Span<byte> path = stackalloc byte[MaxPath];
        int pathLength = BuildPath(pid, name, path);
        return TryReadPath(path[..(pathLength + 1)], ref buffer, out length);
    }

    /// <summary>Reads a file by its NUL-terminated UTF-8 path.</summary>
    public static unsafe ProcReadStatus TryReadPath(ReadOnlySpan<byte> nulTerminatedPath, ref byte[] buffer, out int length)
    {
        length = 0;
        int fd;
        fixed (byte* p = nulTerminatedPath)
        {
            do
            {
                fd = ProcessNative.Open(p, ProcessNative.ORdOnly | ProcessNative.OCloExec);
            }
            while (fd < 0 && Marshal.GetLastPInvokeError() == ProcessNative.EINTR);
        }

        if (fd < 0)
        {
            return StatusOf(Marshal.GetLastPInvokeError());
        }

        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                nint read;
                fixed (byte* b = &buffer[length])
                {
                    read = ProcessNative.Read(fd, b, buffer.Length - length);
                }

                if (read == 0)
                {
                    return ProcReadStatus.Ok;
                }

                if (read < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == ProcessNative.EINTR)
                    {
                        continue;
                    }

                    length = 0;
                    return StatusOf(errno);
                }

                length += (int)read;
            }
        }
        finally
        {
            _ = ProcessNative.Close(fd);
        }
    }

    /// <summary>Reads a whole file (any path) as UTF-8 text; <paramref name="text"/> is empty unless the status is Ok.</summary>
    public static ProcReadStatus TryReadText(string path, out string text)
    {
        byte[] buffer = RentBuffer();
        try
        {
            int max = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
            Span<byte> utf8 = max <= 512 ? stackalloc byte[max] : new byte[max];
            int n = Encoding.UTF8.GetBytes(path, utf8);
            utf8[n] = 0;
            ProcReadStatus status = TryReadPath(utf8[..(n + 1)], ref buffer, out int length);
            text = status == ProcReadStatus.Ok ? Encoding.UTF8.GetString(buffer, 0, length) : string.Empty;
            return status;
        }
        finally
        {
            ReturnBuffer(buffer);
        }
    }

    /// <summary>
    /// Reads the target of the symbolic link <c>/proc/&lt;pid&gt;/&lt;name&gt;</c> (exe, cwd, fd/N).
    /// </summary>
    public static unsafe ProcReadStatus TryReadLink(int pid, ReadOnlySpan<byte> name, out string target)
    {
        Span<byte> path = stackalloc byte[MaxPath];
        _ = BuildPath(pid, name, path);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4097);
        try
        {
            nint n;
            fixed (byte* p = path)
            fixed (byte* b = buffer)
            {
                n = ProcessNative.ReadLink(p, b, buffer.Length);
            }

            if (n < 0)
            {
                target = string.Empty;
                int errno = Marshal.GetLastPInvokeError();
                return StatusOf(errno);
            }

            target = Encoding.UTF8.GetString(buffer, 0, (int)n);
            return ProcReadStatus.Ok;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes <c>/proc/&lt;pid&gt;/&lt;name&gt;\0</c> into <paramref name="path"/> and returns the length without the NUL.</summary>
    internal static int BuildPath(int pid, ReadOnlySpan<byte> name, Span<byte> path)
    {
        ReadOnlySpan<byte> prefix = "/proc/"u8;
        prefix.CopyTo(path);
        int at = prefix.Length;
        if (pid > 0)
        {
            Utf8Formatter.TryFormat(pid, path[at..], out int written);
            at += written;
            path[at++] = (byte)'/';
        }

        if (name.Length > path.Length - at - 1)
        {
            throw new ArgumentException("The /proc path is too long.", nameof(name));
        }

        name.CopyTo(path[at..]);
        at += name.Length;
        path[at] = 0;
        return at;
    }

    /// <summary>Whether <c>/proc/&lt;pid&gt;</c> exists.</summary>
    public static bool PidDirectoryExists(int pid) => Directory.Exists("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static ProcReadStatus StatusOf(int errno) => errno switch
    {
        ProcessNative.EACCES or ProcessNative.EPERM => ProcReadStatus.AccessDenied,
        _ => ProcReadStatus.NotFound,
    };
}
