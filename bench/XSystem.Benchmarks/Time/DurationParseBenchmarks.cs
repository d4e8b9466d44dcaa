using System.Globalization;
using BenchmarkDotNet.Attributes;
using XSystem.Time;

namespace XSystem.Benchmarks.Time;

/// <summary>Durations.Parse on clock-style input against TimeSpan.Parse (baseline; target ≥ 1x speed), plus free-form and ISO 8601 inputs for ns/op.</summary>
[MemoryDiagnoser]
public class DurationParseBenchmarks
{
    [Benchmark(Baseline = true)]
    public TimeSpan TimeSpan_Parse_Clock() => TimeSpan.Parse("01:30:00", CultureInfo.InvariantCulture);

    [Benchmark]
    public TimeSpan Durations_Parse_Clock() => Durations.Parse("01:30:00");

    [Benchmark]
    public TimeSpan Durations_Parse_ClockWithDays() => Durations.Parse("1.02:03:04");

    [Benchmark]
    public TimeSpan Durations_Parse_Compact() => Durations.Parse("2h 30m 15s");

    [Benchmark]
    public TimeSpan Durations_Parse_Words() => Durations.Parse("1 hour and 30 minutes");

    [Benchmark]
    public TimeSpan Durations_Parse_Iso8601() => Durations.Parse("PT2H30M");

    [Benchmark]
    public string Durations_Humanize() => Durations.Humanize(new TimeSpan(1, 3, 45, 0));

    [Benchmark]
    public string Durations_Humanize_Short() => Durations.Humanize(new TimeSpan(1, 3, 45, 0), ShortForm);

    private static readonly HumanizeOptions ShortForm = new() { ShortForm = true };
}
