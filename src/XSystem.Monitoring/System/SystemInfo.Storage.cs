using XSystem.Monitoring.Platform.Linux;

namespace XSystem.Monitoring;

public static partial class SystemInfo
{
    /// <summary>Mounted file systems (psutil <c>disk_partitions(all)</c>). Linux only.</summary>
    /// <param name="all"><see langword="false"/> (default) keeps only physical file systems, as psutil does: a real device and a
    /// type /proc/filesystems does not mark <c>nodev</c> (proc, sysfs, tmpfs, cgroup, overlay ... are skipped).
    /// <see langword="true"/> lists every mount.</param>
    /// <returns>The partitions in mount order; empty when the mount table cannot be read.</returns>
    public static IReadOnlyList<DiskPartition> Disks(bool all = false) =>
        OperatingSystem.IsLinux() ? LinuxSystem.Disks(all) : throw Unsupported(nameof(Disks));

    /// <summary>
    /// Space on the file system that holds <paramref name="path"/> (psutil <c>disk_usage(path)</c>), matching <c>df</c>:
    /// Used = total blocks - free blocks, Free = blocks available to unprivileged users. All platforms (statvfs on 64-bit
    /// Linux, <see cref="DriveInfo"/> elsewhere).
    /// </summary>
    /// <param name="path">Any existing file or directory.</param>
    /// <returns>The usage.</returns>
    /// <exception cref="DirectoryNotFoundException">The path does not exist.</exception>
    public static DiskUsageInfo DiskUsage(string path)
    {
        Guard.NotNullOrEmptyPath(path);
        return OperatingSystem.IsLinux() ? LinuxSystem.DiskUsage(path) : DriveUsage(path);
    }

    /// <summary>Disk I/O counters of all whole disks together (psutil <c>disk_io_counters()</c>); partitions are not counted twice. Linux only.</summary>
    /// <returns>The summed counters; all zero when /proc/diskstats cannot be read.</returns>
    public static DiskIoCounters DiskIo() => OperatingSystem.IsLinux() ? LinuxSystem.DiskIo() : throw Unsupported(nameof(DiskIo));

    /// <summary>Disk I/O counters per device and partition (psutil <c>disk_io_counters(perdisk=True)</c>). Linux only.</summary>
    /// <returns>Counters by device name (<c>sda</c>, <c>sda1</c>, <c>nvme0n1</c>); empty when unreadable.</returns>
    public static IReadOnlyDictionary<string, DiskIoCounters> DiskIoPerDisk() =>
        OperatingSystem.IsLinux() ? LinuxSystem.DiskIoPerDisk() : throw Unsupported(nameof(DiskIoPerDisk));

    internal static double UsagePercent(long used, long free) =>
        used + free > 0 ? Math.Round(used * 100.0 / (used + free), 1) : 0;

    internal static DiskUsageInfo DriveUsage(string path)
    {
        if (!Path.Exists(path))
        {
            throw new DirectoryNotFoundException($"Cannot read disk usage of '{path}': the path does not exist. Pass an existing file or directory.");
        }

        var drive = new DriveInfo(path);
        long total = drive.TotalSize;
        long free = drive.AvailableFreeSpace;
        long used = total - drive.TotalFreeSpace;
        return new DiskUsageInfo(total, used, free, UsagePercent(used, free));
    }
}
