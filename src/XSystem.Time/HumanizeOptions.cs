using System.Globalization;
using Humanizer;

namespace XSystem.Time;

/// <summary>How <see cref="Durations.Humanize(TimeSpan, HumanizeOptions?)"/> writes a duration.</summary>
/// <remarks>Thread safety: immutable once initialized; share freely.</remarks>
public sealed record HumanizeOptions
{
    /// <summary>The default options: up to 3 units, days down to seconds, long form, current culture.</summary>
    public static HumanizeOptions Default { get; } = new();

    /// <summary>The most units written, largest first; smaller remainders are truncated. Default 3 (Humanizer calls this precision).</summary>
    public int MaxUnits { get; init; } = 3;

    /// <summary>The smallest unit written. Default <see cref="TimeUnit.Second"/>.</summary>
    public TimeUnit MinUnit { get; init; } = TimeUnit.Second;

    /// <summary>The largest unit written; larger amounts are expressed in it (e.g. 36 hours with <see cref="TimeUnit.Hour"/>). Default <see cref="TimeUnit.Day"/>.</summary>
    public TimeUnit MaxUnit { get; init; } = TimeUnit.Day;

    /// <summary>Short form: "1d 3h 45m" (culture-invariant abbreviations) instead of "1 day, 3 hours, 45 minutes". Default false.</summary>
    public bool ShortForm { get; init; }

    /// <summary>The culture for unit names in long form (through Humanizer). Default null: the current UI culture.</summary>
    public CultureInfo? Culture { get; init; }

    /// <summary>Separator between units in long form. Default ", ".</summary>
    public string Separator { get; init; } = ", ";
}
