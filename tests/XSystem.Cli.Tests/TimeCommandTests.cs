using Spectre.Console.Testing;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys time parse</c>, <c>humanize</c>, <c>convert</c> and <c>zones</c> against a test console.</summary>
public class TimeCommandTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(200);
        int exit = await XsysApp.RunAsync(args, console, TestContext.Current.CancellationToken);
        return (exit, console.Output);
    }

    [Fact]
    public async Task Parse_HumanDuration_ShowsAllForms()
    {
        (int exit, string output) = await RunAsync("time", "parse", "2h 30m");

        exit.ShouldBe(0);
        output.ShouldContain("02:30:00");
        output.ShouldContain("2 hours, 30 minutes");
        output.ShouldContain("2h 30m");
        output.ShouldContain("PT2H30M");
        output.ShouldContain("9000");
    }

    [Fact]
    public async Task Parse_BadDuration_ExitsTwoWithPosition()
    {
        (int exit, string output) = await RunAsync("time", "parse", "2h 30x");

        exit.ShouldBe(2);
        output.ShouldContain("unknown unit 'x' at position 5");
    }

    [Fact]
    public async Task Humanize_9000Seconds_TwoHoursThirtyMinutes()
    {
        (int exit, string output) = await RunAsync("time", "humanize", "9000s");

        exit.ShouldBe(0);
        output.Trim().ShouldBe("2 hours, 30 minutes");
    }

    [Fact]
    public async Task Humanize_ShortMaxUnits_Abbreviates()
    {
        (int exit, string output) = await RunAsync("time", "humanize", "93784", "--short", "--max-units", "2");

        exit.ShouldBe(0);
        output.Trim().ShouldBe("1d 2h");
    }

    [Fact]
    public async Task Convert_BerlinSkippedTime_MovesForwardWithNote()
    {
        (int exit, string output) = await RunAsync("time", "convert", "2025-03-30 02:30", "--from", "Europe/Berlin", "--to", "UTC");

        exit.ShouldBe(0);
        output.ShouldContain("2025-03-30T01:30:00Z");
        output.ShouldContain("does not exist in Europe/Berlin");
    }

    [Fact]
    public async Task Convert_DstThrow_ExitsOne()
    {
        (int exit, string output) = await RunAsync("time", "convert", "2025-03-30 02:30", "--from", "Europe/Berlin", "--dst", "throw");

        exit.ShouldBe(1);
        output.ShouldContain("does not exist");
    }

    [Fact]
    public async Task Convert_IsoInstant_ToKathmandu()
    {
        (int exit, string output) = await RunAsync("time", "convert", "2025-01-15T12:00:00Z", "--to", "Asia/Kathmandu");

        exit.ShouldBe(0);
        output.ShouldContain("2025-01-15T17:45:00+05:45");
    }

    [Fact]
    public async Task Convert_UnknownZone_SuggestsCloseMatch()
    {
        (int exit, string output) = await RunAsync("time", "convert", "2025-01-15 12:00", "--from", "Europe/Berln");

        exit.ShouldBe(2);
        output.ShouldContain("Europe/Berlin");
    }

    [Fact]
    public async Task Zones_Filter_ListsMatchingZones()
    {
        (int exit, string output) = await RunAsync("time", "zones", "lord");

        exit.ShouldBe(0);
        output.ShouldContain("Australia/Lord_Howe");
        output.ShouldContain("30 min");
    }

    [Fact]
    public async Task Zones_NoMatch_ExitsOne()
    {
        (int exit, string output) = await RunAsync("time", "zones", "zzzz-nothing");

        exit.ShouldBe(1);
        output.ShouldContain("No time zone matches");
    }
}
