using Spectre.Console;

namespace XSystem.Terminal;

/// <summary>
/// Questions for the user — text, yes/no, a choice from a list, a secret — that never hang a script: on an interactive
/// terminal they ask with Spectre.Console prompts; otherwise they read one answer per line from piped standard input,
/// or return their default, or throw <see cref="PromptUnavailableException"/> when there is no default.
/// </summary>
/// <remarks>
/// <para>Order of the rules: (1) <see cref="PromptOptions.AssumeDefaults"/> (or <c>XSYS_YES=1</c>) returns the default without
/// reading anything; (2) an interactive console asks; (3) piped input supplies the answer (an empty line or the end of input
/// means the default); (4) otherwise the default is returned. A prompt that needs an answer it cannot get throws.</para>
/// <para>Questions, choices and validation messages are printed verbatim (never parsed as markup).</para>
/// <para>Thread safety: ask one question at a time per console; Spectre.Console rejects concurrent interactive prompts
/// and piped answers are read in call order.</para>
/// </remarks>
public sealed class Prompt
{
    private static readonly string[] YesWords = ["y", "yes", "true", "1", "on"];
    private static readonly string[] NoWords = ["n", "no", "false", "0", "off"];

    private readonly IAnsiConsole _console;
    private readonly PromptOptions _options;
    private readonly bool _assumeDefaults;

    /// <summary>Creates prompts on a console.</summary>
    /// <param name="console">The console to ask on (for example <see cref="Term.Console"/> or a Spectre <c>TestConsole</c>).</param>
    /// <param name="options">Options; default <see langword="null"/> uses <see cref="PromptOptions"/> defaults.</param>
    public Prompt(IAnsiConsole console, PromptOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        _options = options ?? new PromptOptions();
        _assumeDefaults = _options.AssumeDefaults ?? IsTruthy(ReadVariable(_options.Environment, PromptOptions.AssumeDefaultsVariable));
    }

    /// <summary>True when prompts return their defaults without asking (<see cref="PromptOptions.AssumeDefaults"/> or <c>XSYS_YES</c>).</summary>
    public bool AssumeDefaults => _assumeDefaults;

    /// <summary>True when prompts ask interactively on the console.</summary>
    public bool IsInteractive => _options.Interactive ?? _console.Profile.Capabilities.Interactive;

    /// <summary>Asks for a line of text.</summary>
    /// <param name="question">The question, for example <c>"Project name?"</c>.</param>
    /// <param name="defaultValue">The answer used for an empty reply and in non-interactive mode; default none.</param>
    /// <param name="validate">Returns an error message for an invalid answer, or <see langword="null"/> when it is valid; default none.
    /// Interactively the user is asked again; a piped invalid answer throws.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="PromptUnavailableException">No answer can be obtained (see the class remarks).</exception>
    public string Text(string question, string? defaultValue = null, Func<string, string?>? validate = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        return Choose(question, defaultValue is not null, out TextReader? reader) switch
        {
            Mode.Interactive => TextPrompt(question, defaultValue, validate, secret: false).Show(_console),
            Mode.Scripted => ParseText(question, reader!.ReadLine(), defaultValue, validate, secret: false),
            _ => defaultValue!,
        };
    }

    /// <summary>Asks for a line of text; see <see cref="Text"/>.</summary>
    /// <param name="question">The question.</param>
    /// <param name="defaultValue">The default answer; default none.</param>
    /// <param name="validate">The validator; default none.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="PromptUnavailableException">No answer can be obtained.</exception>
    public async Task<string> TextAsync(
        string question, string? defaultValue = null, Func<string, string?>? validate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(question);
        switch (Choose(question, defaultValue is not null, out TextReader? reader))
        {
            case Mode.Interactive:
                return await TextPrompt(question, defaultValue, validate, secret: false).ShowAsync(_console, cancellationToken).ConfigureAwait(false);
            case Mode.Scripted:
                string? line = await reader!.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                return ParseText(question, line, defaultValue, validate, secret: false);
            default:
                return defaultValue!;
        }
    }

    /// <summary>Asks for a secret (password, token) without echoing it; typed characters show as <c>*</c>.</summary>
    /// <param name="question">The question, for example <c>"Password:"</c>.</param>
    /// <returns>The answer (never empty).</returns>
    /// <exception cref="PromptUnavailableException">No answer can be obtained; a secret has no default, so non-interactive use
    /// needs piped input.</exception>
    public string Secret(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return Choose(question, hasDefault: false, out TextReader? reader) switch
        {
            Mode.Interactive => TextPrompt(question, null, null, secret: true).Show(_console),
            _ => ParseText(question, reader!.ReadLine(), null, null, secret: true),
        };
    }

    /// <summary>Asks for a secret; see <see cref="Secret"/>.</summary>
    /// <param name="question">The question.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="PromptUnavailableException">No answer can be obtained.</exception>
    public async Task<string> SecretAsync(string question, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (Choose(question, hasDefault: false, out TextReader? reader) == Mode.Interactive)
        {
            return await TextPrompt(question, null, null, secret: true).ShowAsync(_console, cancellationToken).ConfigureAwait(false);
        }

        string? line = await reader!.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return ParseText(question, line, null, null, secret: true);
    }

    /// <summary>Asks a yes/no question. A piped answer may be y, yes, true, 1, on or n, no, false, 0, off (any case).</summary>
    /// <param name="question">The question, for example <c>"Overwrite config.yaml?"</c>.</param>
    /// <param name="defaultValue">The answer for an empty reply and in non-interactive mode; default false.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="PromptUnavailableException">A piped answer is not a yes/no word.</exception>
    public bool Confirm(string question, bool defaultValue = false)
    {
        ArgumentNullException.ThrowIfNull(question);
        return Choose(question, hasDefault: true, out TextReader? reader) switch
        {
            Mode.Interactive => ConfirmPrompt(question, defaultValue).Show(_console),
            Mode.Scripted => ParseConfirm(question, reader!.ReadLine(), defaultValue),
            _ => defaultValue,
        };
    }

    /// <summary>Asks a yes/no question; see <see cref="Confirm"/>.</summary>
    /// <param name="question">The question.</param>
    /// <param name="defaultValue">The default answer; default false.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="PromptUnavailableException">A piped answer is not a yes/no word.</exception>
    public async Task<bool> ConfirmAsync(string question, bool defaultValue = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(question);
        switch (Choose(question, hasDefault: true, out TextReader? reader))
        {
            case Mode.Interactive:
                return await ConfirmPrompt(question, defaultValue).ShowAsync(_console, cancellationToken).ConfigureAwait(false);
            case Mode.Scripted:
                string? line = await reader!.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                return ParseConfirm(question, line, defaultValue);
            default:
                return defaultValue;
        }
    }

    /// <summary>Asks the user to pick one of <paramref name="choices"/> (arrow keys interactively; a piped answer is the
    /// choice's text, case-insensitive, or its 1-based number). Without a default, non-interactive use needs piped input.</summary>
    /// <typeparam name="T">The choice type.</typeparam>
    /// <param name="question">The question.</param>
    /// <param name="choices">The choices (at least one).</param>
    /// <param name="display">How a choice is shown; default <see cref="object.ToString"/>.</param>
    /// <returns>The chosen item.</returns>
    /// <exception cref="ArgumentException"><paramref name="choices"/> is empty.</exception>
    /// <exception cref="PromptUnavailableException">No answer can be obtained.</exception>
    public T Select<T>(string question, IEnumerable<T> choices, Func<T, string>? display = null)
        where T : notnull
    {
        var list = Materialize(question, choices);
        return SelectCore(question, list, display, hasDefault: false, default!);
    }

    /// <summary>Asks the user to pick one of <paramref name="choices"/>, starting on <paramref name="defaultChoice"/>, which
    /// is also the answer for an empty reply and in non-interactive mode.</summary>
    /// <typeparam name="T">The choice type.</typeparam>
    /// <param name="question">The question.</param>
    /// <param name="choices">The choices (at least one).</param>
    /// <param name="defaultChoice">The default; must be one of <paramref name="choices"/>.</param>
    /// <param name="display">How a choice is shown; default <see cref="object.ToString"/>.</param>
    /// <returns>The chosen item.</returns>
    /// <exception cref="ArgumentException"><paramref name="choices"/> is empty or does not contain <paramref name="defaultChoice"/>.</exception>
    /// <exception cref="PromptUnavailableException">A piped answer matches no choice.</exception>
    public T Select<T>(string question, IEnumerable<T> choices, T defaultChoice, Func<T, string>? display = null)
        where T : notnull
    {
        var list = Materialize(question, choices);
        CheckDefault(list, defaultChoice);
        return SelectCore(question, list, display, hasDefault: true, defaultChoice);
    }

    /// <summary>Asks the user to pick one of <paramref name="choices"/>; see <see cref="Select{T}(string, IEnumerable{T}, Func{T, string})"/>.</summary>
    /// <typeparam name="T">The choice type.</typeparam>
    /// <param name="question">The question.</param>
    /// <param name="choices">The choices (at least one).</param>
    /// <param name="display">How a choice is shown; default <see cref="object.ToString"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer.</param>
    /// <returns>The chosen item.</returns>
    /// <exception cref="PromptUnavailableException">No answer can be obtained.</exception>
    public Task<T> SelectAsync<T>(string question, IEnumerable<T> choices, Func<T, string>? display = null, CancellationToken cancellationToken = default)
        where T : notnull
    {
        var list = Materialize(question, choices);
        return SelectCoreAsync(question, list, display, hasDefault: false, default!, cancellationToken);
    }

    /// <summary>Asks the user to pick one of <paramref name="choices"/> with a default; see
    /// <see cref="Select{T}(string, IEnumerable{T}, T, Func{T, string})"/>.</summary>
    /// <typeparam name="T">The choice type.</typeparam>
    /// <param name="question">The question.</param>
    /// <param name="choices">The choices (at least one).</param>
    /// <param name="defaultChoice">The default; must be one of <paramref name="choices"/>.</param>
    /// <param name="display">How a choice is shown; default <see cref="object.ToString"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer.</param>
    /// <returns>The chosen item.</returns>
    /// <exception cref="PromptUnavailableException">A piped answer matches no choice.</exception>
    public Task<T> SelectAsync<T>(
        string question, IEnumerable<T> choices, T defaultChoice, Func<T, string>? display = null, CancellationToken cancellationToken = default)
        where T : notnull
    {
        var list = Materialize(question, choices);
        CheckDefault(list, defaultChoice);
        return SelectCoreAsync(question, list, display, hasDefault: true, defaultChoice, cancellationToken);
    }

    private T SelectCore<T>(string question, List<T> choices, Func<T, string>? display, bool hasDefault, T defaultChoice)
        where T : notnull
    {
        Func<T, string> show = display ?? DefaultDisplay;
        return Choose(question, hasDefault, out TextReader? reader) switch
        {
            Mode.Interactive => SelectionPrompt(question, choices, show, hasDefault, defaultChoice).Show(_console),
            Mode.Scripted => ParseSelect(question, reader!.ReadLine(), choices, show, hasDefault, defaultChoice),
            _ => defaultChoice,
        };
    }

    private async Task<T> SelectCoreAsync<T>(
        string question, List<T> choices, Func<T, string>? display, bool hasDefault, T defaultChoice, CancellationToken cancellationToken)
        where T : notnull
    {
        Func<T, string> show = display ?? DefaultDisplay;
        switch (Choose(question, hasDefault, out TextReader? reader))
        {
            case Mode.Interactive:
                return await SelectionPrompt(question, choices, show, hasDefault, defaultChoice)
                    .ShowAsync(_console, cancellationToken).ConfigureAwait(false);
            case Mode.Scripted:
                string? line = await reader!.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                return ParseSelect(question, line, choices, show, hasDefault, defaultChoice);
            default:
                return defaultChoice;
        }
    }

    private Mode Choose(string question, bool hasDefault, out TextReader? reader)
    {
        reader = null;
        if (_assumeDefaults)
        {
            return hasDefault ? Mode.Default : throw new PromptUnavailableException(question, TerminalMessages.NotInteractive(question));
        }

        if (IsInteractive)
        {
            return Mode.Interactive;
        }

        reader = ResolveInput();
        if (reader is not null)
        {
            return Mode.Scripted;
        }

        return hasDefault ? Mode.Default : throw new PromptUnavailableException(question, TerminalMessages.NotInteractive(question));
    }

    private TextReader? ResolveInput()
    {
        if (!_options.ReadRedirectedInput)
        {
            return null;
        }

        if (_options.Input is not null)
        {
            return _options.Input;
        }

        return TerminalConsoleFactory.TryGetKnown(_console, out TerminalCapabilities? caps)
            && caps.IsProcessConsole
            && Console.IsInputRedirected
            ? Console.In
            : null;
    }

    private string ParseText(string question, string? line, string? defaultValue, Func<string, string?>? validate, bool secret)
    {
        if (line is null)
        {
            return defaultValue ?? throw new PromptUnavailableException(question, TerminalMessages.NoScriptedAnswer(question));
        }

        string answer = line.Length == 0 && defaultValue is not null ? defaultValue : line;
        if (answer.Length == 0)
        {
            throw new PromptUnavailableException(question, TerminalMessages.InvalidScriptedAnswer(question, answer, "an answer is required"));
        }

        string? error = validate?.Invoke(answer);
        if (error is not null)
        {
            throw new PromptUnavailableException(
                question, TerminalMessages.InvalidScriptedAnswer(question, secret ? "***" : answer, error));
        }

        Echo(question, secret ? "***" : answer);
        return answer;
    }

    private bool ParseConfirm(string question, string? line, bool defaultValue)
    {
        string answer = line?.Trim() ?? string.Empty;
        bool result;
        if (answer.Length == 0)
        {
            result = defaultValue;
        }
        else if (YesWords.Contains(answer, StringComparer.OrdinalIgnoreCase))
        {
            result = true;
        }
        else if (NoWords.Contains(answer, StringComparer.OrdinalIgnoreCase))
        {
            result = false;
        }
        else
        {
            throw new PromptUnavailableException(question, TerminalMessages.InvalidScriptedAnswer(question, answer, "expected yes or no"));
        }

        Echo(question, result ? "yes" : "no");
        return result;
    }

    private T ParseSelect<T>(string question, string? line, List<T> choices, Func<T, string> show, bool hasDefault, T defaultChoice)
        where T : notnull
    {
        string answer = line?.Trim() ?? string.Empty;
        T result;
        if (answer.Length == 0)
        {
            if (!hasDefault)
            {
                throw line is null
                    ? new PromptUnavailableException(question, TerminalMessages.NoScriptedAnswer(question))
                    : new PromptUnavailableException(question, TerminalMessages.InvalidScriptedAnswer(question, answer, "an answer is required"));
            }

            result = defaultChoice;
        }
        else
        {
            int match = choices.FindIndex(c => string.Equals(show(c), answer, StringComparison.OrdinalIgnoreCase));
            if (match < 0 && int.TryParse(answer, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number)
                && number >= 1 && number <= choices.Count)
            {
                match = number - 1;
            }

            if (match < 0)
            {
                string options = string.Join(", ", choices.Select(c => "'" + show(c) + "'"));
                throw new PromptUnavailableException(
                    question, TerminalMessages.InvalidScriptedAnswer(question, answer, $"expected one of {options} or a number from 1 to {choices.Count}"));
            }

            result = choices[match];
        }

        Echo(question, show(result));
        return result;
    }

    private void Echo(string question, string answer) => AnsiText.WriteLine(_console, question + " " + answer, Spectre.Console.Style.Plain);

    private static TextPrompt<string> TextPrompt(string question, string? defaultValue, Func<string, string?>? validate, bool secret)
    {
        var prompt = new TextPrompt<string>(Markup.Escape(question));
        if (defaultValue is not null)
        {
            prompt.DefaultValue(defaultValue);
        }

        if (validate is not null)
        {
            prompt.Validate(answer => validate(answer) is string error ? ValidationResult.Error(Markup.Escape(error)) : ValidationResult.Success());
        }

        if (secret)
        {
            prompt.Secret('*');
        }

        return prompt;
    }

    private static ConfirmationPrompt ConfirmPrompt(string question, bool defaultValue) =>
        new(Markup.Escape(question)) { DefaultValue = defaultValue };

    private static SelectionPrompt<T> SelectionPrompt<T>(string question, List<T> choices, Func<T, string> show, bool hasDefault, T defaultChoice)
        where T : notnull
    {
        var prompt = new SelectionPrompt<T>
        {
            Title = Markup.Escape(question),
            Converter = choice => Markup.Escape(show(choice)),
        };
        prompt.AddChoices(choices);
        if (hasDefault)
        {
            prompt.DefaultValue = defaultChoice;
        }

        return prompt;
    }

    private static List<T> Materialize<T>(string question, IEnumerable<T> choices)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(choices);
        var list = choices.ToList();
        return list.Count > 0 ? list : throw new ArgumentException(TerminalMessages.NoChoices(question), nameof(choices));
    }

    private static void CheckDefault<T>(List<T> choices, T defaultChoice)
    {
        if (!choices.Contains(defaultChoice))
        {
            throw new ArgumentException(TerminalMessages.DefaultNotAChoice("choices"), nameof(defaultChoice));
        }
    }

    private static string DefaultDisplay<T>(T value) where T : notnull =>
        Convert.ToString(value, System.Globalization.CultureInfo.CurrentCulture) ?? string.Empty;

    private static string? ReadVariable(IReadOnlyDictionary<string, string>? environment, string name) =>
        environment is not null
            ? (environment.TryGetValue(name, out string? value) ? value : null)
            : Environment.GetEnvironmentVariable(name);

    private static bool IsTruthy(string? value) =>
        value is not null && YesWords.Skip(1).Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);

    private enum Mode
    {
        Default,
        Interactive,
        Scripted,
    }
}
