namespace XSystem.Ipc;

/// <summary>Settings of a <see cref="ProcessPool"/>. Validated once when the pool is created.</summary>
/// <remarks>Thread safety: set the properties before creating the pool; the pool copies what it needs.</remarks>
public sealed class ProcessPoolOptions
{
    /// <summary>The worker program: an executable, or the <c>dotnet</c> host with the worker dll as the first of <see cref="WorkerArguments"/>. Required.</summary>
    public string WorkerFileName { get; set; } = "";

    /// <summary>Arguments before the pool's own <c>--xsystem-pool-pipe NAME</c>. Default empty.</summary>
    public IList<string> WorkerArguments { get; } = [];

    /// <summary>Environment variables to set (a <see langword="null"/> value removes one) in every worker. Default empty.</summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Working directory of the workers; <see langword="null"/> (the default) for the current directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Number of worker processes. Default <see cref="System.Environment.ProcessorCount"/> (at least 1).</summary>
    public int WorkerCount { get; set; } = Math.Max(1, System.Environment.ProcessorCount);

    /// <summary>
    /// Requests sent to one worker before its answers come back (correlation ids keep them apart). Default 1: tasks are
    /// isolated, so a crash or timeout fails only the task that caused it (about 23,000 trivial tasks/s on 2 workers).
    /// Raise it (64 gives about 130,000 tasks/s) when throughput matters more: then every task in flight on a worker that
    /// crashes or times out fails with <see cref="WorkerCrashedException"/>.
    /// </summary>
    public int MaxInFlightPerWorker { get; set; } = 1;

    /// <summary>Timeout of a task, counted from the moment it is sent to a worker, when the submit call gives none. Default 5 minutes; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public TimeSpan DefaultTaskTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Recycle a worker (start a replacement, let it finish its tasks, shut it down) after this many completed tasks. Default 0 = never.</summary>
    public long MaxTasksPerWorker { get; set; }

    /// <summary>Recycle a worker when its resident memory (Linux: <c>/proc/PID/statm</c>) exceeds this many bytes. Default 0 = never.</summary>
    public long MaxWorkerMemoryBytes { get; set; }

    /// <summary>How long a new worker may take to start and connect. Default 30 seconds.</summary>
    public TimeSpan WorkerStartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="ProcessPool.DisposeAsync"/> waits for queued and running tasks before it kills the workers. Default 30 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest frame in bytes in either direction. Default 16 MiB.</summary>
    public int MaxFrameBytes { get; set; } = MessagePipeOptions.DefaultMaxFrameBytes;

    /// <summary>Clock for timeouts and uptime. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(WorkerFileName))
        {
            throw new ArgumentException("ProcessPoolOptions.WorkerFileName is required: the worker executable, or the dotnet host with the worker dll in WorkerArguments.", "options");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(WorkerCount, 1, "options.WorkerCount");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInFlightPerWorker, 1, "options.MaxInFlightPerWorker");
        ArgumentOutOfRangeException.ThrowIfNegative(MaxTasksPerWorker, "options.MaxTasksPerWorker");
        ArgumentOutOfRangeException.ThrowIfNegative(MaxWorkerMemoryBytes, "options.MaxWorkerMemoryBytes");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 64, "options.MaxFrameBytes");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WorkerStartTimeout, TimeSpan.Zero, "options.WorkerStartTimeout");
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownTimeout, TimeSpan.Zero, "options.ShutdownTimeout");
        ArgumentNullException.ThrowIfNull(TimeProvider, "options.TimeProvider");
        if (DefaultTaskTimeout <= TimeSpan.Zero && DefaultTaskTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException("options.DefaultTaskTimeout", DefaultTaskTimeout, "DefaultTaskTimeout must be positive or Timeout.InfiniteTimeSpan.");
        }
    }
}
