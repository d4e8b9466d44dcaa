namespace XSystem.Monitoring;

/// <summary>
/// One process: a snapshot of its state taken by <see cref="Processes.Get(int)"/> or <see cref="Processes.List(ProcessFields)"/>,
/// plus methods that read live data and control it (psutil <c>Process</c>).
/// </summary>
/// <remarks>
/// <para>
/// The snapshot properties (<see cref="Name"/>, <see cref="Status"/>, <see cref="CpuTimes"/>, ...) keep the values
/// read when the object was made; call <see cref="Refresh"/> for new ones. <see cref="Memory"/>, <see cref="Uid"/>,
/// <see cref="Username"/>, <see cref="CommandLine"/> and <see cref="Exe"/> are read on first access when the
/// <see cref="ProcessFields"/> of the listing did not include them; that first access can throw
/// <see cref="ProcessGoneException"/>.
/// </para>
/// <para>
/// Pid reuse: the object remembers the process's start time. Every live read and every control method first checks
/// that the pid still belongs to the same process and throws <see cref="ProcessGoneException"/> when it does not, so
/// a signal never reaches a process that merely inherited the number.
/// </para>
/// <para>Thread safety: all members are safe to call from several threads at once.</para>
/// </remarks>
public sealed partial class ProcessInfo
{
    private readonly StatFields _stat;
    private readonly Lock _gate = new();
    private ProcessMemory? _memory;
    private int _uid = -1;
    private string? _username;
    private IReadOnlyList<string>? _commandLine;
    private string? _exe;
    private bool _exeRead;

    internal ProcessInfo(int pid, StatFields stat, ProcessMemory? memory, int uid, IReadOnlyList<string>? commandLine)
    {
        Pid = pid;
        _stat = stat;
        _memory = memory;
        _uid = uid;
        _commandLine = commandLine;
        Name = commandLine is null ? stat.Name : ProcessReader.FullName(stat.Name, commandLine);
        CreateTime = ProcessReader.CreateTimeOf(stat.StartTicks);
    }

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>
    /// The process name: the kernel's <c>comm</c> (at most 15 bytes; may hold spaces and parentheses), completed from the
    /// first argument when the command line was read in the same pass and starts with it.
    /// </summary>
    public string Name { get; }

    /// <summary>The parent's process id (0 for the init process and kthreadd).</summary>
    public int ParentPid => _stat.ParentPid;

    /// <summary>The scheduler state when the snapshot was taken.</summary>
    public ProcessStatus Status => ProcParsers.StatusOf(_stat.State);

    /// <summary>CPU times when the snapshot was taken.</summary>
    public ProcessCpuTimes CpuTimes => new(
        ProcessReader.TicksToTime(_stat.UserTicks),
        ProcessReader.TicksToTime(_stat.SystemTicks),
        ProcessReader.TicksToTime(_stat.ChildrenUserTicks),
        ProcessReader.TicksToTime(_stat.ChildrenSystemTicks));

    /// <summary>Number of threads.</summary>
    public int ThreadCount => _stat.ThreadCount;

    /// <summary>The nice value (-20 highest priority to 19 lowest).</summary>
    public int Nice => _stat.Nice;

    /// <summary>When the process started: boot time (<c>btime</c> of /proc/stat, whole seconds) plus its start time in clock ticks.</summary>
    public DateTimeOffset CreateTime { get; }

    /// <summary>The start time in clock ticks since boot: the identity used against pid reuse.</summary>
    internal ulong StartTicks => _stat.StartTicks;

    /// <summary>
    /// Memory use: RSS, VMS and shared always; USS, PSS and swap when <see cref="ProcessFields.MemoryFootprint"/> was
    /// read and <c>smaps_rollup</c> was readable (null otherwise).
    /// </summary>
    /// <exception cref="ProcessGoneException">Not read up front, and the process is gone now.</exception>
    public ProcessMemory Memory
    {
        get
        {
            ProcessMemory? memory = Volatile.Read(ref _memory);
            if (memory is not null)
            {
                return memory;
            }

            lock (_gate)
            {
                if (_memory is null)
                {
                    byte[] buffer = ProcFiles.RentBuffer();
                    try
                    {
                        ProcessReader.ThrowIfFailed(ProcessReader.TryReadMemory(Pid, ref buffer, out ProcessMemory? read), Pid, "statm");
                        EnsureSameProcess(ref buffer);
                        Volatile.Write(ref _memory, read);
                    }
                    finally
                    {
                        ProcFiles.ReturnBuffer(buffer);
                    }
                }

                return _memory!;
            }
        }
    }

    /// <summary>The real user id of the process.</summary>
    /// <exception cref="ProcessGoneException">Not read up front, and the process is gone now.</exception>
    public int Uid
    {
        get
        {
            int uid = Volatile.Read(ref _uid);
            if (uid >= 0)
            {
                return uid;
            }

            lock (_gate)
            {
                if (_uid < 0)
                {
                    byte[] buffer = ProcFiles.RentBuffer();
                    try
                    {
                        ProcessReader.ThrowIfFailed(ProcessReader.TryReadUid(Pid, ref buffer, out int read), Pid, "status");
                        EnsureSameProcess(ref buffer);
                        Volatile.Write(ref _uid, read);
                    }
                    finally
                    {
                        ProcFiles.ReturnBuffer(buffer);
                    }
                }

                return _uid;
            }
        }
    }

    /// <summary>The name of the user that owns the process (from /etc/passwd), or the uid as text when it has no entry.</summary>
    /// <exception cref="ProcessGoneException">Not read up front, and the process is gone now.</exception>
    public string Username => _username ??= UserNames.NameOf(Uid);

    /// <summary>The command line; empty for kernel threads and zombies.</summary>
    /// <exception cref="ProcessGoneException">Not read up front, and the process is gone now.</exception>
    /// <exception cref="AccessDeniedException">Not read up front, and /proc is mounted with <c>hidepid</c>.</exception>
    public IReadOnlyList<string> CommandLine
    {
        get
        {
            IReadOnlyList<string>? commandLine = Volatile.Read(ref _commandLine);
            if (commandLine is not null)
            {
                return commandLine;
            }

            lock (_gate)
            {
                if (_commandLine is null)
                {
                    byte[] buffer = ProcFiles.RentBuffer();
                    try
                    {
                        ProcessReader.ThrowIfFailed(ProcessReader.TryReadCommandLine(Pid, ref buffer, out IReadOnlyList<string> read), Pid, "cmdline");
                        EnsureSameProcess(ref buffer);
                        Volatile.Write(ref _commandLine, read);
                    }
                    finally
                    {
                        ProcFiles.ReturnBuffer(buffer);
                    }
                }

                return _commandLine!;
            }
        }
    }

    /// <summary>The path of the executable (<c>/proc/&lt;pid&gt;/exe</c>), or null for kernel threads and zombies.</summary>
    /// <exception cref="ProcessGoneException">The process is gone.</exception>
    /// <exception cref="AccessDeniedException">The process belongs to another user and this process is not privileged.</exception>
    public string? Exe
    {
        get
        {
            lock (_gate)
            {
                if (!_exeRead)
                {
                    _exe = ReadLinkOrNull("exe"u8, "exe");
                    _exeRead = true;
                }

                return _exe;
            }
        }
    }

    /// <summary>Reads the current working directory (<c>/proc/&lt;pid&gt;/cwd</c>); null when the kernel shows none (zombies).</summary>
    /// <returns>The directory.</returns>
    /// <exception cref="ProcessGoneException">The process is gone.</exception>
    /// <exception cref="AccessDeniedException">The process belongs to another user and this process is not privileged.</exception>
    public string? GetCwd() => ReadLinkOrNull("cwd"u8, "cwd");

    /// <summary>Whether the pid still belongs to this process (true for a zombie that its parent has not reaped yet).</summary>
    /// <returns>True while the process exists.</returns>
    public bool IsRunning()
    {
        byte[] buffer = ProcFiles.RentBuffer();
        try
        {
            ProcReadStatus status = ProcessReader.TryReadStat(Pid, ref buffer, out StatFields now);
            return status switch
            {
                ProcReadStatus.Ok => now.StartTicks == _stat.StartTicks,
                ProcReadStatus.AccessDenied => ProcFiles.PidDirectoryExists(Pid),
                _ => false,
            };
        }
        finally
        {
            ProcFiles.ReturnBuffer(buffer);
        }
    }

    /// <summary>Takes a new snapshot of the same process.</summary>
    /// <returns>A new <see cref="ProcessInfo"/> with every field read again.</returns>
    /// <exception cref="ProcessGoneException">The process exited, or its pid now belongs to another process.</exception>
    public ProcessInfo Refresh()
    {
        ProcessInfo now = Processes.Get(Pid);
        if (now.StartTicks != _stat.StartTicks)
        {
            ProcessReader.ThrowGone(Pid, "was replaced by another process with the same pid");
        }

        return now;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Pid} {Name} ({Status})";

    /// <summary>Re-reads stat and throws when the pid no longer belongs to this process.</summary>
    internal void EnsureSameProcess(ref byte[] buffer)
    {
        ProcReadStatus status = ProcessReader.TryReadStat(Pid, ref buffer, out StatFields now);
        ProcessReader.ThrowIfFailed(status, Pid, "stat");
        if (now.StartTicks != _stat.StartTicks)
        {
            ProcessReader.ThrowGone(Pid, "was replaced by another process with the same pid");
        }
    }

    internal void EnsureSameProcess()
    {
        byte[] buffer = ProcFiles.RentBuffer();
        try
        {
            EnsureSameProcess(ref buffer);
        }
        finally
        {
            ProcFiles.ReturnBuffer(buffer);
        }
    }

    private string? ReadLinkOrNull(ReadOnlySpan<byte> name, string file)
    {
        ProcessReader.EnsureSupported(nameof(ProcessInfo) + "." + file);
        ProcReadStatus status = ProcFiles.TryReadLink(Pid, name, out string target);
        if (status == ProcReadStatus.AccessDenied)
        {
            // Distinguish "gone" from "not ours": a vanished process also fails, but then stat is gone too.
            EnsureSameProcess();
            ProcessReader.ThrowDenied(Pid, $"/proc/{Pid}/{file}");
        }

        // Kernel threads and zombies have no exe; the link then fails with ENOENT while the process exists.
        EnsureSameProcess();
        return status == ProcReadStatus.Ok ? target : null;
    }
}
