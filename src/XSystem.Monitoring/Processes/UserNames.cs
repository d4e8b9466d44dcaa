using System.Globalization;

namespace XSystem.Monitoring;

/// <summary>
/// Maps user ids to names from /etc/passwd, re-reading the file when it changes. Avoids getpwuid_r, whose NSS
/// modules are not safe to load in every process; users known only to LDAP/SSSD show as their number.
/// </summary>
internal static class UserNames
{
    private const string PasswdPath = "/etc/passwd";
    private static volatile Snapshot? _snapshot;

    /// <summary>The user name for <paramref name="uid"/>, or the number as text when it has no /etc/passwd entry.</summary>
    public static string NameOf(int uid)
    {
        Snapshot snapshot = Current();
        return snapshot.Names.TryGetValue(uid, out string? name) ? name : uid.ToString(CultureInfo.InvariantCulture);
    }

    internal static Dictionary<int, string> Parse(string passwd)
    {
        var names = new Dictionary<int, string>();
        foreach (string line in passwd.Split('\n'))
        {
            // name:password:uid:gid:gecos:home:shell
            string[] parts = line.Split(':');
            if (parts.Length >= 3 && parts[0].Length > 0 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int uid))
            {
                names.TryAdd(uid, parts[0]);
            }
        }

        return names;
    }

    private static Snapshot Current()
    {
        // Look at the file's time at most once a second, so listing every process costs one stat(2) at most.
        Snapshot? cached = _snapshot;
        long now = Environment.TickCount64;
        if (cached is not null && now - cached.CheckedAt < 1000)
        {
            return cached;
        }

        DateTime stamp;
        try
        {
            stamp = File.GetLastWriteTimeUtc(PasswdPath);
        }
        catch (IOException)
        {
            stamp = DateTime.MinValue;
        }
        catch (UnauthorizedAccessException)
        {
            stamp = DateTime.MinValue;
        }

        Snapshot? snapshot = _snapshot;
        if (snapshot is not null && snapshot.Stamp == stamp)
        {
            _snapshot = snapshot with { CheckedAt = now };
            return snapshot;
        }

        Dictionary<int, string> names = ProcFiles.TryReadText(PasswdPath, out string text) == ProcReadStatus.Ok ? Parse(text) : [];
        snapshot = new Snapshot(stamp, names, now);
        _snapshot = snapshot;
        return snapshot;
    }

    private sealed record Snapshot(DateTime Stamp, Dictionary<int, string> Names, long CheckedAt);
}
