using System.Globalization;
using System.Text;

namespace XSystem.IO.Internal;

/// <summary>Error messages of <see cref="PathGuard"/>, <see cref="FileLock"/> and <see cref="FileWatcher"/>.</summary>
internal static partial class IOMessages
{
    public static string UnsafePath(string untrusted, string root, UnsafePathReason reason, string? detail)
    {
        string what = reason switch
        {
            UnsafePathReason.Traversal => "its '..' components step above the root",
            UnsafePathReason.OutsideRoot => "it is an absolute path outside the root",
            UnsafePathReason.SymlinkEscape => $"a symbolic link in it leads outside the root{Detail(detail)}",
            UnsafePathReason.SymlinkLoop => "resolving it follows more than 40 symbolic links (a loop?)",
            UnsafePathReason.InvalidCharacter => $"it contains a forbidden character{Detail(detail)}",
            UnsafePathReason.ReservedName => $"the name {detail} is a reserved Windows device name",
            UnsafePathReason.AlternateDataStream => $"the name {detail} contains ':' (NTFS alternate data stream syntax)",
            UnsafePathReason.TrailingDotOrSpace => $"the name {detail} ends in a dot or a space, which Windows strips",
            UnsafePathReason.PathTooLong => $"it is too long{Detail(detail)}",
            UnsafePathReason.ComponentTooLong => $"a name in it is too long{Detail(detail)}",
            _ => "it is not safe",
        };
        return $"The path {Quote(untrusted)} was rejected under root '{root}' ({reason}): {what}. "
            + "Reject the request, or ask for a relative path made of ordinary names inside the root.";
    }

    public static string PathGuardRootMissing(string root) =>
        $"The PathGuard root directory '{root}' does not exist. Create it before constructing the guard.";

    public static string PathGuardEmptyInput =>
        "The path is empty. Reject the request before asking the guard, or pass a relative path inside the root.";

    public static string PathGuardOption(string name, int value) =>
        $"PathGuardOptions.{name} must be at least 1, but was {value.ToString(CultureInfo.InvariantCulture)}.";

    public static string FileLockTimeout(string path, TimeSpan timeout, int? holderProcessId) =>
        $"Could not acquire the file lock '{path}' within {timeout.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms: "
        + (holderProcessId is int pid
            ? $"process {pid.ToString(CultureInfo.InvariantCulture)} holds it. "
            : "another holder (in this or another process) has it. ")
        + "Wait longer, or find and stop the holder; a holder that dies releases the lock automatically.";

    public static string FileLockOpenFailed(string path, int errno) =>
        $"Could not open the lock file '{path}' (errno {errno.ToString(CultureInfo.InvariantCulture)}). "
        + "Check that its directory exists and that this process may create and write files there.";

    public static string FileLockFailed(string path, int errno) =>
        $"Locking '{path}' failed (errno {errno.ToString(CultureInfo.InvariantCulture)}). "
        + "The file system may not support flock (some network file systems do not); put the lock file on a local disk.";

    public static string FileWatcherPathMissing(string path) =>
        $"Cannot watch '{path}': neither it nor its parent directory exists. Create the directory first.";

    public static string FileWatcherAlreadyEnumerating =>
        "This FileWatcher is already being enumerated. WatchAsync supports one reader at a time; create another FileWatcher for a second reader.";

    public static string FileWatcherOption(string name, string requirement) =>
        $"FileWatcherOptions.{name} {requirement}.";

    private static string Detail(string? detail) => detail is null ? string.Empty : $" ({detail})";

    /// <summary>Quotes untrusted text for a message, escaping control characters and truncating very long input.</summary>
    internal static string Quote(string text)
    {
        const int Max = 200;
        var sb = new StringBuilder(Math.Min(text.Length, Max) + 8);
        sb.Append('\'');
        for (int i = 0; i < text.Length && i < Max; i++)
        {
            char c = text[i];
            if (c < 0x20 || c == 0x7F)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        if (text.Length > Max)
        {
            sb.Append(CultureInfo.InvariantCulture, $"... ({text.Length} chars)");
        }

        return sb.Append('\'').ToString();
    }
}
