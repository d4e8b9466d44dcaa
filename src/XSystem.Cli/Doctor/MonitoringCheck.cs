using XSystem.Monitoring;

namespace XSystem.Cli.Doctor;

/// <summary>Checks that XSystem.Monitoring reads memory, CPU count and boot time and that the answers make sense.</summary>
internal sealed class MonitoringCheck : IDoctorCheck
{
    public string Module => "XSystem.Monitoring";

    public string Description => "memory, CPU count and boot time readable and plausible";

    public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Check(TimeProvider.System));

    /// <summary>Judges the values; split out so tests can feed nonsense.</summary>
    internal static CheckResult Judge(MemoryInfo memory, int cpus, DateTimeOffset bootTime, DateTimeOffset now)
    {
        if (memory.Total <= 0)
        {
            return CheckResult.Fail($"total memory is {memory.Total} bytes; /proc/meminfo (or the OS call) gave nonsense");
        }

        if (memory.Available < 0 || memory.Available > memory.Total || memory.Percent is < 0 or > 100)
        {
            return CheckResult.Fail($"available memory {memory.Available} of {memory.Total} bytes ({memory.Percent}%) is inconsistent");
        }

        if (cpus < 1)
        {
            return CheckResult.Fail($"CPU count is {cpus}");
        }

        if (bootTime > now || bootTime < new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero))
        {
            return CheckResult.Fail($"boot time {bootTime:u} is not plausible (now {now:u})");
        }

        return CheckResult.Pass($"{ByteSize.Format(memory.Total)} memory ({memory.Percent:0.0}% used), {cpus} CPUs, up {Math.Floor((now - bootTime).TotalHours):0} h");
    }

    private static CheckResult Check(TimeProvider time) =>
        Judge(SystemInfo.Memory(), SystemInfo.CpuCount(), SystemInfo.BootTime(), time.GetUtcNow());
}
