using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>One line of /proc/self/cgroup: <c>hierarchy-id:controllers:path</c>.</summary>
/// <param name="HierarchyId">0 for the cgroup v2 unified hierarchy.</param>
/// <param name="Controllers">Controllers of a v1 hierarchy (<c>cpu</c>, <c>cpuacct</c>, <c>memory</c> ...); empty for v2.</param>
/// <param name="Path">The cgroup path inside the hierarchy.</param>
internal sealed record CgroupEntry(int HierarchyId, string[] Controllers, string Path);

/// <summary>Where a controller's files live.</summary>
/// <param name="Version">1 or 2.</param>
/// <param name="Directory">The process's cgroup directory (root-prefixed).</param>
/// <param name="MountPoint">The hierarchy's mount point (root-prefixed); limits are looked up from <paramref name="Directory"/> up to here.</param>
internal sealed record CgroupLocation(int Version, string Directory, string MountPoint);

/// <summary>Pure parsers for cgroup files and the path arithmetic that finds a process's cgroup directory.</summary>
internal static class CgroupParser
{
    /// <summary>v1 writes "no limit" as a page-rounded <see cref="long.MaxValue"/>; anything at or above 2^62 bytes is treated as unlimited.</summary>
    private const long UnlimitedThreshold = 1L << 62;

    /// <summary>Parses /proc/self/cgroup; malformed lines are skipped.</summary>
    public static List<CgroupEntry> ParseProcCgroup(ReadOnlySpan<char> text)
    {
        var result = new List<CgroupEntry>();
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            int first = line.IndexOf(':');
            if (first <= 0)
            {
                continue;
            }

            int second = line[(first + 1)..].IndexOf(':');
            if (second < 0)
            {
                continue;
            }

            second += first + 1;
            if (!int.TryParse(line[..first], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
            {
                continue;
            }

            ReadOnlySpan<char> controllers = line[(first + 1)..second];
            string path = line[(second + 1)..].TrimEnd('\r').ToString();
            string[] names = controllers.IsEmpty ? [] : controllers.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            result.Add(new CgroupEntry(id, names, path.Length == 0 ? "/" : path));
        }

        return result;
    }

    /// <summary>
    /// Finds the directory holding <paramref name="controller"/>'s files for this process: a v1 hierarchy that has the
    /// controller, else the v2 unified hierarchy. The cgroup path is made relative to the mount's root (inside a cgroup
    /// namespace or a bind-mounted subtree the mount shows only part of the tree).
    /// </summary>
    /// <param name="cgroups">Parsed /proc/self/cgroup.</param>
    /// <param name="mounts">Parsed /proc/self/mountinfo.</param>
    /// <param name="controller"><c>cpu</c> or <c>memory</c>.</param>
    /// <param name="root">Prefix for every path (empty for the real system; a temp directory in tests).</param>
    /// <param name="directoryExists">Tells whether a directory exists (injected for tests).</param>
    public static CgroupLocation? Locate(IReadOnlyList<CgroupEntry> cgroups, IReadOnlyList<MountInfoEntry> mounts, string controller, string root, Func<string, bool> directoryExists)
    {
        foreach (CgroupEntry entry in cgroups)
        {
            if (entry.HierarchyId == 0 || Array.IndexOf(entry.Controllers, controller) < 0)
            {
                continue;
            }

            foreach (MountInfoEntry mount in mounts)
            {
                if (mount.FileSystemType == "cgroup" && HasOption(mount.SuperOptions, controller))
                {
                    return Build(1, entry.Path, mount, root, directoryExists);
                }
            }
        }

        foreach (CgroupEntry entry in cgroups)
        {
            if (entry.HierarchyId != 0 || entry.Controllers.Length != 0)
            {
                continue;
            }

            foreach (MountInfoEntry mount in mounts)
            {
                if (mount.FileSystemType == "cgroup2")
                {
                    return Build(2, entry.Path, mount, root, directoryExists);
                }
            }
        }

        return null;
    }

    private static CgroupLocation Build(int version, string path, MountInfoEntry mount, string root, Func<string, bool> directoryExists)
    {
        string relative = path;
        if (mount.Root != "/" && (path == mount.Root || path.StartsWith(mount.Root + "/", StringComparison.Ordinal)))
        {
            relative = path[mount.Root.Length..];
        }

        string mountPoint = root + mount.MountPoint.TrimEnd('/');
        if (relative.StartsWith("/..", StringComparison.Ordinal))
        {
            // The cgroup lies outside what this mount shows (cgroup namespace); the mount's own directory is ours.
            return new CgroupLocation(version, mountPoint, mountPoint);
        }

        string directory = (mountPoint + relative).TrimEnd('/');
        if (directory.Length < mountPoint.Length || !directoryExists(directory))
        {
            directory = mountPoint;
        }

        return new CgroupLocation(version, directory, mountPoint);
    }

    private static bool HasOption(string options, string name)
    {
        foreach (Range r in options.AsSpan().Split(','))
        {
            if (options.AsSpan()[r].Equals(name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses cgroup v2 <c>cpu.max</c> (<c>"max 100000"</c> or <c>"150000 100000"</c>, microseconds); quota null when unlimited.</summary>
    public static (long? QuotaMicroseconds, long? PeriodMicroseconds) ParseCpuMax(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> quota = SpanText.NextField(ref text);
        ReadOnlySpan<char> period = SpanText.NextField(ref text);
        long? p = period.IsEmpty ? null : SpanText.ToCounter(period) is > 0 and var pv ? pv : null;
        if (quota.IsEmpty || quota.Equals("max", StringComparison.Ordinal))
        {
            return (null, p);
        }

        long q = SpanText.ToInt64(quota);
        return (q > 0 ? q : null, p);
    }

    /// <summary>Parses a cgroup v1 <c>cpu.cfs_quota_us</c> value; -1 (or anything not positive) means unlimited.</summary>
    public static long? ParseV1Quota(ReadOnlySpan<char> text)
    {
        long q = SpanText.ToInt64(text.Trim());
        return q > 0 ? q : null;
    }

    /// <summary>Parses <c>memory.max</c> (v2, <c>"max"</c> = unlimited) or <c>memory.limit_in_bytes</c> (v1, huge = unlimited); null when unlimited or malformed.</summary>
    public static long? ParseMemoryLimit(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty || text.Equals("max", StringComparison.Ordinal))
        {
            return null;
        }

        long value = SpanText.ToCounter(text);
        return value is > 0 and < UnlimitedThreshold ? value : null;
    }

    /// <summary>Names container runtimes seen in a cgroup file (for example /proc/1/cgroup); null when none.</summary>
    public static string? FindContainerRuntime(ReadOnlySpan<char> cgroupText)
    {
        ReadOnlySpan<string> markers = ["docker", "kubepods", "containerd", "libpod", "lxc", "crio"];
        foreach (string marker in markers)
        {
            if (cgroupText.Contains(marker, StringComparison.Ordinal))
            {
                return marker;
            }
        }

        return null;
    }
}
