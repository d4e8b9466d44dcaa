namespace XSystem.Time.Tests;

public class TimezoneManagerTests
{
    [Fact]
    public void FindZone_IanaAndWindowsIds_BothResolve()
    {
        TimeZoneInfo iana = TimezoneManager.FindZone("Europe/Berlin");
        TimeZoneInfo windows = TimezoneManager.FindZone("W. Europe Standard Time");
        var instant = new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero);

        iana.GetUtcOffset(instant).ShouldBe(TimeSpan.FromHours(2));
        windows.GetUtcOffset(instant).ShouldBe(TimeSpan.FromHours(2));
    }

    [Fact]
    public void FindZone_LooseSpelling_Resolves()
    {
        TimezoneManager.FindZone("america/new york").GetUtcOffset(new DateTimeOffset(2025, 1, 15, 0, 0, 0, TimeSpan.Zero)).ShouldBe(TimeSpan.FromHours(-5));
    }

    [Fact]
    public void FindZone_Typo_ThrowsWithSuggestions()
    {
        UnknownTimeZoneException ex = Should.Throw<UnknownTimeZoneException>(() => TimezoneManager.FindZone("Europe/Londn"));

        ex.Suggestions.ShouldContain("Europe/London");
        ex.Message.ShouldContain("Europe/London");
        ex.ShouldBeAssignableTo<TimeZoneNotFoundException>();
    }

    [Fact]
    public void TryFindZone_Unknown_False()
    {
        TimezoneManager.TryFindZone("Nowhere/Atlantis", out TimeZoneInfo? zone).ShouldBeFalse();
        zone.ShouldBeNull();
    }

    [Fact]
    public void ListZones_Filter_ReturnsMatches()
    {
        IReadOnlyList<string> zones = TimezoneManager.ListZones("kathmandu");

        zones.ShouldContain("Asia/Kathmandu");
        zones.ShouldAllBe(z => z.Contains("Kathmandu", StringComparison.OrdinalIgnoreCase));
        TimezoneManager.ListZones().Count.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void Convert_Instant_KeepsInstantChangesOffset()
    {
        var instant = new DateTimeOffset(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

        DateTimeOffset kathmandu = TimezoneManager.Convert(instant, "Asia/Kathmandu");

        kathmandu.Offset.ShouldBe(new TimeSpan(5, 45, 0));
        kathmandu.UtcDateTime.ShouldBe(instant.UtcDateTime);
        kathmandu.Hour.ShouldBe(17);
        kathmandu.Minute.ShouldBe(45);
    }

    [Fact]
    public void ConvertLocal_BerlinSkippedTime_ThrowsByDefault()
    {
        DstResolutionException ex = Should.Throw<DstResolutionException>(
            () => TimezoneManager.ConvertLocal(new DateTime(2025, 3, 30, 2, 30, 0), "Europe/Berlin", "UTC"));

        ex.Problem.ShouldBe(DstProblem.Skipped);
        ex.Message.ShouldContain("DstPolicy");
    }

    [Fact]
    public void ConvertLocal_BerlinSkippedTime_LenientShiftsForward()
    {
        DateTimeOffset utc = TimezoneManager.ConvertLocal(new DateTime(2025, 3, 30, 2, 30, 0), "Europe/Berlin", "UTC", DstPolicy.Earlier);

        utc.ShouldBe(new DateTimeOffset(2025, 3, 30, 1, 30, 0, TimeSpan.Zero));
        TimezoneManager.Convert(utc, "Europe/Berlin").Hour.ShouldBe(3);
    }

    [Fact]
    public void ResolveLocal_LondonAmbiguous_EarlierAndLater()
    {
        var local = new DateTime(2025, 10, 26, 1, 30, 0);

        DateTimeOffset earlier = TimezoneManager.ResolveLocal(local, "Europe/London", DstPolicy.Earlier);
        DateTimeOffset later = TimezoneManager.ResolveLocal(local, "Europe/London", DstPolicy.Later);

        earlier.Offset.ShouldBe(TimeSpan.FromHours(1));
        later.Offset.ShouldBe(TimeSpan.Zero);
        (later - earlier).ShouldBe(TimeSpan.FromHours(1));
        Should.Throw<DstResolutionException>(() => TimezoneManager.ResolveLocal(local, "Europe/London")).Problem.ShouldBe(DstProblem.Ambiguous);
    }

    [Fact]
    public void ResolveLocal_NewYorkSpringForward_GapOfOneHour()
    {
        DateTimeOffset resolved = TimezoneManager.ResolveLocal(new DateTime(2025, 3, 9, 2, 15, 0), "America/New_York", DstPolicy.Later);

        resolved.UtcDateTime.ShouldBe(new DateTime(2025, 3, 9, 7, 15, 0));
        TimezoneManager.Convert(resolved, "America/New_York").ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture).ShouldBe("03:15");
    }

    [Fact]
    public void ResolveLocal_LordHoweHalfHourShift_Handled()
    {
        // Lord Howe Island moves its clocks by 30 minutes: 02:00 -> 02:30 on 2025-10-05 (+10:30 -> +11:00).
        var skipped = new DateTime(2025, 10, 5, 2, 15, 0);

        Should.Throw<DstResolutionException>(() => TimezoneManager.ResolveLocal(skipped, "Australia/Lord_Howe"));
        DateTimeOffset shifted = TimezoneManager.ResolveLocal(skipped, "Australia/Lord_Howe", DstPolicy.Earlier);

        TimezoneManager.Convert(shifted, "Australia/Lord_Howe").TimeOfDay.ShouldBe(new TimeSpan(2, 45, 0));
        TimezoneManager.ResolveLocal(new DateTime(2025, 10, 5, 2, 45, 0), "Australia/Lord_Howe").Offset.ShouldBe(TimeSpan.FromHours(11));
    }

    [Fact]
    public void GetNextTransition_LordHowe_ThirtyMinuteShift()
    {
        ZoneTransition? transition = TimezoneManager.GetNextTransition(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), "Australia/Lord_Howe");

        transition.ShouldNotBeNull();
        transition.Value.Shift.ShouldBe(TimeSpan.FromMinutes(30));
        transition.Value.OffsetBefore.ShouldBe(new TimeSpan(10, 30, 0));
        transition.Value.Instant.UtcDateTime.ShouldBe(new DateTime(2025, 10, 4, 15, 30, 0));
    }

    [Fact]
    public void GetNextTransition_London_SpringAndAutumn()
    {
        ZoneTransition? spring = TimezoneManager.GetNextTransition(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), "Europe/London");
        ZoneTransition? autumn = TimezoneManager.GetNextTransition(spring!.Value.Instant, "Europe/London");

        spring.Value.Instant.UtcDateTime.ShouldBe(new DateTime(2025, 3, 30, 1, 0, 0));
        spring.Value.Shift.ShouldBe(TimeSpan.FromHours(1));
        autumn!.Value.Instant.UtcDateTime.ShouldBe(new DateTime(2025, 10, 26, 1, 0, 0));
        autumn.Value.Shift.ShouldBe(TimeSpan.FromHours(-1));
    }

    [Fact]
    public void GetNextTransition_Kathmandu_None()
    {
        TimezoneManager.GetNextTransition(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), "Asia/Kathmandu").ShouldBeNull();
        TimezoneManager.GetUtcOffset(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), "Asia/Kathmandu").ShouldBe(new TimeSpan(5, 45, 0));
    }

    [Fact]
    public void IsDaylightSaving_NewYorkSummerAndWinter()
    {
        TimezoneManager.IsDaylightSaving(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero), "America/New_York").ShouldBeTrue();
        TimezoneManager.IsDaylightSaving(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero), "America/New_York").ShouldBeFalse();
        TimezoneManager.IsDaylightSaving(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero), "Asia/Kathmandu").ShouldBeFalse();
    }
}
