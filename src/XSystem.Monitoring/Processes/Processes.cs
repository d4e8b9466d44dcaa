using System.Diagnostics.CodeAnalysis;

namespace XSystem.Monitoring;

/// <summary>
/// Every process on the machine, psutil style: <see cref="List()"/> (the Python <c>list_processes()</c>),
/// <see cref="Get(int)"/>, <see cref="Current"/>, and CPU percent for all processes with <see cref="MeasureCpuAsync"/>.
/// </summary>
/// <remarks>
/// Linux reads /proc directly (one pass, only the files the <see cref="ProcessFields"/> need, no allocation per file
/// read); other operating systems throw <see cref="PlatformNotSupportedException"/> for now.
/// Thread safety: all members are safe to call from several threads at once.
/// </remarks>
public static class Processes
{
    /// <summary>A fresh snapshot of this process (every field, as <see cref="Get(int)"/>); each access reads /proc again.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static ProcessInfo Current => Get(Environment.ProcessId);

    /// <summary>Lists every process with <see cref="ProcessFields.Default"/> (stat fields, memory, user).</summary>
    /// <returns>The processes, by pid.</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static IReadOnlyList<ProcessInfo> List() => List(ProcessFields.Default);

    /// <summary>
    /// Lists every process, reading only the files <paramref name="fields"/> asks for. Processes that exit during
    /// the pass, or whose basic files are hidden from this user, are left out; USS/PSS/swap stay null where
    /// <c>smaps_rollup</c> is not readable.
    /// </summary>
    /// <param name="fields">What to read up front; other fields are read on first access.</param>
    /// <returns>The processes, by pid.</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static IReadOnlyList<ProcessInfo> List(ProcessFields fields)
    {
        ProcessReader.EnsureSupported(nameof(List));
        List<int> pids = ProcessReader.Pids();
        var result = new List<ProcessInfo>(pids.Count);
        byte[] buffer = ProcFiles.RentBuffer();
        try
        {
            foreach (int pid in pids)
            {
                if (TryRead(pid, fields, ref buffer, out ProcessInfo? process) == ProcReadStatus.Ok)
                {
                    result.Add(process!);
                }
            }
        }
        finally
        {
            ProcFiles.ReturnBuffer(buffer);
        }

        return result;
    }

    /// <summary>Lists the ids of every process (psutil <c>pids()</c>).</summary>
    /// <returns>The pids, ascending.</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static IReadOnlyList<int> Pids()
    {
        ProcessReader.EnsureSupported(nameof(Pids));
        return ProcessReader.Pids();
    }

    /// <summary>Whether a process with this id exists (psutil <c>pid_exists()</c>).</summary>
    /// <param name="pid">The process id.</param>
    /// <returns>True when it exists (zombies included).</returns>
    public static bool Exists(int pid)
    {
        ProcessReader.EnsureSupported(nameof(Exists));
        return pid > 0 && ProcFiles.PidDirectoryExists(pid);
    }

    /// <summary>Takes a snapshot of one process with every field (<see cref="ProcessFields.All"/>).</summary>
    /// <param name="pid">The process id; must be positive.</param>
    /// <returns>The process.</returns>
    /// <exception cref="ProcessGoneException">No process has this id, or it exited while being read.</exception>
    /// <exception cref="AccessDeniedException">/proc hides the process from this user (<c>hidepid</c>).</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static ProcessInfo Get(int pid) => Get(pid, ProcessFields.All);

    /// <summary>Takes a snapshot of one process, reading the given fields up front.</summary>
    /// <param name="pid">The process id; must be positive.</param>
    /// <param name="fields">What to read up front.</param>
    /// <returns>The process.</returns>
    /// <exception cref="ProcessGoneException">No process has this id, or it exited while being read.</exception>
    /// <exception cref="AccessDeniedException">/proc hides the process from this user (<c>hidepid</c>).</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static ProcessInfo Get(int pid, ProcessFields fields)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        ProcessReader.EnsureSupported(nameof(Get));
        byte[] buffer = ProcFiles.RentBuffer();
        try
        {
            ProcReadStatus status = TryRead(pid, fields, ref buffer, out ProcessInfo? process);
            ProcessReader.ThrowIfFailed(status, pid, "stat");
            return process!;
        }
        finally
        {
            ProcFiles.ReturnBuffer(buffer);
        }
    }

    /// <summary>Takes a snapshot of one process, or returns false when it does not exist or is hidden.</summary>
    /// <param name="pid">The process id.</param>
    /// <param name="process">The process, when found.</param>
    /// <returns>True when found.</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static bool TryGet(int pid, [NotNullWhen(true)] out ProcessInfo? process)
    {
        ProcessReader.EnsureSupported(nameof(TryGet));
        process = null;
        if (pid <= 0)
        {
            return false;
        }

        byte[] buffer = ProcFiles.RentBuffer();
        try
        {
            return TryRead(pid, ProcessFields.All, ref buffer, out process) == ProcReadStatus.Ok;
        }
        finally
        {
            ProcFiles.ReturnBuffer(buffer);
        }
    }

    /// <summary>
    /// Lists every process with its CPU percent over <paramref name="interval"/> (what <c>top</c> and <c>xsys ps</c>
    /// show): CPU time used in the interval over the wall time, in percent of one core. A process started during the
    /// interval is measured from its start.
    /// </summary>
    /// <param name="interval">How long to measure; must be positive (0.5 s is a good default).</param>
    /// <param name="fields">What to read for the final snapshot.</param>
    /// <param name="timeProvider">The clock for waiting and elapsed time; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The processes alive at the end of the interval with their CPU percent, by pid.</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static async Task<IReadOnlyList<ProcessCpuUsage>> MeasureCpuAsync(
        TimeSpan interval,
        ProcessFields fields = ProcessFields.Default,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ProcessReader.EnsureSupported(nameof(MeasureCpuAsync));
        timeProvider ??= TimeProvider.System;
        var before = new Dictionary<int, (ulong Start, ulong Cpu)>();
        foreach (ProcessInfo process in List(ProcessFields.Basic))
        {
            before[process.Pid] = (process.StartTicks, process.TotalCpuTicks);
        }

        long started = timeProvider.GetTimestamp();
        await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ProcessInfo> after = List(fields);
        TimeSpan elapsed = timeProvider.GetElapsedTime(started);
        var result = new List<ProcessCpuUsage>(after.Count);
        foreach (ProcessInfo process in after)
        {
            ulong used = before.TryGetValue(process.Pid, out (ulong Start, ulong Cpu) old) && old.Start == process.StartTicks
                ? process.TotalCpuTicks - Math.Min(old.Cpu, process.TotalCpuTicks)
                : process.TotalCpuTicks;
            result.Add(new ProcessCpuUsage(process, ProcessInfo.Percent(used, elapsed)));
        }

        return result;
    }

    /// <summary>Reads one process; the status tells why it failed.</summary>
    internal static ProcReadStatus TryRead(int pid, ProcessFields fields, ref byte[] buffer, out ProcessInfo? process)
    {
        process = null;
        ProcReadStatus status = ProcessReader.TryReadStat(pid, ref buffer, out StatFields stat);
        if (status != ProcReadStatus.Ok)
        {
            return status;
        }

        ProcessMemory? memory = null;
        if ((fields & (ProcessFields.Memory | ProcessFields.MemoryFootprint)) != 0)
        {
            status = ProcessReader.TryReadMemory(pid, ref buffer, out memory);
            if (status != ProcReadStatus.Ok)
            {
                return status;
            }

            if ((fields & ProcessFields.MemoryFootprint) != 0)
            {
                status = ProcessReader.TryAddFootprint(pid, ref buffer, memory!, out memory);
                if (status == ProcReadStatus.NotFound && !ProcFiles.PidDirectoryExists(pid))
                {
                    return status;
                }
            }
        }

        int uid = -1;
        if ((fields & ProcessFields.User) != 0)
        {
            status = ProcessReader.TryReadUid(pid, ref buffer, out uid);
            if (status != ProcReadStatus.Ok)
            {
                return status;
            }
        }

        IReadOnlyList<string>? commandLine = null;
        if ((fields & ProcessFields.CommandLine) != 0)
        {
            status = ProcessReader.TryReadCommandLine(pid, ref buffer, out IReadOnlyList<string> read);
            if (status != ProcReadStatus.Ok)
            {
                return status;
            }

            commandLine = read;
        }

        process = new ProcessInfo(pid, stat, memory, uid, commandLine);
        return ProcReadStatus.Ok;
    }
}

/// <summary>A process and its CPU percent over a measured interval (see <see cref="Processes.MeasureCpuAsync"/>).</summary>
/// <param name="Process">The snapshot taken at the end of the interval.</param>
/// <param name="CpuPercent">CPU time over wall time in the interval, in percent of one core (can exceed 100).</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public sealed record ProcessCpuUsage(ProcessInfo Process, double CpuPercent);
