namespace XSystem.Serialization;

/// <summary>
/// Settings of the CSV and TSV formats (<see cref="Csv.CsvFormat"/>, <see cref="Csv.TsvFormat"/>). Pass an instance in
/// <see cref="SerializerOptions.FormatOptions"/>; without one every default below applies.
/// </summary>
/// <remarks>
/// TSV uses the same settings with the delimiter fixed to a tab (<see cref="Delimiter"/> is ignored there).
/// Thread safety: immutable (init-only) and safe to share across threads.
/// </remarks>
public sealed class CsvOptions : FormatOptions
{
    private readonly char? _delimiter;
    private readonly string _newLine = "\r\n";

    /// <summary>
    /// The field delimiter. Default <see langword="null"/>: readers detect it from the first lines (comma, semicolon,
    /// tab or pipe, whichever splits them consistently; comma when none does) and writers use a comma.
    /// Ignored by TSV, which always uses a tab.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The delimiter is not a tab or a character from U+001F to U+007E, or is a double quote or <c>#</c> (which the
    /// underlying Sep parser reserves).
    /// </exception>
    public char? Delimiter
    {
        get => _delimiter;
        init
        {
            if (value is { } c && c != '\t' && (c < '\u001F' || c > '~' || c is '"' or '#'))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value),
                    value,
                    "A delimiter must be a tab or a printable ASCII character other than '\"' and '#'; use ',' ';' '|' or '\\t'.");
            }

            _delimiter = value;
        }
    }

    /// <summary>
    /// Whether the first row holds the column names. Default <see langword="true"/>: a document reads as an array of
    /// objects keyed by the header names. When <see langword="false"/>, a document reads as an array of arrays of
    /// fields (rows may then differ in length), and writers accept arrays of arrays or arrays of objects and write
    /// no header row.
    /// </summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>
    /// Whether readers turn fields into typed values. Default <see langword="false"/>: every field stays a string.
    /// When <see langword="true"/>: an empty field becomes <see langword="null"/>; <c>true</c>/<c>false</c> (any case)
    /// become booleans; JSON-style integers (<c>-?(0|[1-9][0-9]*)</c>) become <see cref="long"/>, beyond 64 bits
    /// <see cref="decimal"/>, and beyond that an exact JSON number; JSON-style decimals and exponents (<c>1.5</c>,
    /// <c>-2e10</c>) become <see cref="double"/> when finite. Everything else, including <c>007</c>, <c>+1</c>,
    /// <c>1,5</c>, <c>NaN</c> and padded numbers, stays a string.
    /// </summary>
    public bool InferTypes { get; init; }

    /// <summary>
    /// Whether writers neutralise cells a spreadsheet would run as a formula (CSV injection): a cell that starts with
    /// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return gets a leading single quote (<c>'</c>).
    /// Numbers (JSON numbers, and strings that are plain decimal numbers such as <c>-5</c> or <c>-1.5e3</c>) are left
    /// alone. Applies to header names too. Default <see langword="true"/>. The guard changes the text: a guarded cell
    /// reads back with its leading quote; turn it off for data exchange between programs.
    /// </summary>
    public bool GuardFormulas { get; init; } = true;

    /// <summary>
    /// Whether readers remove leading and trailing spaces (ASCII 32 only) from every field, inside and outside
    /// quotes. Default <see langword="false"/>.
    /// </summary>
    public bool Trim { get; init; }

    /// <summary>The line ending writers put after every row: <c>"\r\n"</c> (RFC 4180, the default) or <c>"\n"</c>. Readers accept CRLF, LF and CR.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither <c>"\r\n"</c> nor <c>"\n"</c>.</exception>
    public string NewLine
    {
        get => _newLine;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value is not ("\r\n" or "\n"))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "NewLine must be \"\\r\\n\" or \"\\n\".");
            }

            _newLine = value;
        }
    }

    /// <summary>Whether writers quote every field. Default <see langword="false"/>: only fields that need it (delimiter, quote, line break, or an empty single-column row) are quoted.</summary>
    public bool QuoteAll { get; init; }

    /// <summary>
    /// The text writers put for a <see langword="null"/> value or a key a row lacks. Default <see langword="null"/>:
    /// writing either throws <see cref="SerializationException"/> naming the JSON path, because an empty field reads
    /// back as <c>""</c> and the null would be lost silently. Set it to <c>""</c> to write empty fields (with
    /// <see cref="InferTypes"/> they read back as null).
    /// </summary>
    public string? NullAs { get; init; }

    /// <summary>
    /// Whether writers put a nested object or array into a cell as compact JSON text. Default <see langword="false"/>:
    /// a nested value throws <see cref="SerializationException"/> naming its JSON path. Readers never parse cells as JSON,
    /// so such a cell reads back as a string.
    /// </summary>
    public bool NestedAsJson { get; init; }
}
