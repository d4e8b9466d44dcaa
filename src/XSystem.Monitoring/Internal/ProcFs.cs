using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace XSystem.Monitoring.Internal;

/// <summary>Parses the text of a small kernel file.</summary>
/// <typeparam name="TResult">What the parser produces.</typeparam>
/// <param name="text">The whole file as characters.</param>
internal delegate TResult ProcTextParser<out TResult>(ReadOnlySpan<char> text);

/// <summary>Parses the text of a small kernel file with one extra argument (avoids capturing lambdas).</summary>
internal delegate TResult ProcTextParser<in TState, out TResult>(ReadOnlySpan<char> text, TState state);

/// <summary>
/// Reads small files under /proc and /sys. The kernel reports their size as 0 (or 4096), so <see cref="File.ReadAllText(string)"/>
/// stats, allocates and may truncate; here the file is read with positional reads into a pooled buffer until a read returns 0,
/// then decoded into a pooled character buffer and handed to a parser as a span. Every method tolerates the file vanishing
/// or being unreadable (a process exits, a cgroup is removed, a sysfs attribute refuses to read) and returns "not found".
/// </summary>
internal static class ProcFs
{
    private const int InitialSize = 4096;
    private const int MaxSize = 64 * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/> and runs <paramref name="parser"/> on its text.</summary>
    /// <returns><see langword="false"/> (and <paramref name="result"/> default) when the file does not exist or cannot be read.</returns>
    public static bool TryParse<TResult>(string path, ProcTextParser<TResult> parser, [MaybeNullWhen(false)] out TResult result)
    {
        byte[]? bytes = TryReadPooled(path, out int length);
        if (bytes is null)
        {
            result = default!;
            return false;
        }

        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        try
        {
            int count = Encoding.UTF8.GetChars(bytes, 0, length, chars, 0);
            result = parser(chars.AsSpan(0, count));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Reads <paramref name="path"/> and runs <paramref name="parser"/> on its text with a state argument.</summary>
    public static bool TryParse<TState, TResult>(string path, TState state, ProcTextParser<TState, TResult> parser, [MaybeNullWhen(false)] out TResult result)
    {
        byte[]? bytes = TryReadPooled(path, out int length);
        if (bytes is null)
        {
            result = default!;
            return false;
        }

        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        try
        {
            int count = Encoding.UTF8.GetChars(bytes, 0, length, chars, 0);
            result = parser(chars.AsSpan(0, count), state);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Reads a whole small file as a string, or <see langword="null"/> when it does not exist or cannot be read.</summary>
    public static string? ReadTextOrNull(string path) =>
        TryParse(path, static text => text.ToString(), out string? text) ? text : null;

    /// <summary>Reads a one-value file (sysfs attribute) trimmed of white space, or <see langword="null"/>.</summary>
    public static string? ReadTrimmedOrNull(string path) =>
        TryParse(path, static text => text.Trim().ToString(), out string? text) ? text : null;

    /// <summary>Reads a file holding one integer (sysfs attribute), or <see langword="null"/> when absent, unreadable or not a number.</summary>
    public static long? ReadInt64OrNull(string path) =>
        TryParse(path, static text => long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : (long?)null, out long? value)
            ? value
            : null;

    /// <summary>Reads the whole file into a buffer rented from <see cref="ArrayPool{T}.Shared"/>; the caller returns it.</summary>
    private static byte[]? TryReadPooled(string path, out int length)
    {
        length = 0;
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (IsVanished(ex))
        {
            return null;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        try
        {
            using (handle)
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= MaxSize)
                        {
                            break;
                        }

                        byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    int read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
                    if (read <= 0)
                    {
                        break;
                    }

                    length += read;
                }
            }

            return buffer;
        }
        catch (Exception ex) when (IsVanished(ex))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            length = 0;
            return null;
        }
    }

    /// <summary>Errors that mean "the file is gone or not for us": a process exited, access was denied, or the attribute cannot be read.</summary>
    internal static bool IsVanished(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or NotSupportedException;
}
