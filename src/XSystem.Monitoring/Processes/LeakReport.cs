using System.Globalization;

namespace XSystem.Monitoring;

/// <summary>What a <see cref="MemoryLeakDetector"/> concluded from the samples in its window.</summary>
/// <remarks>Thread safety: an immutable value.</remarks>
public sealed record LeakReport
{
    /// <summary>Whether steady growth was found: some metric grows at least at the slope threshold with at least the minimum R², over enough samples and time.</summary>
    public required bool IsLeakSuspected { get; init; }

    /// <summary>
    /// The metric the verdict rests on: <see cref="LeakMetric.ManagedHeap"/> when it grows, else
    /// <see cref="LeakMetric.ResidentSet"/> (native memory), else the fastest growing generation; null when nothing grows.
    /// </summary>
    public LeakMetric? Metric { get; init; }

    /// <summary>Growth rate of <see cref="Metric"/> in bytes per second (0 when nothing grows).</summary>
    public double GrowthBytesPerSecond { get; init; }

    /// <summary>R² of the fit of <see cref="Metric"/> (0 when nothing grows).</summary>
    public double RSquared { get; init; }

    /// <summary>The fastest growing GC generation (generation 0/1/2, LOH or POH), or null when none grows.</summary>
    public LeakMetric? GrowingGeneration { get; init; }

    /// <summary>The trend of every metric that has samples, including the ones that do not grow.</summary>
    public required IReadOnlyList<LeakTrend> Trends { get; init; }

    /// <summary>Samples in the window.</summary>
    public required int SampleCount { get; init; }

    /// <summary>Time from the first to the last sample in the window.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Generation 0, 1 and 2 collections between the first and the last sample.</summary>
    public (int Generation0, int Generation1, int Generation2) Collections { get; init; }

    /// <summary>Why the verdict is what it is, in one sentence.</summary>
    public required string Summary { get; init; }

    internal static string Describe(LeakReport report, int minimumSamples, TimeSpan minimumDuration)
    {
        if (report.SampleCount < minimumSamples || report.Duration < minimumDuration)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"Not enough data yet: {report.SampleCount} samples over {report.Duration.TotalSeconds:0.#} s (need {minimumSamples} samples over {minimumDuration.TotalSeconds:0.#} s).");
        }

        if (!report.IsLeakSuspected)
        {
            return string.Create(CultureInfo.InvariantCulture, $"No steady growth over {report.Duration.TotalSeconds:0.#} s and {report.SampleCount} samples.");
        }

        string generation = report.GrowingGeneration is { } g ? $"; {g} grows fastest" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Possible leak: {report.Metric} grows {ByteSize.Format((long)report.GrowthBytesPerSecond)}/s (R² {report.RSquared:0.00}) over {report.Duration.TotalSeconds:0.#} s{generation}.");
    }
}
