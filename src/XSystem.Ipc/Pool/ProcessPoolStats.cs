namespace XSystem.Ipc;

/// <summary>A snapshot of a <see cref="ProcessPool"/>'s counters.</summary>
/// <param name="Queued">Tasks submitted and not yet sent to a worker.</param>
/// <param name="Running">Tasks sent to a worker and not answered yet.</param>
/// <param name="Completed">Tasks answered with a result.</param>
/// <param name="Failed">Tasks that failed: handler exception, worker crash, timeout.</param>
/// <param name="Restarts">Workers replaced after a crash, a timeout kill or a protocol error (recycling is not counted).</param>
/// <param name="Recycled">Workers replaced because they reached <see cref="ProcessPoolOptions.MaxTasksPerWorker"/> or <see cref="ProcessPoolOptions.MaxWorkerMemoryBytes"/>.</param>
/// <param name="Workers">Worker processes alive and connected now.</param>
/// <remarks>Thread safety: immutable value.</remarks>
public readonly record struct ProcessPoolStats(long Queued, long Running, long Completed, long Failed, long Restarts, long Recycled, int Workers);
