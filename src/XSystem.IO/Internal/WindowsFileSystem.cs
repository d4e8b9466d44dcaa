using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace XSystem.IO.Internal;

/// <summary>
/// Windows replacements for <c>rename(2)</c> and <c>link(2)</c>: <c>MoveFileExW</c> with
/// <c>MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH</c>, retried a few times when another process
/// (an antivirus scanner, the search indexer) holds the target open without sharing delete access.
/// </summary>
[SupportedOSPlatform("windows")]
internal static partial class WindowsFileSystem
{
    private const uint MOVEFILE_REPLACE_EXISTING = 0x1;
    private const uint MOVEFILE_WRITE_THROUGH = 0x8;

    private const int ERROR_ACCESS_DENIED = 5;
    private const int ERROR_SHARING_VIOLATION = 32;
    private const int ERROR_LOCK_VIOLATION = 33;

    /// <summary>How many times a replace is attempted before a sharing violation is reported.</summary>
    internal const int ReplaceAttempts = 8;

    /// <summary>Replaces <paramref name="destination"/> with <paramref name="source"/>, retrying transient sharing errors.</summary>
    internal static void Replace(string source, string destination)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (MoveFileExW(source, destination, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
            {
                return;
            }

            int error = Marshal.GetLastPInvokeError();
            bool transient = error is ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION or ERROR_ACCESS_DENIED;
            if (!transient || attempt >= ReplaceAttempts)
            {
                string message = IOMessages.SystemCallFailed(
                    "replace (MoveFileEx)", destination, Marshal.GetPInvokeErrorMessage(error), error);
                throw error == ERROR_ACCESS_DENIED ? new UnauthorizedAccessException(message) : new IOException(message, error);
            }

            // Linear back-off: 10, 20, ... 70 ms, at most about 0.3 s in total.
            Thread.Sleep(10 * attempt);
        }
    }

    /// <summary>Creates a hard link; returns true on success.</summary>
    internal static bool TryLink(string existing, string newPath) => CreateHardLinkW(newPath, existing, IntPtr.Zero);

    [LibraryImport("kernel32.dll", StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool MoveFileExW(string existingFileName, string newFileName, uint flags);

    [LibraryImport("kernel32.dll", StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLinkW(string fileName, string existingFileName, IntPtr securityAttributes);
}
