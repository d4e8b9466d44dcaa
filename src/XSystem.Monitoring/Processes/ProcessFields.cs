namespace XSystem.Monitoring;

/// <summary>
/// Which parts of a process <see cref="Processes.List(ProcessFields)"/> reads up front. Each flag costs one more
/// file per process; fields not asked for are read on first access instead (and may then throw
/// <see cref="ProcessGoneException"/>).
/// </summary>
/// <remarks>
/// <see cref="ProcessInfo.Pid"/>, <see cref="ProcessInfo.Name"/>, <see cref="ProcessInfo.ParentPid"/>,
/// <see cref="ProcessInfo.Status"/>, <see cref="ProcessInfo.CpuTimes"/>, <see cref="ProcessInfo.ThreadCount"/>,
/// <see cref="ProcessInfo.Nice"/> and <see cref="ProcessInfo.CreateTime"/> come from <c>/proc/&lt;pid&gt;/stat</c>,
/// which is always read (it also identifies the process against pid reuse).
/// Thread safety: an enum; immutable.
/// </remarks>
[Flags]
public enum ProcessFields
{
    /// <summary>Only the fields of <c>/proc/&lt;pid&gt;/stat</c> (name, parent, status, CPU times, threads, nice, create time).</summary>
    Basic = 0,

    /// <summary><see cref="ProcessInfo.Memory"/> RSS, VMS and shared (<c>/proc/&lt;pid&gt;/statm</c>).</summary>
    Memory = 1,

    /// <summary><see cref="ProcessInfo.Uid"/> and <see cref="ProcessInfo.Username"/> (<c>/proc/&lt;pid&gt;/status</c>, <c>/etc/passwd</c>).</summary>
    User = 2,

    /// <summary><see cref="ProcessInfo.CommandLine"/> (<c>/proc/&lt;pid&gt;/cmdline</c>).</summary>
    CommandLine = 4,

    /// <summary>USS, PSS and swap in <see cref="ProcessInfo.Memory"/> (<c>/proc/&lt;pid&gt;/smaps_rollup</c>; costly: walks every mapping).</summary>
    MemoryFootprint = 8,

    /// <summary>What <see cref="Processes.List()"/> reads: <see cref="Memory"/> and <see cref="User"/>.</summary>
    Default = Memory | User,

    /// <summary>Every field, as <see cref="Processes.Get(int)"/> reads them.</summary>
    All = Memory | User | CommandLine | MemoryFootprint,
}
