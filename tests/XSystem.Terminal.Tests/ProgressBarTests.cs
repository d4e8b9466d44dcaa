using Microsoft.Extensions.Time.Testing;
using Spectre.Console.Testing;

namespace XSystem.Terminal.Tests;

public class ProgressBarTests
{
    private readonly FakeTimeProvider _time = new();

    private ProgressBarOptions Options(TestConsole console, bool? live = false) => new()
    {
        Console = console,
        TimeProvider = _time,
        Live = live,
    };

    [Fact]
    public void Rate_SteadyHundredPerSecond_IsHundred()
    {
        var console = new TestConsole();
        using var bar = new ProgressBar(10_000, options: Options(console));

        for (int i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            bar.Advance(100);
        }

        bar.Rate.ShouldBe(100, tolerance: 0.001);
        bar.Elapsed.ShouldBe(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Rate_SpeedChanges_FollowsSlidingWindow()
    {
        var console = new TestConsole();
        using var bar = new ProgressBar(100_000, options: Options(console));
        for (int i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            bar.Advance(100);
        }

        for (int i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            bar.Advance(500);
        }

        bar.Rate.ShouldBe(500, tolerance: 0.001);
    }

    [Fact]
    public void Eta_HalfDoneAtHundredPerSecond_IsRemainingOverRate()
    {
        var console = new TestConsole();
        using var bar = new ProgressBar(1000, options: Options(console));
        for (int i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            bar.Advance(100);
        }

        bar.Eta.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Eta_NothingDoneYet_IsNull()
    {
        using var bar = new ProgressBar(1000, options: Options(new TestConsole()));
        _time.Advance(TimeSpan.FromSeconds(3));

        bar.Eta.ShouldBeNull();
        bar.Rate.ShouldBe(0);
    }

    [Fact]
    public void Eta_Completed_IsZeroAndRateIsOverallAverage()
    {
        using var bar = new ProgressBar(1000, options: Options(new TestConsole()));
        _time.Advance(TimeSpan.FromSeconds(4));

        bar.Complete();
        _time.Advance(TimeSpan.FromSeconds(10));

        bar.Eta.ShouldBe(TimeSpan.Zero);
        bar.Rate.ShouldBe(250, tolerance: 0.001);
        bar.Elapsed.ShouldBe(TimeSpan.FromSeconds(4));
        bar.IsFinished.ShouldBeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ProgressBar.Unknown)]
    public void Indeterminate_TotalZeroOrUnknown_HasNoEtaAndCountsFreely(long total)
    {
        var console = new TestConsole();
        var bar = new ProgressBar(total, "Scanning", Options(console));
        _time.Advance(TimeSpan.FromSeconds(2));

        bar.Advance(5000);
        bar.Complete();

        bar.IsIndeterminate.ShouldBeTrue();
        bar.Current.ShouldBe(5000);
        bar.Eta.ShouldBeNull();
        console.Lines[^1].ShouldBe("Scanning 5000 2.5k/s done in 00:02");
    }

    [Fact]
    public void Constructor_TotalBelowMinusOne_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new ProgressBar(-2, options: Options(new TestConsole())));
    }

    [Fact]
    public void Constructor_ZeroRefreshInterval_Throws()
    {
        var options = Options(new TestConsole());
        options.RefreshInterval = TimeSpan.Zero;

        Should.Throw<ArgumentOutOfRangeException>(() => new ProgressBar(10, options: options));
    }

    [Fact]
    public void SetAndAdvance_OutOfRange_AreClamped()
    {
        using var bar = new ProgressBar(100, options: Options(new TestConsole()));

        bar.Set(250);
        bar.Current.ShouldBe(100);
        bar.Set(-5);
        bar.Current.ShouldBe(0);
        bar.Advance(70);
        bar.Advance(70);
        bar.Current.ShouldBe(100);
        bar.Fraction.ShouldBe(1);
    }

    [Fact]
    public void Advance_NegativeCount_Throws()
    {
        using var bar = new ProgressBar(100, options: Options(new TestConsole()));

        Should.Throw<ArgumentOutOfRangeException>(() => bar.Advance(-1));
    }

    [Fact]
    public void Advance_FromManyThreads_CountsEveryItem()
    {
        var console = new TestConsole();
        using var bar = new ProgressBar(ProgressBar.Unknown, options: Options(console, live: true));
        using var capped = new ProgressBar(50_000, options: Options(new TestConsole()));

        Parallel.For(0, 100_000, _ =>
        {
            bar.Advance();
            capped.Advance();
        });

        bar.Current.ShouldBe(100_000);
        capped.Current.ShouldBe(50_000);
    }

    [Fact]
    public void Redirected_AdvancingEverySecond_PrintsAtMostEveryFiveSecondsPlusFinalLine()
    {
        var console = new TestConsole();
        var bar = new ProgressBar(120, "Copying", Options(console, live: null));

        for (int i = 0; i < 12; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            bar.Advance(10);
        }

        bar.Complete();

        bar.IsLive.ShouldBeFalse();
        console.Lines.Count.ShouldBe(3);
        console.Lines[0].ShouldStartWith("Copying ");
        console.Lines[0].ShouldContain(" 41.7% 50/120 10.0/s ETA 00:07");
        console.Lines[1].ShouldContain(" 83.3% 100/120 10.0/s ETA 00:02");
        console.Lines[2].ShouldContain("100.0% 120/120 10.0/s done in 00:12");
        console.Output.ShouldNotContain("\r");
        console.Output.ShouldNotContain(TestEnv.Esc);
    }

    [Fact]
    public void Redirected_CustomInterval_PrintsAtThatInterval()
    {
        var console = new TestConsole();
        var options = Options(console);
        options.RedirectedInterval = TimeSpan.FromSeconds(2);
        var bar = new ProgressBar(100, options: options);

        for (int i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            bar.Advance(1);
        }

        console.Lines.Count.ShouldBe(3);
        bar.Dispose();
        console.Lines.Count.ShouldBe(4);
    }

    [Fact]
    public void Redirected_ColorConsole_StillWritesNoEscapeCodes()
    {
        var console = new TestConsole().Colors(Spectre.Console.ColorSystem.TrueColor).EmitAnsiSequences();
        var bar = new ProgressBar(10, "Job", Options(console, live: false));

        _time.Advance(TimeSpan.FromSeconds(6));
        bar.Advance(5);
        bar.Complete();

        console.Lines.Count.ShouldBe(2);
        console.Output.ShouldNotContain(TestEnv.Esc);
        console.Output.ShouldNotContain("\r");
    }

    [Fact]
    public void Live_ManyAdvancesWithoutTimePassing_RedrawsAtMostTenTimesASecond()
    {
        var console = new TestConsole();
        var bar = new ProgressBar(1000, options: Options(console, live: true));
        int Draws() => console.Output.Count(c => c == '\r');

        for (int i = 0; i < 100; i++)
        {
            bar.Advance();
        }

        int afterBurst = Draws();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        bar.Advance();

        afterBurst.ShouldBe(1); // the initial draw only
        Draws().ShouldBe(2);
        bar.IsLive.ShouldBeTrue();
    }

    [Fact]
    public void Live_ForcedOnConsoleWithoutAnsi_FallsBackToPlainLines()
    {
        var console = new TestConsole().SupportsAnsi(false);
        var bar = new ProgressBar(10, "Job", Options(console, live: true));

        bar.Complete();

        bar.IsLive.ShouldBeFalse();
        console.Lines.ShouldBe(["Job ██████████████████████████████ 100.0% 10/10 --/s done in 00:00"]);
    }

    [Fact]
    public void Live_Complete_DrawsFullBarAndEndsLine()
    {
        var console = new TestConsole();
        var bar = new ProgressBar(10, "Build", Options(console, live: true));
        _time.Advance(TimeSpan.FromSeconds(2));

        bar.Complete();
        bar.Complete(); // idempotent

        console.Output.ShouldEndWith("\n");
        console.Output.ShouldContain("Build ██████████████████████████████ 100.0% 10/10 5.0/s done in 00:02");
        console.Output.Count(c => c == '\n').ShouldBe(1);
    }

    [Fact]
    public void Live_NonUnicodeConsole_UsesAsciiBar()
    {
        var console = new TestConsole().SupportsUnicode(false);
        var options = Options(console, live: true);
        options.BarWidth = 10;
        var bar = new ProgressBar(10, options: options);

        bar.Set(5);
        _time.Advance(TimeSpan.FromSeconds(1));
        bar.Advance(0);

        console.Output.ShouldContain("[#####-----]  50.0% 5/10");
    }

    [Fact]
    public void Live_NarrowConsole_LineIsCutToWidth()
    {
        var console = new TestConsole().Width(30);
        using var bar = new ProgressBar(10, "A long description of the work", Options(console, live: true));

        string drawn = console.Output.Split('\r', StringSplitOptions.RemoveEmptyEntries)[0];
        string visible = drawn.Split(TestEnv.Esc)[0];

        visible.Length.ShouldBeLessThanOrEqualTo(29);
    }

    [Fact]
    public void Dispose_BeforeComplete_WritesStoppedLine()
    {
        var console = new TestConsole();
        var bar = new ProgressBar(100, "Sync", Options(console));
        _time.Advance(TimeSpan.FromSeconds(3));
        bar.Advance(30);

        bar.Dispose();
        bar.Advance(10); // ignored for drawing after finish

        console.Lines.Count.ShouldBe(1);
        console.Lines[0].ShouldContain("30.0% 30/100");
        console.Lines[0].ShouldEndWith("stopped after 00:03");
    }

    [Theory]
    [InlineData(0, "--/s")]
    [InlineData(0.25, "0.25/s")]
    [InlineData(12.5, "12.5/s")]
    [InlineData(999.4, "999.4/s")]
    [InlineData(999.97, "1.0k/s")]
    [InlineData(1234, "1.2k/s")]
    [InlineData(3_400_000, "3.4M/s")]
    public void FormatRate_Values_AreHumanFriendly(double rate, string expected)
    {
        ProgressFormat.Rate(rate).ShouldBe(expected);
    }

    [Theory]
    [InlineData(42, "00:42")]
    [InlineData(125, "02:05")]
    [InlineData(3723, "1:02:03")]
    [InlineData(-1, "--:--")]
    public void FormatDuration_Values_AreClockStyle(int seconds, string expected)
    {
        ProgressFormat.Duration(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);
        ProgressFormat.Duration(null).ShouldBe("--:--");
    }
}
