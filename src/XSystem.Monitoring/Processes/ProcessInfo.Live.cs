using System.Globalization;
using System.Net.Sockets;
using XSystem.Monitoring.Platform.Linux;

namespace XSystem.Monitoring;

/// <content>Live reads: I/O counters, open files, connections, children, CPU percent.</content>
public sealed partial class ProcessInfo
{
    /// <summary>Reads the I/O counters (<c>/proc/&lt;pid&gt;/io</c>).</summary>
    /// <returns>The counters now.</returns>
    /// <exception cref="ProcessGoneException">The process is gone.</exception>
    /// <exception cref="AccessDeniedException">The process belongs to another user and this process is not privileged.</exception>
    public ProcessIoCounters GetIoCounters()
    {
        ProcessReader.EnsureSupported(nameof(GetIoCounters));
        byte[] buffer = ProcFiles.RentBuffer();
        try
        {
            int length = ProcessReader.ReadFile(Pid, "io"u8, ref buffer);
            ProcessIoCounters? counters = ProcParsers.ParseIo(buffer.AsSpan(0, length));
            EnsureSameProcess(ref buffer);
            if (counters is null)
            {
                ProcessReader.ThrowGone(Pid, "exited while /proc/<pid>/io was read");
            }

            return counters;
        }
        finally
        {
            ProcFiles.ReturnBuffer(buffer);
        }
    }

    /// <summary>
    /// Lists the regular files the process holds open: each descriptor in <c>/proc/&lt;pid&gt;/fd</c> whose target is
    /// an absolute path outside <c>/dev</c> that is not a directory.
    /// </summary>
    /// <returns>Path and descriptor of each open file, by descriptor.</returns>
    /// <exception cref="ProcessGoneException">The process is gone.</exception>
    /// <exception cref="AccessDeniedException">The process belongs to another user and this process is not privileged.</exception>
    public IReadOnlyList<ProcessOpenFile> GetOpenFiles()
    {
        var files = new List<ProcessOpenFile>();
        foreach ((int fd, string target) in ReadDescriptors())
        {
            if (target.StartsWith('/') && !target.StartsWith("/dev/", StringComparison.Ordinal)
                && (File.Exists(target) || target.EndsWith(" (deleted)", StringComparison.Ordinal)))
            {
                files.Add(new ProcessOpenFile(target, fd));
            }
        }

        return files;
    }

    /// <summary>
    /// Lists the TCP and UDP sockets (IPv4 and IPv6) the process holds: socket inodes from <c>/proc/&lt;pid&gt;/fd</c>
    /// matched against <c>/proc/&lt;pid&gt;/net/{tcp,tcp6,udp,udp6}</c>. Unix-domain and other sockets are left out.
    /// </summary>
    /// <returns>The connections, by descriptor.</returns>
    /// <exception cref="ProcessGoneException">The process is gone.</exception>
    /// <exception cref="AccessDeniedException">The process belongs to another user and this process is not privileged.</exception>
    public IReadOnlyList<ProcessConnection> GetConnections()
    {
        var inodes = new Dictionary<long, int>();
        foreach ((int fd, string target) in ReadDescriptors())
        {
            if (NetConnectionParser.TryParseSocketLink(target, out long inode))
            {
                inodes.TryAdd(inode, fd);
            }
        }

        var connections = new List<ProcessConnection>();
        if (inodes.Count == 0)
        {
            return connections;
        }

        byte[] buffer = ProcFiles.RentBuffer();
        try
        {
            ReadOnlySpan<(string File, ProtocolType Protocol, AddressFamily Family)> tables =
            [
                ("net/tcp", ProtocolType.Tcp, AddressFamily.InterNetwork), ("net/tcp6", ProtocolType.Tcp, AddressFamily.InterNetworkV6),
                ("net/udp", ProtocolType.Udp, AddressFamily.InterNetwork), ("net/udp6", ProtocolType.Udp, AddressFamily.InterNetworkV6),
            ];
            var sockets = new List<NetworkConnectionInfo>();
            foreach ((string file, ProtocolType protocol, AddressFamily family) in tables)
            {
                ProcReadStatus status = ProcFiles.TryRead(Pid, System.Text.Encoding.ASCII.GetBytes(file), ref buffer, out int length);
                if (status == ProcReadStatus.AccessDenied)
                {
                    ProcessReader.ThrowDenied(Pid, $"/proc/{Pid}/{file}");
                }

                if (status != ProcReadStatus.Ok)
                {
                    // IPv6 may be disabled; a vanished process is caught by the identity check below.
                    continue;
                }

                sockets.Clear();
                NetConnectionParser.Parse(System.Text.Encoding.ASCII.GetString(buffer, 0, length), protocol, family, sockets);
                foreach (NetworkConnectionInfo socket in sockets)
                {
                    if (inodes.TryGetValue(socket.Inode, out int fd))
                    {
                        connections.Add(new ProcessConnection(fd, protocol, family, socket.LocalEndPoint, socket.RemoteEndPoint, socket.State));
                    }
                }
            }

            EnsureSameProcess(ref buffer);
        }
        finally
        {
            ProcFiles.ReturnBuffer(buffer);
        }

        connections.Sort(static (a, b) => a.Fd.CompareTo(b.Fd));
        return connections;
    }

    /// <summary>Lists the children of the process (psutil <c>children(recursive)</c>).</summary>
    /// <param name="recursive">Also list grandchildren and so on, parents before their children.</param>
    /// <returns>Snapshots (basic fields) of the children; processes started before this one are never counted as children.</returns>
    /// <exception cref="ProcessGoneException">The process is gone.</exception>
    public IReadOnlyList<ProcessInfo> GetChildren(bool recursive = false)
    {
        EnsureSameProcess();
        IReadOnlyList<ProcessInfo> all = Processes.List(ProcessFields.Basic);
        var byParent = new Dictionary<int, List<ProcessInfo>>();
        foreach (ProcessInfo process in all)
        {
            if (!byParent.TryGetValue(process.ParentPid, out List<ProcessInfo>? list))
            {
                byParent[process.ParentPid] = list = [];
            }

            list.Add(process);
        }

        var result = new List<ProcessInfo>();
        var queue = new Queue<ProcessInfo>();
        queue.Enqueue(this);
        var seen = new HashSet<int> { Pid };
        while (queue.Count > 0)
        {
            ProcessInfo parent = queue.Dequeue();
            if (!byParent.TryGetValue(parent.Pid, out List<ProcessInfo>? children))
            {
                continue;
            }

            foreach (ProcessInfo child in children)
            {
                // A child cannot be older than its parent; an older one inherited a reused pid's parent link.
                if (child.StartTicks >= parent.StartTicks && seen.Add(child.Pid))
                {
                    result.Add(child);
                    if (recursive)
                    {
                        queue.Enqueue(child);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Looks up the parent process.</summary>
    /// <returns>The parent, or null for pid 0 or when the parent is gone (or was replaced).</returns>
    public ProcessInfo? GetParent()
    {
        if (ParentPid <= 0 || !Processes.TryGet(ParentPid, out ProcessInfo? parent) || parent.StartTicks > StartTicks)
        {
            return null;
        }

        return parent;
    }

    /// <summary>
    /// Measures CPU use over <paramref name="interval"/>: CPU time used (user + system) divided by the wall time, in
    /// percent of one core; a busy process with several threads can exceed 100 (psutil <c>cpu_percent(interval)</c>).
    /// </summary>
    /// <param name="interval">How long to measure; must be positive.</param>
    /// <param name="timeProvider">The clock for waiting and elapsed time; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The CPU percent over the interval.</returns>
    /// <exception cref="ProcessGoneException">The process exited during the measurement.</exception>
    public async Task<double> CpuPercentAsync(TimeSpan interval, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ProcessReader.EnsureSupported(nameof(CpuPercentAsync));
        timeProvider ??= TimeProvider.System;
        ulong before = ReadCpuTicks();
        long start = timeProvider.GetTimestamp();
        await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
        ulong after = ReadCpuTicks();
        TimeSpan elapsed = timeProvider.GetElapsedTime(start);
        return Percent(after - before, elapsed);
    }

    internal static double Percent(ulong cpuTicks, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? 0 : ProcessReader.TicksToTime(cpuTicks).TotalSeconds / elapsed.TotalSeconds * 100;

    internal ulong TotalCpuTicks => _stat.UserTicks + _stat.SystemTicks;

    private ulong ReadCpuTicks()
    {
        byte[] buffer = ProcFiles.RentBuffer();
        try
        {
            StatFields now = ProcessReader.ReadStat(Pid, ref buffer);
            if (now.StartTicks != _stat.StartTicks)
            {
                ProcessReader.ThrowGone(Pid, "was replaced by another process with the same pid");
            }

            return now.UserTicks + now.SystemTicks;
        }
        finally
        {
            ProcFiles.ReturnBuffer(buffer);
        }
    }

    private List<(int Fd, string Target)> ReadDescriptors()
    {
        ProcessReader.EnsureSupported("ProcessInfo file descriptors");
        string dir = $"/proc/{Pid}/fd";
        var result = new List<(int, string)>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.GetFileSystemEntries(dir);
        }
        catch (UnauthorizedAccessException)
        {
            EnsureSameProcess();
            throw new AccessDeniedException(Pid, dir);
        }
        catch (DirectoryNotFoundException)
        {
            throw new ProcessGoneException(Pid);
        }

        foreach (string entry in entries)
        {
            string name = Path.GetFileName(entry);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
            {
                continue;
            }

            // A descriptor closed since the listing fails with ENOENT; skip it.
            if (ProcFiles.TryReadLink(Pid, System.Text.Encoding.ASCII.GetBytes("fd/" + name), out string target) == ProcReadStatus.Ok)
            {
                result.Add((fd, target));
            }
        }

        EnsureSameProcess();
        result.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }
}
