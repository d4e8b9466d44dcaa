using Spectre.Console;
using Spectre.Console.Testing;

namespace XSystem.Terminal.Tests;

public class TerminalWriterTests
{
    private static TerminalWriter ColorWriter(ColorSystem system, out TerminalSettings settings, params (string, string)[] env)
    {
        settings = TestEnv.Terminal(env);
        settings.Environment = TestEnv.Of([.. env, ("COLORTERM", system == ColorSystem.TrueColor ? "truecolor" : string.Empty)]);
        return new TerminalWriter(Term.CreateConsole(settings));
    }

    [Fact]
    public void Colorize_StandardColorWithColorEnabled_WrapsInSgrCodes()
    {
        TerminalWriter writer = ColorWriter(ColorSystem.Standard, out _);

        string result = writer.Colorize("hi", Colors.Red);

        result.ShouldBe(TestEnv.Esc + "[31mhi" + TestEnv.Esc + "[0m");
    }

    [Fact]
    public void Colorize_BrightColorWithBoldAndUnderline_EmitsDecorations()
    {
        TerminalWriter writer = ColorWriter(ColorSystem.Standard, out _);

        string result = writer.Colorize("hi", Colors.BrightGreen, Style.Bold | Style.Underline);

        result.ShouldStartWith(TestEnv.Esc + "[");
        result.ShouldContain("92");
        result.ShouldContain("1;");
        result.ShouldContain("4;");
        result.ShouldEndWith("hi" + TestEnv.Esc + "[0m");
    }

    [Fact]
    public void Colorize_RgbOnTrueColor_EmitsTwentyFourBitCode()
    {
        TerminalWriter writer = ColorWriter(ColorSystem.TrueColor, out _);

        string result = writer.Colorize("hi", Color.FromHex("#ff8800"));

        result.ShouldContain("38;2;255;136;0");
    }

    [Fact]
    public void Colorize_ColorDisabled_ReturnsPlainText()
    {
        TerminalWriter writer = ColorWriter(ColorSystem.Standard, out _, ("NO_COLOR", "1"));

        writer.Colorize("hi", Colors.Red, Style.Bold).ShouldBe("hi");
    }

    [Fact]
    public void Success_UnicodeConsole_PrintsCheckMarkLine()
    {
        var console = new TestConsole();
        var writer = new TerminalWriter(console);

        writer.Success("Saved config.yaml");

        console.Output.ShouldBe("✓ Saved config.yaml\n");
    }

    [Fact]
    public void StatusLines_NonUnicodeConsole_UseAsciiPrefixes()
    {
        var console = new TestConsole().SupportsUnicode(false);
        var writer = new TerminalWriter(console);

        writer.Success("a");
        writer.Info("b");
        writer.Warning("c");
        writer.Error("d");

        console.Lines.ShouldBe(["ok: a", "info: b", "warning: c", "error: d"]);
    }

    [Fact]
    public void WarningAndError_GoToErrorConsole_SuccessAndInfoToOutput()
    {
        var output = new TestConsole();
        var error = new TestConsole();
        var writer = new TerminalWriter(output, error);

        writer.Success("s");
        writer.Info("i");
        writer.Warning("w");
        writer.Error("e");

        output.Lines.ShouldBe(["✓ s", "ℹ i"]);
        error.Lines.ShouldBe(["⚠ w", "✗ e"]);
    }

    [Fact]
    public void Error_MessageWithMarkup_IsPrintedLiterally()
    {
        var console = new TestConsole();

        new TerminalWriter(console).Error("bad [red]value[/] in [x]");

        console.Output.ShouldContain("bad [red]value[/] in [x]");
    }

    [Fact]
    public void Info_LongMessageOnNarrowConsole_IsNotWrapped()
    {
        var console = new TestConsole().Width(20);
        string message = new('x', 60);

        new TerminalWriter(console).Info(message);

        console.Lines.Count.ShouldBe(1);
        console.Lines[0].ShouldBe("ℹ " + message);
    }

    [Fact]
    public void Error_ColorConsole_EmitsRedLine()
    {
        var console = new TestConsole().Colors(ColorSystem.Standard).EmitAnsiSequences();

        new TerminalWriter(console).Error("boom");

        console.Output.ShouldContain(TestEnv.Esc + "[31m✗ boom");
    }

    [Fact]
    public void Error_NoColorConsole_EmitsNoEscapeCodes()
    {
        TerminalSettings settings = TestEnv.Terminal(("NO_COLOR", "1"));
        var writer = new TerminalWriter(Term.CreateConsole(settings));

        writer.Error("boom");

        settings.Out!.ToString()!.ShouldBe("✗ boom" + "\n");
    }
}

[CollectionDefinition("Term", DisableParallelization = true)]
public class TermTestGroup;

[Collection("Term")]
public class TermTests : IDisposable
{
    public void Dispose()
    {
        Term.Reset();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Configure_NoColor_TermReportsColorDisabledAndColorizeIsPlain()
    {
        Term.Configure(TestEnv.Terminal(("NO_COLOR", "1")));

        Term.ColorEnabled.ShouldBeFalse();
        Term.Capabilities.ColorReason.ShouldContain("NO_COLOR");
        Term.Colorize("x", Colors.Red).ShouldBe("x");
    }

    [Fact]
    public void Configure_Terminal_TermColorizesAndWritesToConfiguredWriter()
    {
        TerminalSettings settings = TestEnv.Terminal();
        Term.Configure(settings);

        Term.Success("done");

        Term.ColorEnabled.ShouldBeTrue();
        Term.Colorize("x", Colors.Green).ShouldContain(TestEnv.Esc + "[32m");
        settings.Out!.ToString()!.ShouldContain("✓ done");
    }

    [Fact]
    public void ConsoleSetter_TestConsole_StatusLinesAndCapabilitiesFollowIt()
    {
        var output = new TestConsole().Width(33);
        var error = new TestConsole();
        Term.Console = output;
        Term.ErrorConsole = error;

        Term.Info("hello");
        Term.Warning("careful");

        output.Output.ShouldBe("ℹ hello\n");
        error.Output.ShouldBe("⚠ careful\n");
        Term.Capabilities.Width.ShouldBe(33);
    }
}
