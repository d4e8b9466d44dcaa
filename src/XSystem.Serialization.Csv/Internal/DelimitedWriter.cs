using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>
/// Writes rows of CSV or TSV as UTF-8 straight into a buffer writer: RFC 4180 quoting, the configured line ending,
/// formula guarding, and the null and nesting policies of <see cref="CsvOptions"/>. One instance per write; not thread-safe.
/// </summary>
/// <remarks>
/// Written here rather than through Sep's writer because the options need control Sep's writer does not give:
/// the line ending, quoting every field, and quoting the empty field of a one-column row.
/// </remarks>
internal sealed class DelimitedWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly CsvOptions _options;
    private readonly SerializerOptions _serializerOptions;
    private readonly string _format;
    private readonly char _delimiter;
    private readonly byte[] _newLine;
    private readonly SearchValues<char> _needsQuotes;

    public DelimitedWriter(IBufferWriter<byte> output, SerializerOptions options, Dialect dialect)
    {
        _output = output;
        _serializerOptions = options;
        _options = options.GetFormatOptions<CsvOptions>();
        _format = dialect.Name;
        _delimiter = dialect.WriteDelimiter(_options);
        _newLine = _options.NewLine == "\n" ? "\n"u8.ToArray() : "\r\n"u8.ToArray();
        _needsQuotes = SearchValues.Create([_delimiter, '"', '\r', '\n']);
    }

    public CsvOptions Options => _options;

    /// <summary>Writes a whole tree: an array of objects (or, without a header, of arrays or objects).</summary>
    public void WriteDocument(JsonNode? tree)
    {
        if (tree is not JsonArray rows)
        {
            throw new SerializationException(
                _format,
                $"{_format.ToUpperInvariant()} holds a table: the tree must be an array of objects (one per row), not {Describe(tree)}",
                path: tree?.GetPath() ?? "$");
        }

        FormatGuards.CheckTreeDepth(tree, _serializerOptions, _format);
        string[] columns = Columns(rows);
        if (rows.Count > 0 && columns.Length == 0 && _options.HasHeader)
        {
            throw new SerializationException(_format, "the rows have no keys, so there are no columns to write", path: "$");
        }

        if (_options.HasHeader && rows.Count > 0)
        {
            WriteHeader(columns);
        }

        for (int i = 0; i < rows.Count; i++)
        {
            switch (rows[i])
            {
                case JsonObject obj:
                    WriteObjectRow(obj, columns, null, strict: false);
                    break;
                case JsonArray array:
                    WriteArrayRow(array, null);
                    break;
            }
        }
    }

    /// <summary>The header: every key of every row, in the order first seen. Checks that rows are objects (or arrays without a header).</summary>
    private string[] Columns(JsonArray rows)
    {
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            JsonNode? row = rows[i];
            if (row is JsonObject obj)
            {
                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    if (seen.Add(property.Key))
                    {
                        order.Add(property.Key);
                    }
                }
            }
            else if (row is not JsonArray || _options.HasHeader)
            {
                throw NotARow(row, "$[" + i.ToString(CultureInfo.InvariantCulture) + "]");
            }
        }

        return [.. order];
    }

    public SerializationException NotARow(JsonNode? row, string path) => new(
        _format,
        _options.HasHeader
            ? $"every row must be an object (keys are the column names), not {Describe(row)}"
            : $"every row must be an array of fields or an object, not {Describe(row)}",
        path: path);

    public void WriteHeader(string[] columns)
    {
        for (int i = 0; i < columns.Length; i++)
        {
            if (i > 0)
            {
                WriteDelimiter();
            }

            WriteCell(columns[i], isNumber: false, columns.Length == 1);
        }

        WriteRaw(_newLine);
    }

    /// <summary>Writes one object as a row in <paramref name="columns"/> order.</summary>
    /// <param name="obj">The row.</param>
    /// <param name="columns">The column names.</param>
    /// <param name="recordPath">The path prefix of a streamed record (<c>$[i]</c>); null to use the node's own path.</param>
    /// <param name="strict">Whether keys outside <paramref name="columns"/> are an error (streaming: the header is fixed by the first record).</param>
    public void WriteObjectRow(JsonObject obj, string[] columns, string? recordPath, bool strict)
    {
        int found = 0;
        for (int c = 0; c < columns.Length; c++)
        {
            if (c > 0)
            {
                WriteDelimiter();
            }

            string key = columns[c];
            if (obj.TryGetPropertyValue(key, out JsonNode? value))
            {
                found++;
                WriteValue(value, columns.Length == 1, new CellPath(obj, recordPath, key, -1));
            }
            else
            {
                WriteMissing(columns.Length == 1, new CellPath(obj, recordPath, key, -1), missing: true);
            }
        }

        if (strict && found < obj.Count)
        {
            foreach (KeyValuePair<string, JsonNode?> property in obj)
            {
                if (Array.IndexOf(columns, property.Key) < 0)
                {
                    throw new SerializationException(
                        _format,
                        $"the record has the key '{property.Key}', which is not a column; the header comes from the first record's keys, so every record must use only those keys",
                        path: new CellPath(obj, recordPath, property.Key, -1).ToString());
                }
            }
        }

        WriteRaw(_newLine);
    }

    /// <summary>Writes an array's items as one row (documents without a header).</summary>
    public void WriteArrayRow(JsonArray array, string? recordPath)
    {
        for (int c = 0; c < array.Count; c++)
        {
            if (c > 0)
            {
                WriteDelimiter();
            }

            WriteValue(array[c], array.Count == 1, new CellPath(array, recordPath, null, c));
        }

        WriteRaw(_newLine);
    }

    private void WriteValue(JsonNode? value, bool singleColumn, in CellPath path)
    {
        switch (value)
        {
            case null:
                WriteMissing(singleColumn, path, missing: false);
                break;
            case JsonValue scalar:
                string? text = CellText(scalar, out bool isNumber);
                if (text is null)
                {
                    WriteMissing(singleColumn, path, missing: false);
                }
                else
                {
                    WriteCell(text, isNumber, singleColumn);
                }

                break;
            default:
                if (!_options.NestedAsJson)
                {
                    throw new SerializationException(
                        _format,
                        $"a cell cannot hold {Describe(value)}; flatten the data, or set CsvOptions.NestedAsJson = true to write it as JSON text",
                        path: path.ToString());
                }

                FormatGuards.CheckTreeDepth(value, _serializerOptions, _format);
                WriteCell(value.ToJsonString(), isNumber: false, singleColumn);
                break;
        }
    }

    /// <summary>Writes one field (quoted and guarded as needed); the typed writer's entry point.</summary>
    public void WriteField(string text, bool isNumber, bool singleColumn) => WriteCell(text, isNumber, singleColumn);

    /// <summary>Writes a field delimiter.</summary>
    public void WriteSeparator() => WriteDelimiter();

    /// <summary>Ends a row with the configured line ending.</summary>
    public void EndRow() => WriteRaw(_newLine);

    /// <summary>Writes <see cref="CsvOptions.NullAs"/> for a null value, or throws naming <paramref name="path"/> when it is not set.</summary>
    public void WriteNullField(bool singleColumn, string path)
    {
        if (_options.NullAs is null)
        {
            throw new SerializationException(
                _format,
                $"the value is null, and {_format.ToUpperInvariant()} has no null: an empty field reads back as \"\"; set CsvOptions.NullAs (for example to \"\") to write an empty field, or make the property non-null",
                path: path);
        }

        WriteCell(_options.NullAs, isNumber: false, singleColumn);
    }

    private void WriteMissing(bool singleColumn, in CellPath path, bool missing)
    {
        string? nullAs = _options.NullAs;
        if (nullAs is null)
        {
            string what = missing ? "the row has no value for this column" : "the value is null";
            throw new SerializationException(
                _format,
                $"{what}, and {_format.ToUpperInvariant()} has no null: an empty field reads back as \"\"; set CsvOptions.NullAs (for example to \"\") to write an empty field",
                path: path.ToString());
        }

        WriteCell(nullAs, isNumber: false, singleColumn);
    }

    /// <summary>The text of a scalar; null for a JSON null value.</summary>
    internal static string? CellText(JsonValue value, out bool isNumber)
    {
        isNumber = false;
        if (value.TryGetValue(out string? text))
        {
            return text;
        }

        if (value.TryGetValue(out BigInteger big))
        {
            isNumber = true;
            return big.ToString(CultureInfo.InvariantCulture);
        }

        // NaN and infinities have no JSON text. (Check float only when double fails: a JSON number too big for a
        // float reads as a float infinity.)
        if (value.TryGetValue(out double real))
        {
            if (!double.IsFinite(real))
            {
                return NonFinite(real);
            }
        }
        else if (value.TryGetValue(out float single) && !float.IsFinite(single))
        {
            return NonFinite(single);
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.Number:
                isNumber = true;
                return value.ToJsonString();
            default:
                // Typed values that travel as JSON strings (dates, GUIDs, byte[] as base64): their JSON text, unquoted.
                var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(value.ToJsonString()));
                reader.Read();
                return reader.GetString();
        }
    }

    private static string NonFinite(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => "a " + node.GetValueKind().ToString().ToLowerInvariant() + " value",
    };

    private void WriteCell(string text, bool isNumber, bool singleColumn)
    {
        bool guard = _options.GuardFormulas && !isNumber && NeedsGuard(text);
        bool quote = _options.QuoteAll
            || (singleColumn && text.Length == 0)
            || text.AsSpan().ContainsAny(_needsQuotes);
        if (!quote)
        {
            if (guard)
            {
                WriteRaw("'"u8);
            }

            WriteText(text);
            return;
        }

        WriteRaw("\""u8);
        if (guard)
        {
            WriteRaw("'"u8);
        }

        ReadOnlySpan<char> rest = text;
        while (true)
        {
            int quoteAt = rest.IndexOf('"');
            if (quoteAt < 0)
            {
                WriteText(rest);
                break;
            }

            WriteText(rest[..(quoteAt + 1)]);
            WriteRaw("\""u8);
            rest = rest[(quoteAt + 1)..];
        }

        WriteRaw("\""u8);
    }

    /// <summary>Whether a spreadsheet could run the cell as a formula (OWASP CSV injection list), numbers excepted.</summary>
    internal static bool NeedsGuard(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r'))
        {
            return false;
        }

        // A plain number such as -5 or -1.5e3 is data, not a formula.
        return NumberSyntax.Classify(text) == NumberKind.None;
    }

    private void WriteDelimiter()
    {
        Span<byte> span = _output.GetSpan(1);
        span[0] = (byte)_delimiter;
        _output.Advance(1);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Span<byte> span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _output.Advance(bytes.Length);
    }

    private void WriteText(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        const int Chunk = 16 * 1024;
        while (text.Length > Chunk)
        {
            // Split on a character boundary (never between the halves of a surrogate pair).
            int take = char.IsHighSurrogate(text[Chunk - 1]) ? Chunk - 1 : Chunk;
            WriteText(text[..take]);
            text = text[take..];
        }

        Span<byte> span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        int written = Encoding.UTF8.GetBytes(text, span);
        _output.Advance(written);
    }

    /// <summary>Where a cell is, turned into a JSON path only when an error needs it.</summary>
    private readonly struct CellPath(JsonNode row, string? recordPath, string? key, int item)
    {
        public override string ToString()
        {
            string prefix = recordPath ?? row.GetPath();
            if (key is null)
            {
                return prefix + "[" + item.ToString(CultureInfo.InvariantCulture) + "]";
            }

            bool simple = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
            return simple ? prefix + "." + key : prefix + "['" + key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
        }
    }
}
