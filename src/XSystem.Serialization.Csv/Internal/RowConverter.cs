using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using nietras.SeparatedValues;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>
/// Turns Sep rows into tree nodes: the first non-blank row becomes the header (when there is one), later rows become
/// objects keyed by it (or arrays without a header). One instance per read; not thread-safe.
/// </summary>
internal sealed class RowConverter
{
    private readonly string _format;
    private readonly bool _hasHeader;
    private readonly bool _inferTypes;
    private string[]? _header;
    private JsonEncodedText[]? _encodedHeader;
    private long _records;

    public RowConverter(string format, CsvOptions options)
    {
        _format = format;
        _hasHeader = options.HasHeader;
        _inferTypes = options.InferTypes;
    }

    /// <summary>The 1-based line a row starts on (Sep reports the first row one line late).</summary>
    public static long LineOf(in SepReader.Row row) => row.RowIndex == 0 ? 1 : row.LineNumberFrom;

    /// <summary>Converts the reader's current row; null for a blank line or the header row.</summary>
    public JsonNode? Convert(SepReader reader) => Convert(reader.Current);

    /// <summary>Converts a row; null for a blank line or the header row.</summary>
    public JsonNode? Convert(in SepReader.Row row)
    {
        ReadOnlySpan<char> raw = row.Span;
        if (raw.IsEmpty)
        {
            // Blank lines carry no record (a single empty field is written as "" so it is never blank).
            return null;
        }

        if (raw.Contains('"'))
        {
            CheckQuotesClosed(_format, raw, row);
        }

        int count = row.ColCount;
        if (_hasHeader)
        {
            string[]? header = _header;
            if (header is null)
            {
                _header = ReadHeader(_format, row);
                return null;
            }

            if (count != header.Length)
            {
                ThrowRagged(_format, row, count, header.Length, _records);
            }

            var obj = new JsonObject();
            for (int i = 0; i < count; i++)
            {
                obj.Add(header[i], Value(row[i]));
            }

            _records++;
            return obj;
        }

        var array = new JsonArray();
        for (int i = 0; i < count; i++)
        {
            array.Add(Value(row[i]));
        }

        _records++;
        return array;
    }

    /// <summary>
    /// Writes a row as JSON (an object keyed by the header, or an array without one): the fast path for whole
    /// documents, which are then parsed lazily by System.Text.Json instead of building a node per cell.
    /// </summary>
    /// <returns>False for a blank line or the header row (nothing written).</returns>
    public bool WriteRow(in SepReader.Row row, Utf8JsonWriter json)
    {
        ReadOnlySpan<char> raw = row.Span;
        if (raw.IsEmpty)
        {
            return false;
        }

        if (raw.Contains('"'))
        {
            CheckQuotesClosed(_format, raw, row);
        }

        int count = row.ColCount;
        if (_hasHeader)
        {
            JsonEncodedText[]? names = _encodedHeader;
            if (names is null)
            {
                _header = ReadHeader(_format, row);
                _encodedHeader = names = new JsonEncodedText[_header.Length];
                for (int i = 0; i < names.Length; i++)
                {
                    names[i] = JsonEncodedText.Encode(_header[i], JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
                }

                return false;
            }

            if (count != names.Length)
            {
                ThrowRagged(_format, row, count, names.Length, _records);
            }

            json.WriteStartObject();
            for (int i = 0; i < count; i++)
            {
                json.WritePropertyName(names[i]);
                WriteValue(row[i].Span, json);
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteStartArray();
            for (int i = 0; i < count; i++)
            {
                WriteValue(row[i].Span, json);
            }

            json.WriteEndArray();
        }

        _records++;
        return true;
    }

    private void WriteValue(ReadOnlySpan<char> text, Utf8JsonWriter json)
    {
        if (!_inferTypes)
        {
            json.WriteStringValue(text);
            return;
        }

        if (text.IsEmpty)
        {
            json.WriteNullValue();
        }
        else if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            json.WriteBooleanValue(true);
        }
        else if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            json.WriteBooleanValue(false);
        }
        else
        {
            switch (NumberSyntax.Classify(text))
            {
                case NumberKind.Integer:
                    // The JSON number grammar is the CSV rule, so the digits go through exactly.
                    json.WriteRawValue(text, skipInputValidation: true);
                    break;
                case NumberKind.Real when double.IsFinite(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)):
                    json.WriteRawValue(text, skipInputValidation: true);
                    break;
                default:
                    json.WriteStringValue(text);
                    break;
            }
        }
    }

    private JsonNode? Value(SepReader.Col col)
    {
        if (_inferTypes)
        {
            return Infer(col);
        }

        return JsonValue.Create(col.ToString());
    }

    /// <summary>The <see cref="CsvOptions.InferTypes"/> rules, applied to the field's characters.</summary>
    internal static JsonNode? Infer(SepReader.Col col) =>
        TryInfer(col.Span, out JsonNode? typed) ? typed : JsonValue.Create(col.ToString());

    /// <summary>
    /// Finds the typed value of a field: true with the value (a null node for an empty field), or false when the field
    /// stays a string.
    /// </summary>
    internal static bool TryInfer(ReadOnlySpan<char> text, out JsonNode? value)
    {
        value = null;
        if (text.IsEmpty)
        {
            return true;
        }

        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            value = JsonValue.Create(true);
            return true;
        }

        if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            value = JsonValue.Create(false);
            return true;
        }

        switch (NumberSyntax.Classify(text))
        {
            case NumberKind.Integer:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
                {
                    value = JsonValue.Create(integer);
                }
                else if (decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal wide))
                {
                    value = JsonValue.Create(wide);
                }
                else
                {
                    // Beyond decimal: keep every digit as an exact JSON number.
                    value = JsonNode.Parse(text.ToString());
                }

                return true;
            case NumberKind.Real:
                double real = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (double.IsFinite(real))
                {
                    value = JsonValue.Create(real);
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    internal static string[] ReadHeader(string format, in SepReader.Row row)
    {
        int count = row.ColCount;
        var names = new string[count];
        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = row[i].ToString();
            if (!seen.Add(name))
            {
                throw new SerializationException(
                    format,
                    $"the header names the column '{name}' twice; column names must be unique (rename one, or set CsvOptions.HasHeader = false to read rows as arrays)",
                    LineOf(row),
                    column: null,
                    path: null,
                    excerpt: Excerpt(row.Span));
            }

            names[i] = name;
        }

        return names;
    }

    internal static void CheckQuotesClosed(string format, ReadOnlySpan<char> raw, in SepReader.Row row)
    {
        int quotes = raw.Count('"');
        if ((quotes & 1) != 0)
        {
            throw new SerializationException(
                format,
                "a quoted field is not closed before the end of the input; a double quote inside a field must be written twice (\"\")",
                LineOf(row),
                column: null,
                path: null,
                excerpt: Excerpt(raw));
        }
    }

    internal static void ThrowRagged(string format, in SepReader.Row row, int count, int expected, long records) =>
        throw new SerializationException(
            format,
            $"the row has {count.ToString(CultureInfo.InvariantCulture)} fields but the header has {expected.ToString(CultureInfo.InvariantCulture)}; every row needs one field per column (quote fields that contain the delimiter)",
            LineOf(row),
            column: null,
            path: "$[" + records.ToString(CultureInfo.InvariantCulture) + "]",
            excerpt: Excerpt(row.Span));

    /// <summary>The start of a row, control characters escaped, at most 60 characters.</summary>
    internal static string Excerpt(ReadOnlySpan<char> raw)
    {
        const int Max = 60;
        var builder = new System.Text.StringBuilder(Math.Min(raw.Length, Max) + 8);
        foreach (char c in raw.Length > Max ? raw[..Max] : raw)
        {
            switch (c)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        if (raw.Length > Max)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
