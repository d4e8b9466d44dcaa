using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>One line of /proc/self/mountinfo.</summary>
/// <param name="Root">The directory of the file system that is mounted (for cgroups: the cgroup the mount shows).</param>
/// <param name="MountPoint">Where it is mounted (octal escapes undone).</param>
/// <param name="Options">Per-mount options (<c>rw,relatime</c>).</param>
/// <param name="FileSystemType">The file-system type.</param>
/// <param name="Source">The device or source.</param>
/// <param name="SuperOptions">Per-superblock options (for cgroup v1: the controllers, for example <c>rw,cpu,cpuacct</c>).</param>
internal sealed record MountInfoEntry(string Root, string MountPoint, string Options, string FileSystemType, string Source, string SuperOptions);

/// <summary>Pure parsers for /proc/self/mountinfo, /proc/mounts and /proc/filesystems.</summary>
internal static class MountParser
{
    /// <summary>Parses /proc/self/mountinfo; malformed lines (no <c> - </c> separator, too few fields) are skipped.</summary>
    public static List<MountInfoEntry> ParseMountInfo(ReadOnlySpan<char> text)
    {
        var result = new List<MountInfoEntry>();
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            int separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            ReadOnlySpan<char> left = line[..separator];
            ReadOnlySpan<char> right = line[(separator + 3)..];
            SpanText.NextField(ref left); // mount id
            SpanText.NextField(ref left); // parent id
            SpanText.NextField(ref left); // major:minor
            ReadOnlySpan<char> root = SpanText.NextField(ref left);
            ReadOnlySpan<char> mountPoint = SpanText.NextField(ref left);
            ReadOnlySpan<char> options = SpanText.NextField(ref left);
            ReadOnlySpan<char> fsType = SpanText.NextField(ref right);
            ReadOnlySpan<char> source = SpanText.NextField(ref right);
            ReadOnlySpan<char> superOptions = SpanText.NextField(ref right);
            if (mountPoint.IsEmpty || fsType.IsEmpty)
            {
                continue;
            }

            result.Add(new MountInfoEntry(
                SpanText.UnescapeOctal(root), SpanText.UnescapeOctal(mountPoint), options.ToString(),
                fsType.ToString(), SpanText.UnescapeOctal(source), superOptions.ToString()));
        }

        return result;
    }

    /// <summary>Parses /proc/mounts (fstab format: device, mount point, type, options, dump, pass).</summary>
    public static List<DiskPartition> ParseMounts(ReadOnlySpan<char> text)
    {
        var result = new List<DiskPartition>();
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            ReadOnlySpan<char> rest = line;
            ReadOnlySpan<char> device = SpanText.NextField(ref rest);
            ReadOnlySpan<char> mountPoint = SpanText.NextField(ref rest);
            ReadOnlySpan<char> fsType = SpanText.NextField(ref rest);
            ReadOnlySpan<char> options = SpanText.NextField(ref rest);
            if (fsType.IsEmpty)
            {
                continue;
            }

            result.Add(new DiskPartition(SpanText.UnescapeOctal(device), SpanText.UnescapeOctal(mountPoint), fsType.ToString(), options.ToString()));
        }

        return result;
    }

    /// <summary>The file-system types of /proc/filesystems that need a block device (lines without <c>nodev</c>).</summary>
    public static HashSet<string> ParsePhysicalFileSystems(ReadOnlySpan<char> text)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            ReadOnlySpan<char> rest = line;
            ReadOnlySpan<char> first = SpanText.NextField(ref rest);
            if (first.IsEmpty || first.Equals("nodev", StringComparison.Ordinal))
            {
                continue;
            }

            result.Add(first.ToString());
        }

        return result;
    }

    /// <summary>
    /// psutil's rule for <c>disk_partitions(all=False)</c>: keep a mount when its device is not <c>none</c> and its type is a
    /// physical file system (or zfs, which /proc/filesystems lists as nodev).
    /// </summary>
    public static bool IsPhysical(DiskPartition partition, IReadOnlySet<string> physicalTypes) =>
        partition.Device.Length > 0
        && partition.Device != "none"
        && (physicalTypes.Contains(partition.FileSystemType) || partition.FileSystemType == "zfs");
}
