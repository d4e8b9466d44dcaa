namespace XSystem.Terminal;

/// <summary>Settings for a <see cref="Prompt"/>.</summary>
/// <remarks>Thread safety: a plain settings object; do not mutate it while a prompt is being created from it.</remarks>
public sealed class PromptOptions
{
    /// <summary>The environment variable that turns on <see cref="AssumeDefaults"/> when set to <c>1</c>, <c>true</c>,
    /// <c>yes</c> or <c>on</c>: <c>XSYS_YES</c>.</summary>
    public const string AssumeDefaultsVariable = "XSYS_YES";

    /// <summary>
    /// Answer every prompt with its default without asking (the <c>--yes</c> behaviour); a prompt without a default then
    /// throws <see cref="PromptUnavailableException"/>. Default <see langword="null"/>: true when the <c>XSYS_YES</c>
    /// variable of <see cref="Environment"/> is <c>1</c>, <c>true</c>, <c>yes</c> or <c>on</c>.
    /// </summary>
    public bool? AssumeDefaults { get; set; }

    /// <summary>Whether to ask interactively (arrow-key menus, masked input). Default <see langword="null"/>: the console's
    /// <c>Profile.Capabilities.Interactive</c> (false when input or output is redirected, <c>TERM=dumb</c>, or in CI).</summary>
    public bool? Interactive { get; set; }

    /// <summary>
    /// Where to read answers, one line per prompt, when not interactive. Default <see langword="null"/>: standard input
    /// when it is redirected and the prompt's console is the process console (<see cref="Term.Console"/> or one made by
    /// <see cref="Term.CreateConsole"/> without <see cref="TerminalSettings.Out"/>); otherwise no answers are read.
    /// </summary>
    public TextReader? Input { get; set; }

    /// <summary>Read answers from <see cref="Input"/> (or redirected standard input) when not interactive. Default true;
    /// set false to go straight to the defaults.</summary>
    public bool ReadRedirectedInput { get; set; } = true;

    /// <summary>The environment to read <c>XSYS_YES</c> from. Default <see langword="null"/>: the process environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; set; }
}
