using System.Diagnostics;
using System.Runtime.CompilerServices;
using XSystem.Ipc.Internal;

namespace XSystem.Ipc;

/// <summary>
/// Starts, supervises, restarts and stops named child processes, keeps their recent output and streams it.
/// Children die with the manager: on Unix each child runs in its own session and process group (through
/// <c>setsid</c>) under a small shell guard that kills the group when the manager's process exits for any reason,
/// SIGKILL included; <see cref="DisposeAsync"/> stops every group (SIGTERM, then SIGKILL). On Windows every child is
/// assigned to a job object with KILL_ON_JOB_CLOSE.
/// </summary>
/// <remarks>
/// Seed name: <c>ProcessManager</c> of the Python xSystem (<c>start_process</c> = <see cref="Start"/>,
/// <c>stop_process</c> = <see cref="StopAsync"/>, <c>list_processes</c> = <see cref="List"/>,
/// <c>get_output</c> = <see cref="GetOutput"/>/<see cref="ReadOutputAsync"/>).
/// Thread safety: every member is thread-safe. <see cref="Exited"/> handlers run on a thread-pool thread.
/// </remarks>
public sealed class ProcessManager : IAsyncDisposable
{
    private readonly Dictionary<string, ManagedProcess> _processes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly ProcessManagerOptions _options;
    private readonly WindowsJob? _job;
    private int _disposed;

    /// <summary>Creates a manager.</summary>
    /// <param name="options">Limits and clock; <see langword="null"/> for the defaults.</param>
    public ProcessManager(ProcessManagerOptions? options = null)
    {
        _options = options ?? new ProcessManagerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxProcesses, 1, "options.MaxProcesses");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.OutputBufferLines, 1, "options.OutputBufferLines");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.DisposeGracePeriod, TimeSpan.Zero, "options.DisposeGracePeriod");
        ArgumentNullException.ThrowIfNull(_options.TimeProvider, "options.TimeProvider");
        if (OperatingSystem.IsWindows())
        {
            _job = new WindowsJob();
        }
    }

    /// <summary>Raised after each run of a supervised process ends, before any restart.</summary>
    public event EventHandler<ProcessExitedEventArgs>? Exited;

    /// <summary>The most processes supervised at once (<see cref="ProcessManagerOptions.MaxProcesses"/>).</summary>
    public int MaxProcesses => _options.MaxProcesses;

    internal TimeProvider TimeProvider => _options.TimeProvider;

    internal bool UseProcessGroups => _options.UseProcessGroups;

    /// <summary>Starts <paramref name="spec"/> under <paramref name="name"/> and supervises it.</summary>
    /// <param name="name">A unique name. A name whose process is in a final state may be reused.</param>
    /// <param name="spec">What to run and how to restart it.</param>
    /// <returns>The state right after the start.</returns>
    /// <exception cref="InvalidOperationException">The name is in use by a live process, or <see cref="MaxProcesses"/> are running.</exception>
    /// <exception cref="FileNotFoundException">The program cannot be found or executed.</exception>
    public ManagedProcessInfo Start(string name, ProcessSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var process = new ManagedProcess(this, name, spec.Copy(), _options.OutputBufferLines);
        lock (_lock)
        {
            if (_processes.TryGetValue(name, out ManagedProcess? existing) && !existing.IsFinal)
            {
                throw new InvalidOperationException($"A process named '{name}' is already supervised ({existing.Info.State}); stop it first or pick another name.");
            }

            int live = _processes.Values.Count(p => !p.IsFinal);
            if (live >= _options.MaxProcesses)
            {
                throw new InvalidOperationException($"Cannot start '{name}': {live} processes are supervised and MaxProcesses is {_options.MaxProcesses}.");
            }

            process.Start();
            _processes[name] = process;
        }

        return process.Info;
    }

    /// <summary>Asks the process to stop: SIGTERM to its process group now, SIGKILL after <paramref name="gracePeriod"/> (Windows: kill at once). Returns without waiting; see <see cref="StopAsync"/>.</summary>
    /// <param name="name">The managed name.</param>
    /// <param name="gracePeriod">Time between SIGTERM and SIGKILL. Default 10 seconds.</param>
    /// <returns><see langword="false"/> if no process has that name.</returns>
    public bool Stop(string name, TimeSpan? gracePeriod = null)
    {
        ManagedProcess? process = Find(name);
        if (process is null)
        {
            return false;
        }

        process.RequestStop(gracePeriod ?? TimeSpan.FromSeconds(10));
        return true;
    }

    /// <summary>Stops the process (SIGTERM, SIGKILL after <paramref name="gracePeriod"/>) and waits until it has exited.</summary>
    /// <param name="name">The managed name.</param>
    /// <param name="gracePeriod">Time between SIGTERM and SIGKILL. Default 10 seconds.</param>
    /// <param name="cancellationToken">Stops waiting (the stop itself goes on).</param>
    /// <returns>The final state.</returns>
    /// <exception cref="KeyNotFoundException">No process has that name.</exception>
    public async Task<ManagedProcessInfo> StopAsync(string name, TimeSpan? gracePeriod = null, CancellationToken cancellationToken = default)
    {
        ManagedProcess process = Find(name) ?? throw NotFound(name);
        process.RequestStop(gracePeriod ?? TimeSpan.FromSeconds(10));
        return await process.Final.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the current run (SIGTERM, SIGKILL after the grace period) and starts it again at once; counts as a restart.</summary>
    /// <param name="name">The managed name.</param>
    /// <param name="gracePeriod">Time between SIGTERM and SIGKILL. Default 10 seconds.</param>
    /// <exception cref="KeyNotFoundException">No process has that name.</exception>
    /// <exception cref="InvalidOperationException">The process is stopped or in a final state; use <see cref="Start"/>.</exception>
    public void Restart(string name, TimeSpan? gracePeriod = null)
    {
        ManagedProcess process = Find(name) ?? throw NotFound(name);
        process.RequestRestart(gracePeriod ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits until the process reaches a final state (stopped, exited without restart, or failed).</summary>
    /// <param name="name">The managed name.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The final state, with the last exit code.</returns>
    /// <exception cref="KeyNotFoundException">No process has that name.</exception>
    public Task<ManagedProcessInfo> WaitForFinalAsync(string name, CancellationToken cancellationToken = default)
    {
        ManagedProcess process = Find(name) ?? throw NotFound(name);
        return process.Final.WaitAsync(cancellationToken);
    }

    /// <summary>Snapshots of every supervised process (final ones included until their name is reused).</summary>
    /// <returns>The processes ordered by name.</returns>
    public IReadOnlyList<ManagedProcessInfo> List()
    {
        lock (_lock)
        {
            return _processes.Values.Select(p => p.Info).OrderBy(i => i.Name, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>The snapshot of one process.</summary>
    /// <param name="name">The managed name.</param>
    /// <param name="info">The snapshot, when found.</param>
    /// <returns>Whether a process has that name.</returns>
    public bool TryGet(string name, out ManagedProcessInfo info)
    {
        ManagedProcess? process = Find(name);
        info = process?.Info!;
        return process is not null;
    }

    /// <summary>The lines kept in the bounded output buffer (<see cref="ProcessManagerOptions.OutputBufferLines"/>), oldest first.</summary>
    /// <param name="name">The managed name.</param>
    /// <returns>The buffered lines of stdout and stderr in arrival order.</returns>
    /// <exception cref="KeyNotFoundException">No process has that name.</exception>
    public IReadOnlyList<OutputLine> GetOutput(string name) => (Find(name) ?? throw NotFound(name)).Output.Snapshot();

    /// <summary>
    /// Streams the process's output: first the buffered lines, then new ones as they arrive, across restarts. The
    /// stream ends when the process reaches a final state and every line has been read. Lines that fall out of the
    /// bounded buffer before a slow reader gets to them are skipped (see <see cref="OutputLine.Sequence"/>).
    /// </summary>
    /// <param name="name">The managed name.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The lines in order.</returns>
    /// <exception cref="KeyNotFoundException">No process has that name.</exception>
    public IAsyncEnumerable<OutputLine> ReadOutputAsync(string name, CancellationToken cancellationToken = default)
    {
        ManagedProcess process = Find(name) ?? throw NotFound(name);
        return ReadAsync(process.Output, cancellationToken);
    }

    /// <summary>Stops every process (SIGTERM to each group, SIGKILL after <see cref="ProcessManagerOptions.DisposeGracePeriod"/>), kills whatever is left in their groups and waits for them.</summary>
    /// <returns>A task that completes when every child has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ManagedProcess[] all;
        lock (_lock)
        {
            all = [.. _processes.Values];
        }

        foreach (ManagedProcess process in all)
        {
            process.RequestStop(_options.DisposeGracePeriod);
        }

        try
        {
            await Task.WhenAll(all.Select(p => p.Final)).WaitAsync(_options.DisposeGracePeriod + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Killed below.
        }

        foreach (ManagedProcess process in all)
        {
            if (!process.IsFinal)
            {
                process.KillGroup(); // did not stop in time: the whole group, grandchildren included
            }
        }

        _job?.Dispose();
    }

    internal void Adopt(Process process) => _job?.Add(process);

    internal void RaiseExited(ProcessExitedEventArgs args)
    {
        EventHandler<ProcessExitedEventArgs>? handler = Exited;
        if (handler is not null)
        {
            ThreadPool.QueueUserWorkItem(_ => handler(this, args));
        }
    }

    private static async IAsyncEnumerable<OutputLine> ReadAsync(OutputRing ring, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long last = 0;
        while (true)
        {
            (List<OutputLine> lines, bool completed, Task changed) = ring.After(last);
            foreach (OutputLine line in lines)
            {
                last = line.Sequence;
                yield return line;
            }

            if (lines.Count == 0)
            {
                if (completed)
                {
                    yield break;
                }

                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ManagedProcess? Find(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_lock)
        {
            return _processes.GetValueOrDefault(name);
        }
    }

    private static KeyNotFoundException NotFound(string name) => new($"No process named '{name}' is supervised by this manager.");
}
