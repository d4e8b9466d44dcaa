using System.Collections.Concurrent;

namespace XSystem.Time;

/// <summary>What to do with a local time that a daylight-saving change makes skipped or ambiguous.</summary>
public enum DstPolicy
{
    /// <summary>Reject skipped (spring-forward) and ambiguous (fall-back) local times with <see cref="DstResolutionException"/>.</summary>
    Throw = 0,

    /// <summary>Ambiguous times take the earlier instant (the first occurrence, still on daylight time); skipped times move forward by the length of the gap (02:30 becomes 03:30).</summary>
    Earlier = 1,

    /// <summary>Ambiguous times take the later instant (the second occurrence, on standard time); skipped times move forward by the length of the gap.</summary>
    Later = 2,
}

/// <summary>Why a local time could not be mapped to one instant.</summary>
public enum DstProblem
{
    /// <summary>The local time does not exist: the clocks jumped over it.</summary>
    Skipped,

    /// <summary>The local time happens twice: the clocks went back over it.</summary>
    Ambiguous,
}

/// <summary>A change of UTC offset in a time zone.</summary>
/// <param name="Instant">When the change happens (the first instant with the new offset).</param>
/// <param name="OffsetBefore">The UTC offset just before.</param>
/// <param name="OffsetAfter">The UTC offset from <paramref name="Instant"/> on.</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct ZoneTransition(DateTimeOffset Instant, TimeSpan OffsetBefore, TimeSpan OffsetAfter)
{
    /// <summary>How far the clocks move: positive when they spring forward.</summary>
    public TimeSpan Shift => OffsetAfter - OffsetBefore;
}

/// <summary>A time-zone id matched no zone; <see cref="Suggestions"/> lists close matches.</summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class UnknownTimeZoneException : TimeZoneNotFoundException
{
    /// <summary>Creates the exception.</summary>
    public UnknownTimeZoneException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public UnknownTimeZoneException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownTimeZoneException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an id with suggestions.</summary>
    /// <param name="zoneId">The id that matched nothing.</param>
    /// <param name="suggestions">Close matches, best first.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownTimeZoneException(string zoneId, IReadOnlyList<string> suggestions, Exception? innerException)
        : base(BuildMessage(zoneId, suggestions), innerException)
    {
        ZoneId = zoneId;
        Suggestions = suggestions;
    }

    /// <summary>The id that matched no zone.</summary>
    public string? ZoneId { get; }

    /// <summary>Close matches, best first (may be empty).</summary>
    public IReadOnlyList<string> Suggestions { get; } = [];

    private static string BuildMessage(string zoneId, IReadOnlyList<string> suggestions) =>
        suggestions.Count == 0
            ? $"No time zone is called '{zoneId}'. Use an IANA id such as 'Europe/London' or a Windows id such as 'GMT Standard Time' (list them with TimezoneManager.ListZones or 'xsys time zones')."
            : $"No time zone is called '{zoneId}'. Did you mean {string.Join(", ", suggestions.Select(s => "'" + s + "'"))}?";
}

/// <summary>A local time was skipped or ambiguous under <see cref="DstPolicy.Throw"/>.</summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class DstResolutionException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public DstResolutionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public DstResolutionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DstResolutionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a local time.</summary>
    /// <param name="problem">Skipped or ambiguous.</param>
    /// <param name="localTime">The local time.</param>
    /// <param name="zoneId">The zone.</param>
    public DstResolutionException(DstProblem problem, DateTime localTime, string zoneId)
        : base(problem == DstProblem.Skipped
            ? $"{localTime:yyyy-MM-dd HH:mm:ss} does not exist in {zoneId}: the clocks skip it for daylight saving. Pass DstPolicy.Earlier or DstPolicy.Later to move it forward by the gap."
            : $"{localTime:yyyy-MM-dd HH:mm:ss} happens twice in {zoneId}: the clocks go back over it. Pass DstPolicy.Earlier (first occurrence) or DstPolicy.Later (second).")
    {
        Problem = problem;
        LocalTime = localTime;
        ZoneId = zoneId;
    }

    /// <summary>Skipped or ambiguous.</summary>
    public DstProblem Problem { get; }

    /// <summary>The local time that could not be resolved.</summary>
    public DateTime LocalTime { get; }

    /// <summary>The zone id.</summary>
    public string? ZoneId { get; }
}

/// <summary>
/// Time-zone lookups and conversions over <see cref="TimeZoneInfo"/>: IANA ids ("Europe/Berlin") and Windows ids
/// ("W. Europe Standard Time") both work; local times that daylight saving skips or repeats are resolved by an
/// explicit <see cref="DstPolicy"/>; unknown ids fail with close-match suggestions.
/// </summary>
/// <remarks>Thread safety: all members are safe to call concurrently (zone lookups are cached).</remarks>
public static class TimezoneManager
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Cache = new(StringComparer.OrdinalIgnoreCase);
    private static string[]? _allIds;

    /// <summary>Finds a zone by IANA or Windows id (case-insensitive; spaces may stand for underscores, e.g. "america/new york").</summary>
    /// <param name="zoneId">The id, or "UTC" / "Local".</param>
    /// <returns>The zone.</returns>
    /// <exception cref="UnknownTimeZoneException">No zone has that id; the message lists close matches.</exception>
    public static TimeZoneInfo FindZone(string zoneId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zoneId);
        if (TryFindZone(zoneId, out TimeZoneInfo? zone))
        {
            return zone;
        }

        throw new UnknownTimeZoneException(zoneId, Suggest(zoneId), null);
    }

    /// <summary>Finds a zone like <see cref="FindZone"/>, returning false instead of throwing.</summary>
    /// <param name="zoneId">The id.</param>
    /// <param name="zone">The zone, or null.</param>
    /// <returns>True when found.</returns>
    public static bool TryFindZone(string? zoneId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(zoneId))
        {
            return false;
        }

        string id = zoneId.Trim();
        if (Cache.TryGetValue(id, out zone))
        {
            return true;
        }

        if (id.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.Local;
            return true;
        }

        foreach (string candidate in (ReadOnlySpan<string>)[id, id.Replace(' ', '_'), CanonicalCase(id)])
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(candidate);
                Cache[id] = zone;
                return true;
            }
            catch (TimeZoneNotFoundException)
            {
            }
            catch (InvalidTimeZoneException)
            {
            }
        }

        return false;
    }

    /// <summary>Lists zone ids (IANA on Linux and macOS, Windows ids on Windows), sorted, optionally filtered.</summary>
    /// <param name="filter">Case-insensitive substring; null or empty lists all.</param>
    /// <returns>The ids.</returns>
    public static IReadOnlyList<string> ListZones(string? filter = null)
    {
        string[] all = AllIds();
        if (string.IsNullOrWhiteSpace(filter))
        {
            return all;
        }

        string f = filter.Trim().Replace(' ', '_');
        return [.. all.Where(id => id.Contains(f, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>Expresses an instant in another zone (same instant, that zone's offset).</summary>
    /// <param name="value">The instant.</param>
    /// <param name="toZoneId">The target zone id.</param>
    /// <returns>The same instant with the target zone's offset.</returns>
    public static DateTimeOffset Convert(DateTimeOffset value, string toZoneId) => TimeZoneInfo.ConvertTime(value, FindZone(toZoneId));

    /// <summary>Reads a wall-clock time in one zone and expresses that instant in another zone.</summary>
    /// <param name="local">The wall-clock time in <paramref name="fromZoneId"/> (its <see cref="DateTime.Kind"/> is ignored).</param>
    /// <param name="fromZoneId">The zone the wall-clock time belongs to.</param>
    /// <param name="toZoneId">The target zone.</param>
    /// <param name="policy">What to do with skipped and ambiguous local times. Default <see cref="DstPolicy.Throw"/>.</param>
    /// <returns>The instant, with the target zone's offset.</returns>
    /// <exception cref="DstResolutionException">The time is skipped or ambiguous and the policy is <see cref="DstPolicy.Throw"/>.</exception>
    public static DateTimeOffset ConvertLocal(DateTime local, string fromZoneId, string toZoneId, DstPolicy policy = DstPolicy.Throw) =>
        TimeZoneInfo.ConvertTime(ResolveLocal(local, fromZoneId, policy), FindZone(toZoneId));

    /// <summary>Maps a wall-clock time in a zone to an instant.</summary>
    /// <param name="local">The wall-clock time (its <see cref="DateTime.Kind"/> is ignored).</param>
    /// <param name="zoneId">The zone.</param>
    /// <param name="policy">What to do with skipped and ambiguous local times. Default <see cref="DstPolicy.Throw"/>.</param>
    /// <returns>The instant with the zone's offset at that instant.</returns>
    /// <exception cref="DstResolutionException">The time is skipped or ambiguous and the policy is <see cref="DstPolicy.Throw"/>.</exception>
    public static DateTimeOffset ResolveLocal(DateTime local, string zoneId, DstPolicy policy = DstPolicy.Throw)
    {
        TimeZoneInfo zone = FindZone(zoneId);
        DateTime wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            if (policy == DstPolicy.Throw)
            {
                throw new DstResolutionException(DstProblem.Skipped, wall, zone.Id);
            }

            // Read the wall time with the offset in force before the gap: the result lands after the gap, shifted by its length.
            TimeSpan before = zone.GetUtcOffset(wall.AddDays(-1));
            var instant = new DateTimeOffset(wall, before);
            return TimeZoneInfo.ConvertTime(instant, zone);
        }

        if (zone.IsAmbiguousTime(wall))
        {
            TimeSpan[] offsets = zone.GetAmbiguousTimeOffsets(wall);
            switch (policy)
            {
                case DstPolicy.Throw:
                    throw new DstResolutionException(DstProblem.Ambiguous, wall, zone.Id);
                case DstPolicy.Earlier:
                    // The larger offset gives the earlier instant.
                    return new DateTimeOffset(wall, offsets.Max());
                default:
                    return new DateTimeOffset(wall, offsets.Min());
            }
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    /// <summary>Whether daylight-saving time is in force in a zone at an instant.</summary>
    /// <param name="instant">The instant.</param>
    /// <param name="zoneId">The zone.</param>
    /// <returns>True during daylight-saving time.</returns>
    public static bool IsDaylightSaving(DateTimeOffset instant, string zoneId) => FindZone(zoneId).IsDaylightSavingTime(instant);

    /// <summary>The zone's UTC offset at an instant.</summary>
    /// <param name="instant">The instant.</param>
    /// <param name="zoneId">The zone.</param>
    /// <returns>The offset (for example +05:45 for Asia/Kathmandu).</returns>
    public static TimeSpan GetUtcOffset(DateTimeOffset instant, string zoneId) => FindZone(zoneId).GetUtcOffset(instant);

    /// <summary>Finds the next change of UTC offset strictly after <paramref name="after"/>, looking up to 5 years ahead.</summary>
    /// <param name="after">Where to start looking.</param>
    /// <param name="zoneId">The zone.</param>
    /// <returns>The transition, accurate to the second, or null when the offset does not change (e.g. Asia/Kathmandu).</returns>
    public static ZoneTransition? GetNextTransition(DateTimeOffset after, string zoneId)
    {
        TimeZoneInfo zone = FindZone(zoneId);
        DateTimeOffset start = after.ToUniversalTime();
        TimeSpan offset = zone.GetUtcOffset(start);
        DateTimeOffset limit = start.AddYears(5) < DateTimeOffset.MaxValue.AddDays(-2) ? start.AddYears(5) : DateTimeOffset.MaxValue.AddDays(-2);
        DateTimeOffset low = start;
        while (low < limit)
        {
            // Offsets never change twice within 12 hours, so stepping by 12 hours cannot miss a transition.
            DateTimeOffset high = low.AddHours(12);
            TimeSpan highOffset = zone.GetUtcOffset(high);
            if (highOffset != offset)
            {
                while (high - low > TimeSpan.FromSeconds(1))
                {
                    DateTimeOffset mid = low + ((high - low) / 2);
                    if (zone.GetUtcOffset(mid) == offset)
                    {
                        low = mid;
                    }
                    else
                    {
                        high = mid;
                    }
                }

                DateTimeOffset instant = new DateTimeOffset(high.UtcTicks - (high.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
                if (zone.GetUtcOffset(instant) == offset)
                {
                    instant = instant.AddSeconds(1);
                }

                return new ZoneTransition(TimeZoneInfo.ConvertTime(instant, zone), offset, zone.GetUtcOffset(instant));
            }

            low = high;
        }

        return null;
    }

    /// <summary>Close matches for an unknown id, best first (at most 5).</summary>
    /// <param name="zoneId">The unknown id.</param>
    /// <returns>Suggested ids.</returns>
    public static IReadOnlyList<string> Suggest(string zoneId)
    {
        ArgumentNullException.ThrowIfNull(zoneId);
        string query = zoneId.Trim().Replace(' ', '_');
        if (query.Length == 0)
        {
            return [];
        }

        var scored = new List<(int Score, string Id)>();
        foreach (string id in AllIds())
        {
            string city = id[(id.LastIndexOf('/') + 1)..];
            int score;
            if (id.Contains(query, StringComparison.OrdinalIgnoreCase))
            {
                score = 0;
            }
            else
            {
                int distance = Math.Min(Distance(query, id), Distance(query, city));
                if (distance > Math.Max(2, query.Length / 3))
                {
                    continue;
                }

                score = distance;
            }

            scored.Add((score, id));
        }

        return [.. scored.OrderBy(s => s.Score).ThenBy(s => s.Id.Length).ThenBy(s => s.Id, StringComparer.Ordinal).Take(5).Select(s => s.Id)];
    }

    private static string[] AllIds() =>
        _allIds ??= [.. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("UTC").Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];

    private static string CanonicalCase(string id)
    {
        foreach (string known in AllIds())
        {
            if (known.Equals(id.Replace(' ', '_'), StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return id;
    }

    /// <summary>Case-insensitive Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 8)
        {
            return int.MaxValue / 2;
        }

        int[] previous = new int[b.Length + 1];
        int[] current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            char ca = char.ToLowerInvariant(a[i - 1]);
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = ca == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
