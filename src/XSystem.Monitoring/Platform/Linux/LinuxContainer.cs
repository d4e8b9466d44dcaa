using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>
/// Detects containers and reads the cgroup v1/v2 CPU quota and memory limit of this process. Every path is prefixed with
/// a root directory so tests can point it at a fake tree; the real system uses an empty root.
/// </summary>
internal static class LinuxContainer
{
    public static ContainerInfo Read(string root = "")
    {
        var hints = new List<string>();
        if (File.Exists(root + "/.dockerenv"))
        {
            hints.Add("/.dockerenv");
        }

        if (File.Exists(root + "/run/.containerenv"))
        {
            hints.Add("/run/.containerenv");
        }

        if (ProcFs.ReadTrimmedOrNull(root + "/run/systemd/container") is { Length: > 0 } manager)
        {
            hints.Add("/run/systemd/container: " + manager);
        }

        if (ProcFs.TryParse(root + "/proc/1/cgroup", static t => CgroupParser.FindContainerRuntime(t), out string? runtime) && runtime is not null)
        {
            hints.Add("/proc/1/cgroup: " + runtime);
        }

        List<CgroupEntry> cgroups = ProcFs.TryParse(root + "/proc/self/cgroup", static t => CgroupParser.ParseProcCgroup(t), out var c) ? c : [];
        List<MountInfoEntry> mounts = ProcFs.TryParse(root + "/proc/self/mountinfo", static t => MountParser.ParseMountInfo(t), out var m) ? m : [];

        int version = 0;
        double? cpuLimit = null;
        long? quota = null, period = null;
        string cpuPath = string.Empty, memoryPath = string.Empty;
        CgroupLocation? cpu = CgroupParser.Locate(cgroups, mounts, "cpu", root, Directory.Exists);
        if (cpu is not null)
        {
            version = cpu.Version;
            cpuPath = cpu.Directory;
            foreach (string dir in Ancestors(cpu))
            {
                (long? q, long? p) = cpu.Version == 2
                    ? (ProcFs.TryParse(dir + "/cpu.max", static t => CgroupParser.ParseCpuMax(t), out (long? Q, long? P) max) ? max : (null, null))
                    : (ProcFs.TryParse(dir + "/cpu.cfs_quota_us", static t => CgroupParser.ParseV1Quota(t), out long? v1q) ? v1q : null,
                       ProcFs.ReadInt64OrNull(dir + "/cpu.cfs_period_us"));
                period ??= p;
                if (q is long qv && p is long pv && pv > 0)
                {
                    double limit = (double)qv / pv;
                    if (cpuLimit is null || limit < cpuLimit)
                    {
                        cpuLimit = limit;
                        quota = qv;
                        period = pv;
                        cpuPath = dir;
                    }
                }
            }
        }

        long? memoryLimit = null;
        CgroupLocation? memory = CgroupParser.Locate(cgroups, mounts, "memory", root, Directory.Exists);
        if (memory is not null)
        {
            version = version == 0 ? memory.Version : version;
            memoryPath = memory.Directory;
            string file = memory.Version == 2 ? "/memory.max" : "/memory.limit_in_bytes";
            foreach (string dir in Ancestors(memory))
            {
                if (ProcFs.TryParse(dir + file, static t => CgroupParser.ParseMemoryLimit(t), out long? limit) && limit is long lv
                    && (memoryLimit is null || lv < memoryLimit))
                {
                    memoryLimit = lv;
                    memoryPath = dir;
                }
            }
        }

        return new ContainerInfo(
            hints.Count > 0, hints, version, cpuLimit,
            quota is long qu ? TimeSpan.FromMicroseconds(qu) : null,
            period is long pe ? TimeSpan.FromMicroseconds(pe) : null,
            memoryLimit, cpuPath, memoryPath);
    }

    /// <summary>The process's cgroup directory and each parent up to the hierarchy's mount point: a parent's limit also applies.</summary>
    private static IEnumerable<string> Ancestors(CgroupLocation location)
    {
        string dir = location.Directory;
        while (true)
        {
            yield return dir;
            if (dir.Length <= location.MountPoint.Length)
            {
                yield break;
            }

            int slash = dir.LastIndexOf('/');
            if (slash < location.MountPoint.Length)
            {
                yield break;
            }

            dir = dir[..slash];
        }
    }
}
