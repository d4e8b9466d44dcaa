using Spectre.Console;
using Spectre.Console.Testing;

namespace XSystem.Terminal.Tests;

public class ColorRulesTests
{
    [Fact]
    public void Detect_TerminalWithoutVariables_EnablesColor()
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Terminal());

        caps.ColorEnabled.ShouldBeTrue();
        caps.ColorReason.ShouldBe("output is a terminal");
        caps.IsOutputRedirected.ShouldBeFalse();
    }

    [Fact]
    public void Detect_NoColorNonEmpty_DisablesColor()
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Terminal(("NO_COLOR", "1")));

        caps.ColorEnabled.ShouldBeFalse();
        caps.ColorSystem.ShouldBe(TerminalColorSystem.None);
        caps.ColorReason.ShouldContain("NO_COLOR");
    }

    [Fact]
    public void Detect_NoColorEmpty_KeepsColorPerNoColorOrg()
    {
        // Spectre.Console treats an empty NO_COLOR as set; no-color.org says "present and not empty".
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Terminal(("NO_COLOR", string.Empty)));

        caps.ColorEnabled.ShouldBeTrue();
    }

    [Fact]
    public void Detect_RedirectedOutput_DisablesColor()
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Redirected());

        caps.ColorEnabled.ShouldBeFalse();
        caps.ColorReason.ShouldBe("output is redirected");
        caps.Interactive.ShouldBeFalse();
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("yes")]
    public void Detect_ForceColorWhileRedirected_EnablesColor(string value)
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Redirected(("FORCE_COLOR", value)));

        caps.ColorEnabled.ShouldBeTrue();
        caps.ColorReason.ShouldContain("FORCE_COLOR");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("false")]
    public void Detect_ForceColorZeroOrEmpty_DoesNotForce(string value)
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Redirected(("FORCE_COLOR", value)));

        caps.ColorEnabled.ShouldBeFalse();
    }

    [Fact]
    public void Detect_NoColorAndForceColor_NoColorWins()
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Terminal(("NO_COLOR", "1"), ("FORCE_COLOR", "1")));

        caps.ColorEnabled.ShouldBeFalse();
    }

    [Fact]
    public void Detect_TermDumb_DisablesColorAndInteractivity()
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Terminal(("TERM", "dumb")));

        caps.ColorEnabled.ShouldBeFalse();
        caps.ColorReason.ShouldContain("dumb");
        caps.Interactive.ShouldBeFalse();
    }

    [Theory]
    [InlineData("COLORTERM", "truecolor", TerminalColorSystem.TrueColor)]
    [InlineData("COLORTERM", "24bit", TerminalColorSystem.TrueColor)]
    [InlineData("TERM", "xterm-256color", TerminalColorSystem.EightBit)]
    public void Detect_ColorTermHints_PickColorSystem(string name, string value, TerminalColorSystem expected)
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Terminal((name, value)));

        caps.ColorSystem.ShouldBe(expected);
        caps.ColorSystemName.ShouldBe(expected.ToString());
    }

    [Fact]
    public void Detect_ForceColorLevelThree_UsesTrueColor()
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Redirected(("FORCE_COLOR", "3")));

        caps.ColorSystem.ShouldBe(TerminalColorSystem.TrueColor);
    }

    [Fact]
    public void Detect_InputRedirected_IsNotInteractive()
    {
        TerminalSettings settings = TestEnv.Terminal();
        settings.IsInputRedirected = true;

        TerminalCapabilities.Detect(settings).Interactive.ShouldBeFalse();
        TerminalCapabilities.Detect(TestEnv.Terminal()).Interactive.ShouldBeTrue();
    }

    [Fact]
    public void Detect_GitHubActions_IsNotInteractive()
    {
        TerminalCapabilities caps = TerminalCapabilities.Detect(TestEnv.Terminal(("GITHUB_ACTIONS", "true")));

        caps.Interactive.ShouldBeFalse();
    }

    [Fact]
    public void Detect_WidthFromColumnsVariable_UsedWhenNoExplicitWidth()
    {
        TerminalSettings settings = TestEnv.Redirected(("COLUMNS", "132"));
        settings.Width = null;

        TerminalCapabilities.Detect(settings).Width.ShouldBe(132);
    }

    [Fact]
    public void CreateConsole_NoColor_WritesNoEscapeCodes()
    {
        TerminalSettings settings = TestEnv.Terminal(("NO_COLOR", "1"));
        IAnsiConsole console = Term.CreateConsole(settings);

        console.Write(new Markup("[red]alert[/]"));

        string output = settings.Out!.ToString()!;
        output.ShouldContain("alert");
        output.ShouldNotContain(TestEnv.Esc);
    }

    [Fact]
    public void CreateConsole_ForcedWhileRedirected_WritesEscapeCodes()
    {
        TerminalSettings settings = TestEnv.Redirected(("FORCE_COLOR", "1"));
        IAnsiConsole console = Term.CreateConsole(settings);

        console.Write(new Markup("[red]alert[/]"));

        settings.Out!.ToString()!.ShouldContain(TestEnv.Esc + "[");
        TerminalCapabilities.FromConsole(console).ColorEnabled.ShouldBeTrue();
    }

    [Fact]
    public void FromConsole_TestConsoleWithoutColors_ReportsColorDisabled()
    {
        var console = new TestConsole().Colors(ColorSystem.NoColors);

        TerminalCapabilities caps = TerminalCapabilities.FromConsole(console);

        caps.ColorEnabled.ShouldBeFalse();
        caps.ToString().ShouldContain("color: off");
    }
}
