using Microsoft.Extensions.Time.Testing;

namespace XSystem.Time.Tests;

public class TimeAgoTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 12, 14, 5, 0, TimeSpan.Zero);

    private static FakeTimeProvider Clock()
    {
        var clock = new FakeTimeProvider(Now);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }

    [Theory]
    [InlineData(-30, "just now")]
    [InlineData(30, "just now")]
    [InlineData(-5 * 60, "5 minutes ago")]
    [InlineData(-60, "1 minute ago")]
    [InlineData(-3 * 3600, "3 hours ago")]
    [InlineData(3 * 3600, "in 3 hours")]
    [InlineData(-30 * 3600, "yesterday")]
    [InlineData(30 * 3600, "tomorrow")]
    [InlineData(3 * 86400, "in 3 days")]
    [InlineData(-8 * 86400, "last week")]
    [InlineData(-15 * 86400, "2 weeks ago")]
    [InlineData(-40 * 86400, "last month")]
    [InlineData(-100 * 86400, "3 months ago")]
    [InlineData(40 * 86400, "next month")]
    [InlineData(-400 * 86400, "last year")]
    [InlineData(-800 * 86400, "2 years ago")]
    public void Format_Offsets_ReadNaturally(int seconds, string expected)
    {
        TimeAgo.Format(Now.AddSeconds(seconds), Clock()).ShouldBe(expected);
    }

    [Fact]
    public void Format_AdvancingClock_ChangesText()
    {
        FakeTimeProvider clock = Clock();
        DateTimeOffset posted = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromMinutes(5));

        TimeAgo.Format(posted, clock).ShouldBe("5 minutes ago");
    }

    [Theory]
    [InlineData(2025, 3, 12, 9, 30, "today at 09:30")]
    [InlineData(2025, 3, 11, 9, 0, "yesterday at 09:00")]
    [InlineData(2025, 3, 13, 8, 30, "tomorrow at 08:30")]
    [InlineData(2025, 3, 10, 14, 0, "Mon 14:00")]
    [InlineData(2025, 1, 2, 10, 0, "2 Jan")]
    [InlineData(2024, 3, 12, 10, 0, "12 Mar 2024")]
    public void Humanize_Instants_SmartFormat(int y, int mo, int d, int h, int mi, string expected)
    {
        TimeAgo.Humanize(new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero), Clock()).ShouldBe(expected);
    }

    [Fact]
    public void Humanize_ZoneGiven_UsesThatZonesCalendarDay()
    {
        TimeZoneInfo tokyo = TimezoneManager.FindZone("Asia/Tokyo");

        // 14:05 UTC is 23:05 in Tokyo; 16:00 UTC the same day is already 01:00 tomorrow there.
        TimeAgo.Humanize(new DateTimeOffset(2025, 3, 12, 16, 0, 0, TimeSpan.Zero), Clock(), tokyo).ShouldBe("tomorrow at 01:00");
    }
}
