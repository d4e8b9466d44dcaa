using Spectre.Console;

namespace XSystem.Terminal;

/// <summary>
/// Colored status lines (<see cref="Success"/>, <see cref="Warning"/>, <see cref="Error"/>, <see cref="Info"/>) and
/// colorizing for a given pair of Spectre.Console consoles. <see cref="Term"/> offers the same on the shared consoles.
/// </summary>
/// <remarks>
/// Messages are written verbatim: text such as <c>"[red]"</c> is printed literally, never parsed as markup, and long
/// lines are not wrapped. Success and info lines go to <see cref="Output"/>; warnings and errors go to
/// <see cref="ErrorOutput"/> (standard error for <see cref="Term"/>), so piping a command's output keeps diagnostics out of the data.
/// Thread safety: safe to use from several threads; each line is written with one console call (Spectre consoles
/// serialize writes), so lines do not interleave mid-line.
/// </remarks>
public sealed class TerminalWriter
{
    /// <summary>Creates a writer.</summary>
    /// <param name="output">The console for success and info lines.</param>
    /// <param name="errorOutput">The console for warning and error lines; default <see langword="null"/> uses <paramref name="output"/>.</param>
    public TerminalWriter(IAnsiConsole output, IAnsiConsole? errorOutput = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        Output = output;
        ErrorOutput = errorOutput ?? output;
    }

    /// <summary>The console for success and info lines.</summary>
    public IAnsiConsole Output { get; }

    /// <summary>The console for warning and error lines.</summary>
    public IAnsiConsole ErrorOutput { get; }

    /// <summary>The capabilities of <see cref="Output"/>.</summary>
    public TerminalCapabilities Capabilities => TerminalCapabilities.FromConsole(Output);

    /// <summary>Returns <paramref name="text"/> wrapped in ANSI codes when <see cref="Output"/> has color, and unchanged otherwise.</summary>
    /// <param name="text">The text.</param>
    /// <param name="color">The foreground color.</param>
    /// <param name="style">Decorations; default <see cref="Style.None"/>.</param>
    /// <returns>The text, escaped for the terminal when color is enabled.</returns>
    public string Colorize(string text, Color color, Style style = Style.None) => AnsiText.Colorize(text, color, style, Capabilities);

    /// <summary>Writes one line to <see cref="Output"/>, verbatim, in an optional color and style.</summary>
    /// <param name="text">The text.</param>
    /// <param name="color">The foreground color; default <see langword="null"/> keeps the terminal's color.</param>
    /// <param name="style">Decorations; default <see cref="Style.None"/>.</param>
    public void WriteLine(string text, Color? color = null, Style style = Style.None)
    {
        ArgumentNullException.ThrowIfNull(text);
        AnsiText.WriteLine(Output, text, AnsiText.ToSpectre(color, style));
    }

    /// <summary>Writes <c>"✓ message"</c> in green to <see cref="Output"/> (<c>"ok: message"</c> without Unicode).</summary>
    /// <param name="message">The message, printed verbatim.</param>
    public void Success(string message) => Status(Output, message, "✓", "ok:", Colors.Green);

    /// <summary>Writes <c>"ℹ message"</c> in blue to <see cref="Output"/> (<c>"info: message"</c> without Unicode).</summary>
    /// <param name="message">The message, printed verbatim.</param>
    public void Info(string message) => Status(Output, message, "ℹ", "info:", Colors.Blue);

    /// <summary>Writes <c>"⚠ message"</c> in yellow to <see cref="ErrorOutput"/> (<c>"warning: message"</c> without Unicode).</summary>
    /// <param name="message">The message, printed verbatim.</param>
    public void Warning(string message) => Status(ErrorOutput, message, "⚠", "warning:", Colors.Yellow);

    /// <summary>Writes <c>"✗ message"</c> in red to <see cref="ErrorOutput"/> (<c>"error: message"</c> without Unicode).</summary>
    /// <param name="message">The message, printed verbatim.</param>
    public void Error(string message) => Status(ErrorOutput, message, "✗", "error:", Colors.Red);

    private static void Status(IAnsiConsole console, string message, string symbol, string asciiPrefix, Color color)
    {
        ArgumentNullException.ThrowIfNull(message);
        string prefix = console.Profile.Capabilities.Unicode ? symbol : asciiPrefix;
        AnsiText.WriteLine(console, prefix + " " + message, AnsiText.ToSpectre(color, Style.None));
    }
}
