using System.Globalization;

namespace XSystem.Time;

/// <summary>
/// Relative times for people: <see cref="Format"/> gives "just now", "5 minutes ago", "in 3 days", "yesterday",
/// "last month"; <see cref="Humanize"/> gives "today at 14:05", "yesterday at 09:00", "Mon 14:00", "12 Mar 2025".
/// English, culture-invariant output. The current time comes from a <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>Thread safety: all members are stateless and safe to call concurrently.</remarks>
public static class TimeAgo
{
    /// <summary>Says how long ago (or how far ahead) <paramref name="when"/> is.</summary>
    /// <param name="when">The instant.</param>
    /// <param name="clock">The clock for "now"; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>
    /// Under a minute: "just now"; then "N minutes ago" / "in N minutes", hours, "yesterday" / "tomorrow" (24-48 h),
    /// days (under a week), "last week" / "N weeks ago" (under 30 days), "last month" / "N months ago" (30-day months,
    /// under a year), "last year" / "N years ago" (365-day years). Counts are truncated.
    /// </returns>
    public static string Format(DateTimeOffset when, TimeProvider? clock = null)
    {
        DateTimeOffset now = (clock ?? TimeProvider.System).GetUtcNow();
        TimeSpan diff = now - when;
        bool future = diff < TimeSpan.Zero;
        TimeSpan d = diff.Duration();
        if (d < TimeSpan.FromMinutes(1))
        {
            return "just now";
        }

        if (d < TimeSpan.FromHours(1))
        {
            return Relative((int)d.TotalMinutes, "minute", future);
        }

        if (d < TimeSpan.FromDays(1))
        {
            return Relative((int)d.TotalHours, "hour", future);
        }

        if (d < TimeSpan.FromDays(2))
        {
            return future ? "tomorrow" : "yesterday";
        }

        if (d < TimeSpan.FromDays(7))
        {
            return Relative((int)d.TotalDays, "day", future);
        }

        if (d < TimeSpan.FromDays(30))
        {
            int weeks = (int)(d.TotalDays / 7);
            return weeks == 1 ? (future ? "next week" : "last week") : Relative(weeks, "week", future);
        }

        if (d < TimeSpan.FromDays(365))
        {
            int months = (int)(d.TotalDays / 30);
            return months == 1 ? (future ? "next month" : "last month") : Relative(months, "month", future);
        }

        int years = (int)(d.TotalDays / 365);
        return years == 1 ? (future ? "next year" : "last year") : Relative(years, "year", future);
    }

    /// <summary>
    /// Writes an instant the way a chat or mail client does, in the clock's local time zone (or <paramref name="zone"/>):
    /// "today at 14:05", "yesterday at 09:00", "tomorrow at 08:30", "Mon 14:00" (within the last 6 days),
    /// "12 Mar" (same year), "12 Mar 2025" (other years).
    /// </summary>
    /// <param name="when">The instant.</param>
    /// <param name="clock">The clock for "now" and its local zone; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="zone">The zone to show times in; the clock's <see cref="TimeProvider.LocalTimeZone"/> when null.</param>
    /// <returns>The text (English, 24-hour clock).</returns>
    public static string Humanize(DateTimeOffset when, TimeProvider? clock = null, TimeZoneInfo? zone = null)
    {
        clock ??= TimeProvider.System;
        zone ??= clock.LocalTimeZone;
        DateTime now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        DateTime local = TimeZoneInfo.ConvertTime(when, zone).DateTime;
        int dayDiff = (now.Date - local.Date).Days;
        CultureInfo inv = CultureInfo.InvariantCulture;
        string time = local.ToString("HH':'mm", inv);
        return dayDiff switch
        {
            0 => "today at " + time,
            1 => "yesterday at " + time,
            -1 => "tomorrow at " + time,
            > 1 and < 7 => local.ToString("ddd", inv) + " " + time,
            _ when local.Year == now.Year => local.ToString("d MMM", inv),
            _ => local.ToString("d MMM yyyy", inv),
        };
    }

    private static string Relative(int count, string unit, bool future)
    {
        string amount = count.ToString(CultureInfo.InvariantCulture) + " " + unit + (count == 1 ? string.Empty : "s");
        return future ? "in " + amount : amount + " ago";
    }
}
