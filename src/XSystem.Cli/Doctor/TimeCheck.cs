using XSystem.Time;

namespace XSystem.Cli.Doctor;

/// <summary>Checks that the time-zone database answers for IANA and Windows ids and that durations parse.</summary>
internal sealed class TimeCheck : IDoctorCheck
{
    public string Module => "XSystem.Time";

    public string Description => "time-zone database (IANA and Windows ids) and duration parsing";

    public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        if (!TimezoneManager.TryFindZone("Europe/London", out _))
        {
            return ValueTask.FromResult(CheckResult.Fail("the IANA zone Europe/London is missing: install the tzdata package"));
        }

        var summer = new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero);
        bool windowsIds = TimezoneManager.TryFindZone("GMT Standard Time", out TimeZoneInfo? gmt) && gmt.GetUtcOffset(summer) == TimeSpan.FromHours(1);
        TimeSpan parsed = Durations.Parse("2h 30m");
        if (parsed != TimeSpan.FromMinutes(150))
        {
            return ValueTask.FromResult(CheckResult.Fail($"\"2h 30m\" parsed as {parsed}"));
        }

        int zones = TimezoneManager.ListZones().Count;
        return ValueTask.FromResult(windowsIds
            ? CheckResult.Pass($"{zones} zones; IANA and Windows ids OK")
            : CheckResult.Fail($"{zones} zones, but Windows ids do not resolve (ICU missing or InvariantGlobalization on?)"));
    }
}
