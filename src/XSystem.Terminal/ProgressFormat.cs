using System.Globalization;

namespace XSystem.Terminal;

/// <summary>Human-friendly rate and duration formats used by <see cref="ProgressBar"/>.</summary>
internal static class ProgressFormat
{
    private static readonly string[] Suffixes = ["", "k", "M", "G", "T"];

    /// <summary>Formats items per second: <c>"0.25/s"</c>, <c>"12.5/s"</c>, <c>"1.2k/s"</c>, <c>"3.4M/s"</c>; <c>"--/s"</c> when unknown.</summary>
    public static string Rate(double perSecond)
    {
        if (double.IsNaN(perSecond) || double.IsInfinity(perSecond) || perSecond <= 0)
        {
            return "--/s";
        }

        if (perSecond < 1)
        {
            return perSecond.ToString("0.00", CultureInfo.InvariantCulture) + "/s";
        }

        double value = perSecond;
        int suffix = 0;
        while (value >= 999.95 && suffix < Suffixes.Length - 1)
        {
            value /= 1000;
            suffix++;
        }

        return value.ToString("0.0", CultureInfo.InvariantCulture) + Suffixes[suffix] + "/s";
    }

    /// <summary>Formats a duration as <c>"mm:ss"</c> below an hour and <c>"h:mm:ss"</c> above; <c>"--:--"</c> when unknown.</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not TimeSpan value || value < TimeSpan.Zero)
        {
            return "--:--";
        }

        long totalSeconds = (long)value.TotalSeconds;
        long hours = totalSeconds / 3600;
        long minutes = totalSeconds / 60 % 60;
        long seconds = totalSeconds % 60;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes:00}:{seconds:00}");
    }
}
