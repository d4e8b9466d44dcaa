using XSystem.IO.Internal;

namespace XSystem.IO;

public static partial class AtomicFile
{
    /// <summary>
    /// Deletes temporary files that atomic writes left behind when their process was killed: files in
    /// <paramref name="directory"/> (not its subdirectories) named <c>.{name}.{16 hex digits}.xsystmp</c> whose
    /// last write is at least <paramref name="olderThan"/> ago. No other file is touched.
    /// </summary>
    /// <param name="directory">The directory to clean.</param>
    /// <param name="olderThan">The minimum age; choose one longer than any write in progress can take (for example one hour).</param>
    /// <returns>The number of files deleted. Files that cannot be deleted (permissions, in use) are skipped and not counted.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    public static int CleanupOrphans(string directory, TimeSpan olderThan) =>
        CleanupOrphans(directory, olderThan, TimeProvider.System);

    /// <summary>Like <see cref="CleanupOrphans(string, TimeSpan)"/>, reading the current time from <paramref name="timeProvider"/>.</summary>
    /// <param name="directory">The directory to clean.</param>
    /// <param name="olderThan">The minimum age of a temporary file to delete; zero or positive.</param>
    /// <param name="timeProvider">The clock; tests pass a fake one.</param>
    /// <returns>The number of files deleted.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="olderThan"/> is negative.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    public static int CleanupOrphans(string directory, TimeSpan olderThan, TimeProvider timeProvider)
    {
        Guard.NotNullOrEmptyPath(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(olderThan, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);

        DateTime cutoff = timeProvider.GetUtcNow().UtcDateTime - olderThan;
        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            AttributesToSkip = 0, // temp names start with a dot, which Unix reports as Hidden
            IgnoreInaccessible = true,
            MatchType = MatchType.Simple,
        };

        int removed = 0;
        foreach (FileInfo file in new DirectoryInfo(directory).EnumerateFiles("*" + AtomicWriteOperation.TempSuffix, enumeration))
        {
            if (!AtomicWriteOperation.IsTempName(file.Name) || file.LastWriteTimeUtc > cutoff)
            {
                continue;
            }

            try
            {
                file.Delete();
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Documented: files that cannot be deleted are skipped.
            }
        }

        return removed;
    }
}
