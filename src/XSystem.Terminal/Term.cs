using Spectre.Console;

namespace XSystem.Terminal;

/// <summary>
/// The static facade for the common case: colorize text, print status lines, read the terminal's capabilities, ask
/// questions, on shared consoles for standard output and standard error that follow the XSystem color rules
/// (<c>NO_COLOR</c>, <c>FORCE_COLOR</c>, <c>TERM=dumb</c>, redirected output).
/// </summary>
/// <remarks>
/// The shared consoles are created on first use from the process environment. Replace them with
/// <see cref="Configure(TerminalSettings)"/> or by setting <see cref="Console"/> and <see cref="ErrorConsole"/> (for example to
/// a Spectre <c>TestConsole</c> in tests, or after the CLI parsed <c>--no-color</c>).
/// Thread safety: all members are safe to call from any thread; replacing a console is atomic, and callers that
/// already hold the old console keep using it.
/// </remarks>
public static class Term
{
    private static readonly Lock Sync = new();
    private static State? _state;

    /// <summary>The shared console for standard output. Setting it also resets <see cref="Prompt"/>.</summary>
    public static IAnsiConsole Console
    {
        get => Current.Out;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (Sync)
            {
                State current = Current;
                _state = new State(value, current.Error, TerminalCapabilities.FromConsole(value));
            }
        }
    }

    /// <summary>The shared console for standard error (warnings, errors, and progress bars by default).</summary>
    public static IAnsiConsole ErrorConsole
    {
        get => Current.Error;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (Sync)
            {
                State current = Current;
                _state = new State(current.Out, value, current.Capabilities);
            }
        }
    }

    /// <summary>The capabilities of <see cref="Console"/>: color (and why), color system, Unicode, interactivity, width.</summary>
    public static TerminalCapabilities Capabilities => Current.Capabilities;

    /// <summary>True when <see cref="Console"/> writes color; shorthand for <c>Capabilities.ColorEnabled</c>.</summary>
    public static bool ColorEnabled => Current.Capabilities.ColorEnabled;

    /// <summary>Status lines and colorizing on the shared consoles.</summary>
    public static TerminalWriter Writer => Current.Writer;

    /// <summary>Prompts on <see cref="Console"/> with default <see cref="PromptOptions"/>.</summary>
    public static Prompt Prompt => Current.Prompt;

    /// <summary>Replaces both shared consoles with consoles built from <paramref name="settings"/>.</summary>
    /// <param name="settings">The settings for standard output; standard error uses the same settings with
    /// <see cref="TerminalSettings.UseStandardError"/> set (when <see cref="TerminalSettings.Out"/> is set, both share it).</param>
    public static void Configure(TerminalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        State state = Build(settings);
        lock (Sync)
        {
            _state = state;
        }
    }

    /// <summary>Forgets the shared consoles; the next use creates them again from the process environment.</summary>
    public static void Reset()
    {
        lock (Sync)
        {
            _state = null;
        }
    }

    /// <summary>Creates a console that follows the XSystem color rules for explicit settings.</summary>
    /// <param name="settings">The settings; null properties are read from the process.</param>
    /// <returns>A Spectre.Console console; pass it to <see cref="ProgressBarOptions.Console"/>, <see cref="Table.Render"/> or <see cref="Prompt"/>.</returns>
    public static IAnsiConsole CreateConsole(TerminalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return TerminalConsoleFactory.Create(settings, out _);
    }

    /// <summary>Returns <paramref name="text"/> wrapped in ANSI codes when <see cref="Console"/> has color, and unchanged otherwise.</summary>
    /// <param name="text">The text.</param>
    /// <param name="color">The foreground color.</param>
    /// <param name="style">Decorations; default <see cref="Style.None"/>.</param>
    /// <returns>The text, escaped for the terminal when color is enabled.</returns>
    public static string Colorize(string text, Color color, Style style = Style.None) =>
        AnsiText.Colorize(text, color, style, Current.Capabilities);

    /// <summary>Writes one line to standard output, verbatim, in an optional color and style.</summary>
    /// <param name="text">The text.</param>
    /// <param name="color">The foreground color; default <see langword="null"/> keeps the terminal's color.</param>
    /// <param name="style">Decorations; default <see cref="Style.None"/>.</param>
    public static void WriteLine(string text, Color? color = null, Style style = Style.None) => Current.Writer.WriteLine(text, color, style);

    /// <summary>Writes <c>"✓ message"</c> in green to standard output.</summary>
    /// <param name="message">The message, printed verbatim (never parsed as markup).</param>
    public static void Success(string message) => Current.Writer.Success(message);

    /// <summary>Writes <c>"ℹ message"</c> in blue to standard output.</summary>
    /// <param name="message">The message, printed verbatim.</param>
    public static void Info(string message) => Current.Writer.Info(message);

    /// <summary>Writes <c>"⚠ message"</c> in yellow to standard error.</summary>
    /// <param name="message">The message, printed verbatim.</param>
    public static void Warning(string message) => Current.Writer.Warning(message);

    /// <summary>Writes <c>"✗ message"</c> in red to standard error.</summary>
    /// <param name="message">The message, printed verbatim.</param>
    public static void Error(string message) => Current.Writer.Error(message);

    private static State Current
    {
        get
        {
            State? state = Volatile.Read(ref _state);
            if (state is not null)
            {
                return state;
            }

            State built = Build(new TerminalSettings());
            lock (Sync)
            {
                _state ??= built;
                return _state;
            }
        }
    }

    private static State Build(TerminalSettings settings)
    {
        IAnsiConsole output = TerminalConsoleFactory.Create(settings, out TerminalCapabilities capabilities);
        IAnsiConsole error = settings.Out is not null
            ? output
            : TerminalConsoleFactory.Create(
                new TerminalSettings
                {
                    Environment = settings.Environment,
                    IsInputRedirected = settings.IsInputRedirected,
                    Width = settings.Width,
                    Unicode = settings.Unicode,
                    UseStandardError = true,
                },
                out _);
        return new State(output, error, capabilities);
    }

    private sealed class State(IAnsiConsole output, IAnsiConsole error, TerminalCapabilities capabilities)
    {
        private Prompt? _prompt;

        public IAnsiConsole Out { get; } = output;

        public IAnsiConsole Error { get; } = error;

        public TerminalCapabilities Capabilities { get; } = capabilities;

        public TerminalWriter Writer { get; } = new(output, error);

        public Prompt Prompt => LazyInitializer.EnsureInitialized(ref _prompt, () => new Prompt(Out));
    }
}
