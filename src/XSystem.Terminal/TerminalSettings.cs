namespace XSystem.Terminal;

/// <summary>
/// Explicit inputs for <see cref="TerminalCapabilities.Detect"/> and <see cref="Term.CreateConsole"/>. Every property left
/// <see langword="null"/> is read from the process (environment variables, <see cref="Console"/> redirection, window width),
/// so tests and tools can decide the color rules without touching the real process state.
/// </summary>
/// <remarks>Thread safety: a plain settings object; do not mutate it while another thread creates a console from it.</remarks>
public sealed class TerminalSettings
{
    /// <summary>
    /// The environment variables to apply the rules to (<c>NO_COLOR</c>, <c>FORCE_COLOR</c>, <c>TERM</c>, <c>COLORTERM</c>,
    /// <c>COLUMNS</c>, CI markers). Default <see langword="null"/>: a snapshot of the process environment.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; set; }

    /// <summary>
    /// Whether the output goes to a file or pipe instead of a terminal. Default <see langword="null"/>:
    /// <see cref="Console.IsOutputRedirected"/> (or <see cref="Console.IsErrorRedirected"/> with <see cref="UseStandardError"/>);
    /// when <see cref="Out"/> is set and this is null, the output counts as redirected.
    /// </summary>
    public bool? IsOutputRedirected { get; set; }

    /// <summary>
    /// Whether standard input comes from a file or pipe. Default <see langword="null"/>: <see cref="Console.IsInputRedirected"/>.
    /// Prompts are interactive only when neither input nor output is redirected.
    /// </summary>
    public bool? IsInputRedirected { get; set; }

    /// <summary>
    /// The width in columns. Default <see langword="null"/>: the <c>COLUMNS</c> variable when it is a positive number, else
    /// the console window width on a terminal, else 80.
    /// </summary>
    public int? Width { get; set; }

    /// <summary>
    /// Whether the output can show Unicode symbols (✓, box drawing). Default <see langword="null"/>: detected from the output
    /// encoding (UTF-8 and UTF-16 writers support Unicode).
    /// </summary>
    public bool? Unicode { get; set; }

    /// <summary>The writer to render to. Default <see langword="null"/>: <see cref="Console.Out"/> (or <see cref="Console.Error"/>).</summary>
    public TextWriter? Out { get; set; }

    /// <summary>Use standard error instead of standard output when <see cref="Out"/> is null. Default false.</summary>
    public bool UseStandardError { get; set; }
}
