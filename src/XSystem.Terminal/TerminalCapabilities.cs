using System.Globalization;
using Spectre.Console;

namespace XSystem.Terminal;

/// <summary>
/// What an output can do: whether color is enabled (and why), the color system, Unicode, interactivity and width.
/// </summary>
/// <remarks>
/// Obtain it with <see cref="Term.Capabilities"/> (the shared console), <see cref="Detect"/> (explicit settings, for tests
/// and tools) or <see cref="FromConsole"/> (any Spectre.Console console).
/// Thread safety: immutable; safe to share between threads.
/// </remarks>
public sealed class TerminalCapabilities
{
    internal TerminalCapabilities(
        bool colorEnabled,
        TerminalColorSystem colorSystem,
        string colorReason,
        bool unicode,
        bool interactive,
        int width,
        bool isOutputRedirected,
        bool isInputRedirected,
        bool isProcessConsole = false)
    {
        IsProcessConsole = isProcessConsole;
        ColorEnabled = colorEnabled;
        ColorSystem = colorEnabled ? colorSystem : TerminalColorSystem.None;
        ColorReason = colorReason;
        Unicode = unicode;
        Interactive = interactive;
        Width = width;
        IsOutputRedirected = isOutputRedirected;
        IsInputRedirected = isInputRedirected;
    }

    /// <summary>True when color and style escape codes are written.</summary>
    public bool ColorEnabled { get; }

    /// <summary>The color system in use; <see cref="TerminalColorSystem.None"/> when color is disabled.</summary>
    public TerminalColorSystem ColorSystem { get; }

    /// <summary>The name of <see cref="ColorSystem"/> (for example <c>"TrueColor"</c>), for display.</summary>
    public string ColorSystemName => ColorSystem.ToString();

    /// <summary>Why color is enabled or disabled, for example <c>"NO_COLOR is set"</c> or <c>"output is redirected"</c>.</summary>
    public string ColorReason { get; }

    /// <summary>True when Unicode symbols (✓, box drawing, block characters) can be shown; ASCII fallbacks are used otherwise.</summary>
    public bool Unicode { get; }

    /// <summary>True when prompts can ask the user (input and output are a terminal and no CI marker says otherwise).</summary>
    public bool Interactive { get; }

    /// <summary>True when the console writes to the process's own standard output or error (not a caller's writer).</summary>
    internal bool IsProcessConsole { get; }

    /// <summary>The width in columns.</summary>
    public int Width { get; }

    /// <summary>True when the output goes to a file or pipe.</summary>
    public bool IsOutputRedirected { get; }

    /// <summary>True when the input comes from a file or pipe.</summary>
    public bool IsInputRedirected { get; }

    /// <summary>Applies the color rules to explicit settings (null properties are read from the process).</summary>
    /// <param name="settings">The settings; default <see langword="null"/> means all from the process.</param>
    /// <returns>The capabilities a console created from the same settings has.</returns>
    public static TerminalCapabilities Detect(TerminalSettings? settings = null)
    {
        TerminalConsoleFactory.Create(settings ?? new TerminalSettings(), out TerminalCapabilities capabilities);
        return capabilities;
    }

    /// <summary>Reads the capabilities of an existing Spectre.Console console (for example a <c>TestConsole</c>).</summary>
    /// <param name="console">The console.</param>
    /// <returns>The capabilities; color is enabled when the console writes ANSI codes with a color system.</returns>
    public static TerminalCapabilities FromConsole(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (TerminalConsoleFactory.TryGetKnown(console, out TerminalCapabilities? known))
        {
            return known;
        }

        var caps = console.Profile.Capabilities;
        bool color = caps.Ansi && caps.ColorSystem != Spectre.Console.ColorSystem.NoColors;
        return new TerminalCapabilities(
            color,
            TerminalConsoleFactory.FromSpectre(caps.ColorSystem),
            color ? "the console supports ANSI color" : "the console has no ANSI color",
            caps.Unicode,
            caps.Interactive,
            console.Profile.Width,
            !console.Profile.Out.IsTerminal,
            !caps.Interactive);
    }

    /// <summary>Returns a one-line summary, for example <c>"color: on (TrueColor, output is a terminal), unicode: yes, interactive: yes, width: 120"</c>.</summary>
    /// <returns>The summary.</returns>
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"color: {(ColorEnabled ? "on" : "off")} ({(ColorEnabled ? ColorSystemName + ", " : string.Empty)}{ColorReason}), " +
            $"unicode: {(Unicode ? "yes" : "no")}, interactive: {(Interactive ? "yes" : "no")}, width: {Width}");
}
