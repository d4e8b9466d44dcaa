namespace XSystem.Monitoring;

/// <summary>Settings of a <see cref="MemoryLeakDetector"/>; validated when the detector is created.</summary>
/// <remarks>Thread safety: set the properties before passing the options to the detector; not safe to change afterwards.</remarks>
public sealed class MemoryLeakDetectorOptions
{
    /// <summary>How far back samples count: older samples are dropped. Default 10 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The samples in the window must span at least this long before a leak is reported. Default 1 minute.</summary>
    public TimeSpan MinimumDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At least this many samples must be in the window before a leak is reported. Default 10; at least 3.</summary>
    public int MinimumSamples { get; set; } = 10;

    /// <summary>A metric counts as growing from this slope on, in bytes per second. Default 10 KiB/s (about 36 MB per hour).</summary>
    public double SlopeThresholdBytesPerSecond { get; set; } = 10 * 1024;

    /// <summary>
    /// The fitted line must explain at least this share of the variance (R², 0 to 1) so that GC sawtooth and noise
    /// do not count as growth. Default 0.8.
    /// </summary>
    public double MinimumRSquared { get; set; } = 0.8;

    /// <summary>How often <see cref="MemoryLeakDetector.Start"/> samples. Default 10 seconds.</summary>
    public TimeSpan SamplingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether automatic samples measure RSS too. Default true.</summary>
    public bool IncludeResidentSet { get; set; } = true;

    /// <summary>The clock for automatic sampling and sample time stamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumDuration, TimeSpan.Zero, nameof(MinimumDuration));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinimumDuration, Window, nameof(MinimumDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumSamples, 3, nameof(MinimumSamples));
        ArgumentOutOfRangeException.ThrowIfNegative(SlopeThresholdBytesPerSecond, nameof(SlopeThresholdBytesPerSecond));
        if (double.IsNaN(SlopeThresholdBytesPerSecond) || double.IsNaN(MinimumRSquared) || MinimumRSquared is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumRSquared), MinimumRSquared, "MinimumRSquared must be between 0 and 1 and the slope threshold a number.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SamplingInterval, TimeSpan.Zero, nameof(SamplingInterval));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
