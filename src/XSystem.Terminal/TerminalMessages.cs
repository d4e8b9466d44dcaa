namespace XSystem.Terminal;

/// <summary>Every exception message of the Terminal module, in one place.</summary>
internal static class TerminalMessages
{
    public static string InvalidHexColor(string hex) =>
        $"'{hex}' is not a hex color. Write 3 or 6 hex digits with an optional '#', for example '#ff8800' or 'f80'.";

    public static string UnknownColor(string name) =>
        $"'{name}' is not a color. Use one of the 16 standard names (black, red, green, yellow, blue, magenta, cyan, white, " +
        "their bright_ forms, gray) or a hex value such as '#ff8800'.";

    public static string NotInteractive(string question) =>
        $"Cannot ask '{question}' because input is not interactive and the prompt has no default; " +
        "pass --yes with a default, provide a default value, or pipe the answer to standard input.";

    public static string NoScriptedAnswer(string question) =>
        $"Cannot ask '{question}' because standard input ended before an answer was read and the prompt has no default; " +
        "add one answer per line to the piped input or provide a default value.";

    public static string InvalidScriptedAnswer(string question, string answer, string reason) =>
        $"The piped answer '{answer}' to '{question}' is not valid: {reason}. Fix the input line; a piped prompt cannot ask again.";

    public static string DefaultNotAChoice(string parameter) =>
        $"The default choice is not one of the choices; pass a value from the '{parameter}' sequence.";

    public static string NoChoices(string question) =>
        $"Cannot ask '{question}' because the list of choices is empty; pass at least one choice.";

    public static string UnknownColumn(string column, IEnumerable<string> columns) =>
        $"The table has no column '{column}'. Columns: {string.Join(", ", columns.Select(c => "'" + c + "'"))}.";

    public static string TooManyCells(int cells, int columns) =>
        $"The row has {cells} cells but the table has only {columns} columns; add columns first or pass fewer cells.";

    public static string NoColumns =>
        "The table has no columns; pass column names to the constructor or call AddColumn before adding rows.";

    public static string InvalidTotal(long total) =>
        $"The total {total} is not valid; pass a positive count, or 0 or ProgressBar.Unknown (-1) for an indeterminate bar.";
}
