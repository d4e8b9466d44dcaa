using System.Globalization;
using Humanizer;

namespace XSystem.Time.Tests;

public class DurationsTests
{
    private static readonly HumanizeOptions English = new() { Culture = CultureInfo.GetCultureInfo("en-US") };

    [Fact]
    public void Humanize_SeedExample_WritesThreeUnits()
    {
        var value = new TimeSpan(1, 3, 45, 0);

        Durations.Humanize(value, English).ShouldBe("1 day, 3 hours, 45 minutes");
    }

    [Fact]
    public void Humanize_9000Seconds_TwoHoursThirtyMinutes()
    {
        Durations.Humanize(TimeSpan.FromSeconds(9000), English).ShouldBe("2 hours, 30 minutes");
    }

    [Fact]
    public void Humanize_MaxUnitsOne_Truncates()
    {
        Durations.Humanize(new TimeSpan(1, 3, 45, 0), English with { MaxUnits = 1 }).ShouldBe("1 day");
    }

    [Fact]
    public void Humanize_MaxUnitHour_ExpressesDaysAsHours()
    {
        Durations.Humanize(TimeSpan.FromHours(36), English with { MaxUnit = TimeUnit.Hour }).ShouldBe("36 hours");
    }

    [Fact]
    public void Humanize_ShortForm_Abbreviates()
    {
        Durations.Humanize(new TimeSpan(1, 3, 45, 0), new HumanizeOptions { ShortForm = true }).ShouldBe("1d 3h 45m");
    }

    [Fact]
    public void Humanize_ShortFormZero_ZeroSeconds()
    {
        Durations.Humanize(TimeSpan.Zero, new HumanizeOptions { ShortForm = true }).ShouldBe("0s");
    }

    [Fact]
    public void Humanize_Negative_LeadingMinus()
    {
        Durations.Humanize(TimeSpan.FromHours(-2), English).ShouldBe("-2 hours");
    }

    [Fact]
    public void Humanize_CustomSeparator_Used()
    {
        string text = Durations.Humanize(TimeSpan.FromSeconds(3661), English with { Separator = " and " });

        text.ShouldBe("1 hour and 1 minute and 1 second");
    }

    [Fact]
    public void Humanize_Singular_NoPluralS()
    {
        Durations.Humanize(TimeSpan.FromSeconds(1), English).ShouldBe("1 second");
        Durations.Humanize(TimeSpan.Zero, English).ShouldBe("0 seconds");
    }

    [Fact]
    public void Humanize_MinUnitAboveMaxUnit_Throws()
    {
        Should.Throw<ArgumentException>(() => Durations.Humanize(TimeSpan.FromHours(1), new HumanizeOptions { MinUnit = TimeUnit.Day, MaxUnit = TimeUnit.Hour }));
    }

    [Theory]
    [InlineData("2h 30m 15s", 2, 30, 15, 0)]
    [InlineData("2h30m", 2, 30, 0, 0)]
    [InlineData("1.5h", 1, 30, 0, 0)]
    [InlineData("90s", 0, 1, 30, 0)]
    [InlineData("90", 0, 1, 30, 0)]
    [InlineData("250ms", 0, 0, 0, 250)]
    [InlineData("1 hour and 30 minutes", 1, 30, 0, 0)]
    [InlineData("3 HRS, 15 mins", 3, 15, 0, 0)]
    [InlineData("01:30:00", 1, 30, 0, 0)]
    [InlineData("01:30", 1, 30, 0, 0)]
    [InlineData("00:00:01.5", 0, 0, 1, 500)]
    [InlineData("PT2H30M", 2, 30, 0, 0)]
    [InlineData("pt2h30m", 2, 30, 0, 0)]
    [InlineData("  45 Minutes  ", 0, 45, 0, 0)]
    public void Parse_Forms_ReturnExpected(string text, int hours, int minutes, int seconds, int milliseconds)
    {
        Durations.Parse(text).ShouldBe(new TimeSpan(0, hours, minutes, seconds, milliseconds));
    }

    [Fact]
    public void Parse_DaysAndWeeks_ReturnExpected()
    {
        Durations.Parse("1 day 2 hours").ShouldBe(new TimeSpan(1, 2, 0, 0));
        Durations.Parse("3 weeks").ShouldBe(TimeSpan.FromDays(21));
        Durations.Parse("2w3d").ShouldBe(TimeSpan.FromDays(17));
        Durations.Parse("1.02:03:04").ShouldBe(new TimeSpan(1, 2, 3, 4));
        Durations.Parse("P3DT4H").ShouldBe(new TimeSpan(3, 4, 0, 0));
    }

    [Theory]
    [InlineData("-5s", -5)]
    [InlineData("-1h30m", -5400)]
    [InlineData("-01:30:00", -5400)]
    [InlineData("-PT1M", -60)]
    [InlineData("+10s", 10)]
    public void Parse_Signs_ApplyToWholeValue(string text, int seconds)
    {
        Durations.Parse(text).ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void Parse_Milliseconds_AreNotMinutes()
    {
        // Regression: the Python original read "5ms" as 5 minutes.
        Durations.Parse("5ms").ShouldBe(TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void Parse_Zero_IsAccepted()
    {
        // Regression: the Python original rejected "0s".
        Durations.Parse("0s").ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("2h 30x", 5)]
    [InlineData("abc", 0)]
    [InlineData("2h 30", 3)]
    [InlineData("1 month", 2)]
    [InlineData("01:75:00", 3)]
    [InlineData("P1Y", 2)]
    [InlineData("PT", 2)]
    [InlineData("", 0)]
    [InlineData("-", 1)]
    public void Parse_Bad_ThrowsWithPosition(string text, int position)
    {
        DurationFormatException ex = Should.Throw<DurationFormatException>(() => Durations.Parse(text));

        ex.Position.ShouldBe(position);
        ex.Message.ShouldContain($"position {position}");
        Durations.TryParse(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void Parse_Huge_FailsCleanly()
    {
        Should.Throw<DurationFormatException>(() => Durations.Parse("99999999999999999999 weeks"));
        Durations.TryParse("999999999:00:00", out _).ShouldBeFalse();
    }

    [Fact]
    public void TryParse_Null_False()
    {
        Durations.TryParse(null, out TimeSpan value).ShouldBeFalse();
        value.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(0, 2, 30, 0, 0, "PT2H30M")]
    [InlineData(3, 4, 0, 0, 0, "P3DT4H")]
    [InlineData(0, 0, 0, 0, 0, "PT0S")]
    [InlineData(0, 0, 0, 1, 500, "PT1.5S")]
    [InlineData(2, 0, 0, 0, 0, "P2D")]
    public void ToIso8601_Values_WritesExpected(int days, int hours, int minutes, int seconds, int ms, string expected)
    {
        Durations.ToIso8601(new TimeSpan(days, hours, minutes, seconds, ms)).ShouldBe(expected);
    }

    [Fact]
    public void ToIso8601_Negative_LeadingMinusRoundTrips()
    {
        TimeSpan value = -new TimeSpan(0, 1, 2, 3);

        string text = Durations.ToIso8601(value);

        text.ShouldBe("-PT1H2M3S");
        Durations.Parse(text).ShouldBe(value);
    }

    [Fact]
    public void ToIso8601_MinValue_DoesNotOverflow()
    {
        string text = Durations.ToIso8601(TimeSpan.MinValue);

        text.ShouldStartWith("-P");
        Durations.Parse(text).ShouldBe(TimeSpan.MinValue);
    }

    [Fact]
    public void ParseAndFormat_RandomValues_RoundTrip()
    {
        var random = new Random(42);
        for (int i = 0; i < 1_000; i++)
        {
            var value = TimeSpan.FromTicks(random.NextInt64(-TimeSpan.TicksPerDay * 10_000, TimeSpan.TicksPerDay * 10_000));

            Durations.Parse(Durations.ToIso8601(value)).ShouldBe(value);
        }
    }
}
