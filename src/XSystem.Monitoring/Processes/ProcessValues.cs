using System.Net;
using System.Net.Sockets;

namespace XSystem.Monitoring;

/// <summary>CPU time a process has used (psutil <c>cpu_times()</c>).</summary>
/// <param name="User">Time spent in user mode.</param>
/// <param name="System">Time spent in kernel mode.</param>
/// <param name="ChildrenUser">User time of waited-for children.</param>
/// <param name="ChildrenSystem">Kernel time of waited-for children.</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public readonly record struct ProcessCpuTimes(TimeSpan User, TimeSpan System, TimeSpan ChildrenUser, TimeSpan ChildrenSystem)
{
    /// <summary>User plus system time of the process itself (what <c>Process.TotalProcessorTime</c> reports).</summary>
    public TimeSpan Total => User + System;
}

/// <summary>Memory use of a process, in bytes (psutil <c>memory_info()</c> plus <c>memory_footprint()</c>).</summary>
/// <param name="Rss">Resident set size: physical memory in use.</param>
/// <param name="Vms">Virtual memory size.</param>
/// <param name="Shared">Resident memory that could be shared with other processes (file-backed and shmem pages).</param>
/// <param name="Uss">Unique set size (private pages), or null when <c>smaps_rollup</c> was not read, is unreadable or missing (kernels before 4.14).</param>
/// <param name="Pss">Proportional set size, or null as for <paramref name="Uss"/>.</param>
/// <param name="Swap">Swapped-out memory, or null as for <paramref name="Uss"/>.</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public sealed record ProcessMemory(long Rss, long Vms, long Shared, long? Uss = null, long? Pss = null, long? Swap = null);

/// <summary>I/O counters of a process (psutil <c>io_counters()</c>, from <c>/proc/&lt;pid&gt;/io</c>).</summary>
/// <param name="ReadCount">Read system calls.</param>
/// <param name="WriteCount">Write system calls.</param>
/// <param name="ReadBytes">Bytes fetched from storage.</param>
/// <param name="WriteBytes">Bytes sent to storage.</param>
/// <param name="ReadChars">Bytes passed to read-like calls, storage or not.</param>
/// <param name="WriteChars">Bytes passed to write-like calls, storage or not.</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public sealed record ProcessIoCounters(long ReadCount, long WriteCount, long ReadBytes, long WriteBytes, long ReadChars, long WriteChars);

/// <summary>A regular file a process holds open (psutil <c>open_files()</c>).</summary>
/// <param name="Path">The file's path as the kernel reports it (may end in " (deleted)").</param>
/// <param name="Fd">The file descriptor number.</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public sealed record ProcessOpenFile(string Path, int Fd);

/// <summary>An internet socket a process holds (psutil <c>net_connections()</c>, TCP and UDP over IPv4 and IPv6).</summary>
/// <param name="Fd">The file descriptor number.</param>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="Family">IPv4 or IPv6.</param>
/// <param name="Local">The local address and port.</param>
/// <param name="Remote">The remote address and port, or null when not connected.</param>
/// <param name="State">The TCP state; <see cref="ConnectionState.None"/> for UDP (the same values as <see cref="SystemInfo.NetworkConnections"/>).</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public sealed record ProcessConnection(int Fd, ProtocolType Protocol, AddressFamily Family, IPEndPoint Local, IPEndPoint? Remote, ConnectionState State);
