namespace XSystem.Time.Tests;

public class Iso8601Tests
{
    [Theory]
    [InlineData("2025-03-12T14:05:00Z", 0)]
    [InlineData("2025-03-12T14:05:00+01:00", 60)]
    [InlineData("2025-03-12T14:05:00-05:30", -330)]
    [InlineData("20250312T140500Z", 0)]
    [InlineData("20250312T140500+0100", 60)]
    [InlineData("2025-03-12T14:05Z", 0)]
    public void Parse_DateTimes_ReadOffsets(string text, int offsetMinutes)
    {
        DateTimeOffset value = Iso8601.Parse(text);

        value.Offset.ShouldBe(TimeSpan.FromMinutes(offsetMinutes));
        value.DateTime.ShouldBe(new DateTime(2025, 3, 12, 14, 5, 0));
    }

    [Fact]
    public void Parse_Fraction_KeepsTicks()
    {
        Iso8601.Parse("2025-03-12T14:05:00.1234567Z").Ticks.ShouldBe(new DateTime(2025, 3, 12, 14, 5, 0).Ticks + 1_234_567);
        Iso8601.Parse("2025-03-12T14:05:00,5Z").Millisecond.ShouldBe(500);
    }

    [Fact]
    public void Parse_WeekAndOrdinalDateTimes_Resolve()
    {
        Iso8601.Parse("2025-W11-3T14:05:00Z").ShouldBe(new DateTimeOffset(2025, 3, 12, 14, 5, 0, TimeSpan.Zero));
        Iso8601.Parse("2025-071T14:05:00Z").ShouldBe(new DateTimeOffset(2025, 3, 12, 14, 5, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("2025-03-12T14:05:00", 19)]
    [InlineData("2025-03-12 14:05:00Z", 10)]
    [InlineData("2025-03-12t14:05:00Z", 10)]
    [InlineData("2025-02-30T00:00:00Z", 8)]
    [InlineData("2025-13-01T00:00:00Z", 5)]
    [InlineData("2025-03-12T24:00:00Z", 11)]
    [InlineData("2025-03T14:00Z", 7)]
    [InlineData("2025-03-12T14:05:00+15:00", 20)]
    [InlineData("2025-03-12T14:05:00Zjunk", 20)]
    public void Parse_StrictRejects_WithPosition(string text, int position)
    {
        DurationFormatException ex = Should.Throw<DurationFormatException>(() => Iso8601.Parse(text));

        ex.Position.ShouldBe(position);
        Iso8601.TryParse(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void Parse_Relaxations_AcceptWhenAsked()
    {
        Iso8601.Parse("2025-03-12 14:05:00", Iso8601Styles.AllowSpaceSeparator | Iso8601Styles.AssumeUniversal)
            .ShouldBe(new DateTimeOffset(2025, 3, 12, 14, 5, 0, TimeSpan.Zero));
        Iso8601.Parse("2025-03-12t14:05:00z", Iso8601Styles.AllowLowercase).Offset.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("2025-03-12")]
    [InlineData("20250312")]
    [InlineData("2025-W11-3")]
    [InlineData("2025W113")]
    [InlineData("2025-071")]
    [InlineData("2025071")]
    public void ParseDate_AllForms_SameDay(string text)
    {
        Iso8601.ParseDate(text).ShouldBe(new DateOnly(2025, 3, 12));
    }

    [Fact]
    public void ParseDate_WeekOneBelongsToPreviousCalendarYear()
    {
        // 2026-W01-1 is Monday 2025-12-29.
        Iso8601.ParseDate("2026-W01-1").ShouldBe(new DateOnly(2025, 12, 29));
        Iso8601.FormatWeekDate(new DateOnly(2025, 12, 29)).ShouldBe("2026-W01-1");
    }

    [Theory]
    [InlineData("2025-W54-1")]
    [InlineData("2025-366")]
    [InlineData("2025-W11-8")]
    [InlineData("0000-01-01")]
    public void TryParseDate_Invalid_False(string text)
    {
        Iso8601.TryParseDate(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void ParseDate_LeapOrdinal_Accepted()
    {
        Iso8601.ParseDate("2024-366").ShouldBe(new DateOnly(2024, 12, 31));
    }

    [Fact]
    public void Formats_RoundTrip()
    {
        var instant = new DateTimeOffset(2025, 3, 12, 14, 5, 30, 250, TimeSpan.FromHours(-5));
        var date = new DateOnly(2025, 3, 12);

        Iso8601.Format(instant).ShouldBe("2025-03-12T14:05:30.25-05:00");
        Iso8601.Parse(Iso8601.Format(instant)).ShouldBe(instant);
        Iso8601.Format(instant.ToUniversalTime()).ShouldBe("2025-03-12T19:05:30.25Z");
        Iso8601.Format(date).ShouldBe("2025-03-12");
        Iso8601.FormatWeekDate(date).ShouldBe("2025-W11-3");
        Iso8601.FormatOrdinalDate(date).ShouldBe("2025-071");
        Iso8601.Format(new TimeOnly(14, 5, 30)).ShouldBe("14:05:30");
        Iso8601.ParseTime("14:05:30.5").ShouldBe(new TimeOnly(14, 5, 30, 500));
        Iso8601.ParseTime("1405").ShouldBe(new TimeOnly(14, 5));
    }

    [Fact]
    public void ParseDuration_Strict_UpperCaseOnly()
    {
        Iso8601.ParseDuration("P1W2DT3H4M5.5S").ShouldBe(new TimeSpan(9, 3, 4, 5, 500));
        Iso8601.TryParseDuration("pt1h", out _).ShouldBeFalse();
        Iso8601.ParseDuration("pt1h", Iso8601Styles.AllowLowercase).ShouldBe(TimeSpan.FromHours(1));
        Should.Throw<DurationFormatException>(() => Iso8601.ParseDuration("PT1M2H")).Message.ShouldContain("largest to smallest");
        Should.Throw<DurationFormatException>(() => Iso8601.ParseDuration("P1M")).Message.ShouldContain("no fixed length");
        Should.Throw<DurationFormatException>(() => Iso8601.ParseDuration("PT1.5H30M")).Message.ShouldContain("last component");
    }

    [Fact]
    public void ParseInterval_ThreeForms()
    {
        var start = new DateTimeOffset(2025, 3, 12, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddHours(1);

        Iso8601.ParseInterval("2025-03-12T00:00:00Z/2025-03-12T01:00:00Z").ShouldBe(new IsoInterval(start, end));
        Iso8601.ParseInterval("2025-03-12T00:00:00Z/PT1H").ShouldBe(new IsoInterval(start, end));
        Iso8601.ParseInterval("PT1H/2025-03-12T01:00:00Z").ShouldBe(new IsoInterval(start, end));
        Iso8601.Format(new IsoInterval(start, end)).ShouldBe("2025-03-12T00:00:00Z/2025-03-12T01:00:00Z");
        new IsoInterval(start, end).Duration.ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public void ParseInterval_EndBeforeStart_Throws()
    {
        Should.Throw<DurationFormatException>(() => Iso8601.ParseInterval("2025-03-12T01:00:00Z/2025-03-12T00:00:00Z"));
        Iso8601.TryParseInterval("PT1H/PT2H", out _).ShouldBeFalse();
        Iso8601.TryParseInterval("2025-03-12T00:00:00Z", out _).ShouldBeFalse();
    }

    [Fact]
    public void TryParse_RandomGarbage_NeverThrows()
    {
        var random = new Random(7);
        const string Alphabet = "0123456789-+:TZW.,P/HMSD ";
        for (int i = 0; i < 5_000; i++)
        {
            char[] chars = new char[random.Next(0, 30)];
            for (int k = 0; k < chars.Length; k++)
            {
                chars[k] = Alphabet[random.Next(Alphabet.Length)];
            }

            string text = new(chars);
            _ = Iso8601.TryParse(text, out _);
            _ = Iso8601.TryParseDate(text, out _);
            _ = Iso8601.TryParseTime(text, out _);
            _ = Iso8601.TryParseDuration(text, out _);
            _ = Iso8601.TryParseInterval(text, out _);
            _ = Durations.TryParse(text, out _);
        }

        Durations.TryParse("1h", out TimeSpan sanity).ShouldBeTrue();
        sanity.ShouldBe(TimeSpan.FromHours(1));
    }
}
