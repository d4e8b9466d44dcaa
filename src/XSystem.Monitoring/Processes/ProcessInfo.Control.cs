using System.Runtime.InteropServices;

namespace XSystem.Monitoring;

/// <content>Process control: signals and waiting for exit.</content>
public sealed partial class ProcessInfo
{
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>Asks the process to end (SIGTERM).</summary>
    /// <exception cref="ProcessGoneException">The process is gone, or its pid now belongs to another process.</exception>
    /// <exception cref="AccessDeniedException">This process may not signal it.</exception>
    public void Terminate() => SendSignal(ProcessNative.SIGTERM, "SIGTERM");

    /// <summary>Ends the process at once (SIGKILL).</summary>
    /// <exception cref="ProcessGoneException">The process is gone, or its pid now belongs to another process.</exception>
    /// <exception cref="AccessDeniedException">This process may not signal it.</exception>
    public void Kill() => SendSignal(ProcessNative.SIGKILL, "SIGKILL");

    /// <summary>Stops the process (SIGSTOP); its status becomes <see cref="ProcessStatus.Stopped"/>.</summary>
    /// <exception cref="ProcessGoneException">The process is gone, or its pid now belongs to another process.</exception>
    /// <exception cref="AccessDeniedException">This process may not signal it.</exception>
    public void Suspend() => SendSignal(ProcessNative.SIGSTOP, "SIGSTOP");

    /// <summary>Lets a stopped process continue (SIGCONT).</summary>
    /// <exception cref="ProcessGoneException">The process is gone, or its pid now belongs to another process.</exception>
    /// <exception cref="AccessDeniedException">This process may not signal it.</exception>
    public void Resume() => SendSignal(ProcessNative.SIGCONT, "SIGCONT");

    /// <summary>
    /// Waits until the process has exited. Works for any process, not only children: it polls /proc/&lt;pid&gt;
    /// with a backoff from 1 ms to 50 ms. A zombie (exited, not yet reaped by its parent) counts as exited, and so
    /// does a pid that now belongs to another process.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the process has exited.</returns>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public async Task WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        ProcessReader.EnsureSupported(nameof(WaitForExitAsync));
        TimeSpan delay = TimeSpan.FromMilliseconds(1);
        while (!HasExited())
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 < MaxPollDelay ? delay * 2 : MaxPollDelay;
        }
    }

    /// <summary>Whether the process has exited (gone, zombie, dead, or its pid reused).</summary>
    /// <returns>True when it has exited.</returns>
    public bool HasExited()
    {
        byte[] buffer = ProcFiles.RentBuffer();
        try
        {
            ProcReadStatus status = ProcessReader.TryReadStat(Pid, ref buffer, out StatFields now);
            return status switch
            {
                ProcReadStatus.Ok => now.StartTicks != _stat.StartTicks || now.State is 'Z' or 'X' or 'x',
                ProcReadStatus.AccessDenied => !ProcFiles.PidDirectoryExists(Pid),
                _ => true,
            };
        }
        finally
        {
            ProcFiles.ReturnBuffer(buffer);
        }
    }

    private void SendSignal(int signal, string name)
    {
        ProcessReader.EnsureSupported("ProcessInfo." + name);

        // The identity check and kill(2) are two steps; the window between them is microseconds, and the kernel
        // hands out pids in increasing order, so a reuse inside it would need the pid space to wrap in that time.
        EnsureSameProcess();
        if (ProcessNative.Kill(Pid, signal) == 0)
        {
            return;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno == ProcessNative.EPERM)
        {
            ProcessReader.ThrowDenied(Pid, name);
        }

        ProcessReader.ThrowGone(Pid);
    }
}
