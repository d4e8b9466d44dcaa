namespace XSystem.Monitoring;

/// <summary>One measurement of this process's memory for <see cref="MemoryLeakDetector"/>.</summary>
/// <remarks>
/// Generation sizes are the sizes after the most recent collection (<see cref="GC.GetGCMemoryInfo()"/>), so they
/// change only when the GC runs. Thread safety: an immutable value.
/// </remarks>
public sealed record LeakSample
{
    /// <summary>When the sample was taken.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Bytes allocated on the managed heap (<see cref="GC.GetTotalMemory(bool)"/> without forcing a collection).</summary>
    public long ManagedHeapBytes { get; init; }

    /// <summary>Generation 0 size after the last collection, in bytes.</summary>
    public long Generation0Bytes { get; init; }

    /// <summary>Generation 1 size after the last collection, in bytes.</summary>
    public long Generation1Bytes { get; init; }

    /// <summary>Generation 2 size after the last collection, in bytes.</summary>
    public long Generation2Bytes { get; init; }

    /// <summary>Large object heap size after the last collection, in bytes.</summary>
    public long LargeObjectHeapBytes { get; init; }

    /// <summary>Pinned object heap size after the last collection, in bytes.</summary>
    public long PinnedObjectHeapBytes { get; init; }

    /// <summary>Generation 0 collections since the process started.</summary>
    public int Generation0Collections { get; init; }

    /// <summary>Generation 1 collections since the process started.</summary>
    public int Generation1Collections { get; init; }

    /// <summary>Generation 2 collections since the process started.</summary>
    public int Generation2Collections { get; init; }

    /// <summary>Resident set size of the process in bytes, or null when not measured.</summary>
    public long? ResidentSetBytes { get; init; }

    /// <summary>The value of one metric of this sample, or null when it was not measured.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>The value in bytes.</returns>
    public long? ValueOf(LeakMetric metric) => metric switch
    {
        LeakMetric.ManagedHeap => ManagedHeapBytes,
        LeakMetric.Generation0 => Generation0Bytes,
        LeakMetric.Generation1 => Generation1Bytes,
        LeakMetric.Generation2 => Generation2Bytes,
        LeakMetric.LargeObjectHeap => LargeObjectHeapBytes,
        LeakMetric.PinnedObjectHeap => PinnedObjectHeapBytes,
        LeakMetric.ResidentSet => ResidentSetBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown leak metric."),
    };

    /// <summary>Measures this process now: managed heap, generation sizes, collection counts and RSS.</summary>
    /// <param name="timeProvider">The clock for <see cref="Timestamp"/>; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="includeResidentSet">Also measure RSS (one read of /proc/self/statm on Linux).</param>
    /// <returns>The sample.</returns>
    public static LeakSample Capture(TimeProvider? timeProvider = null, bool includeResidentSet = true)
    {
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        ReadOnlySpan<GCGenerationInfo> generations = info.GenerationInfo;
        Span<long> sizes = stackalloc long[5];
        for (int i = 0; i < sizes.Length && i < generations.Length; i++)
        {
            sizes[i] = generations[i].SizeAfterBytes;
        }

        return new LeakSample
        {
            Timestamp = (timeProvider ?? TimeProvider.System).GetUtcNow(),
            ManagedHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            Generation0Bytes = sizes[0],
            Generation1Bytes = sizes[1],
            Generation2Bytes = sizes[2],
            LargeObjectHeapBytes = sizes[3],
            PinnedObjectHeapBytes = sizes[4],
            Generation0Collections = GC.CollectionCount(0),
            Generation1Collections = GC.CollectionCount(1),
            Generation2Collections = GC.CollectionCount(2),
            ResidentSetBytes = includeResidentSet ? ResidentSet() : null,
        };
    }

    private static long? ResidentSet()
    {
        if (OperatingSystem.IsLinux())
        {
            byte[] buffer = ProcFiles.RentBuffer();
            try
            {
                return ProcessReader.TryReadMemory(Environment.ProcessId, ref buffer, out ProcessMemory? memory) == ProcReadStatus.Ok ? memory!.Rss : null;
            }
            finally
            {
                ProcFiles.ReturnBuffer(buffer);
            }
        }

        using var current = System.Diagnostics.Process.GetCurrentProcess();
        return current.WorkingSet64;
    }
}

/// <summary>A memory series the <see cref="MemoryLeakDetector"/> fits a trend to.</summary>
/// <remarks>Thread safety: an enum; immutable.</remarks>
public enum LeakMetric
{
    /// <summary>Bytes allocated on the managed heap.</summary>
    ManagedHeap,

    /// <summary>Generation 0 size.</summary>
    Generation0,

    /// <summary>Generation 1 size.</summary>
    Generation1,

    /// <summary>Generation 2 size.</summary>
    Generation2,

    /// <summary>Large object heap size.</summary>
    LargeObjectHeap,

    /// <summary>Pinned object heap size.</summary>
    PinnedObjectHeap,

    /// <summary>Resident set size of the process (managed and native memory).</summary>
    ResidentSet,
}

/// <summary>The least-squares trend of one metric over the detector's window.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="SlopeBytesPerSecond">Growth rate of the fitted line, in bytes per second (negative when shrinking).</param>
/// <param name="RSquared">How well a straight line explains the samples: 1 is a perfect line, 0 no linear trend.</param>
/// <param name="IsGrowing">Whether the slope and R² both reach the detector's thresholds.</param>
/// <remarks>Thread safety: an immutable value.</remarks>
public sealed record LeakTrend(LeakMetric Metric, double SlopeBytesPerSecond, double RSquared, bool IsGrowing);
