using System.Globalization;

namespace XSystem.IO.Internal;

/// <summary>Error messages of the IO module (atomic writes and safe reads).</summary>
internal static partial class IOMessages
{
    internal const string BadUnixMode =
        "UnixMode may only contain permission bits (0 to 0o7777: read/write/execute for user, group and others, plus setuid, setgid and sticky).";

    internal static string BadBackupSuffix(string suffix) =>
        $"The backup suffix '{suffix}' contains a directory separator or NUL. Use a file-name fragment such as '.bak'.";

    internal static string SystemCallFailed(string action, string path, string reason, int code) =>
        string.Create(CultureInfo.InvariantCulture, $"Could not {action} '{path}': {reason} (error {code}).");

    internal static string TargetIsDirectory(string path) =>
        $"Cannot write '{path}' atomically: it is a directory. Pass the path of a file.";

    internal static string PathEndsWithSeparator(string path) =>
        $"The path '{path}' ends with a directory separator; pass the path of a file, not a directory.";

    internal static string TempNamesExhausted(string directory) =>
        $"Could not create a unique temporary file in '{directory}' after several attempts. Remove stale '*.xsystmp' files with AtomicFile.CleanupOrphans.";

    internal static string PublishedButNotDurable(string path, string reason) =>
        $"The new content of '{path}' is in place, but flushing its directory to disk failed, so the rename may not survive a power failure: {reason}";

    internal static string WriterCommitted(string path) =>
        $"The atomic write to '{path}' was already committed; the writer accepts no more data. Start another write with AtomicFile.Create.";

    internal static string WriterDiscarded(string path) =>
        $"The atomic writer for '{path}' was disposed without a commit, so its data was discarded. Start another write with AtomicFile.Create.";

    internal static string WriterAlreadyCommitted(string path) =>
        $"The atomic write to '{path}' was already committed; Commit may be called only once.";

    internal static string FileTooLarge(string path, long length, long maxBytes, bool grew) =>
        grew
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"The file '{path}' grew while it was read to more than {maxBytes} bytes ({ByteSize.Format(maxBytes)}), the limit set by SafeReadOptions.MaxBytes; reading stopped at {length} bytes. Raise MaxBytes if the file is trusted, or read it as a stream.")
            : string.Create(
                CultureInfo.InvariantCulture,
                $"The file '{path}' is {length} bytes ({ByteSize.Format(length)}), more than the limit of {maxBytes} bytes ({ByteSize.Format(maxBytes)}) set by SafeReadOptions.MaxBytes. Raise MaxBytes if the file is trusted, or read it as a stream.");

    internal static string InvalidText(string path, string encodingName, long offset, string badBytes) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"The file '{path}' is not valid {encodingName}: invalid byte sequence [{badBytes}] at byte offset {offset}. Fix the file, pass its real encoding in SafeReadOptions.Encoding, or set SafeReadOptions.ReplaceInvalid = true to replace invalid bytes with U+FFFD.");
}
