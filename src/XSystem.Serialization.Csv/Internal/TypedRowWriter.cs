using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>
/// Writes <typeparamref name="T"/> records as rows straight from System.Text.Json metadata getters: the header is
/// the property names in metadata order, strings and numbers are written directly (invariantly), other values take
/// the text System.Text.Json gives them (so they match the tree path). One instance per write; not thread-safe.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class TypedRowWriter<T> : IDisposable
{
    private readonly DelimitedWriter _writer;
    private readonly string _format;
    private readonly bool _nestedAsJson;
    private readonly PropertyPlan[] _columns;
    private readonly CellConversion _cells = new();

    private TypedRowWriter(DelimitedWriter writer, string format, JsonSerializerOptions json, JsonTypeInfo info)
    {
        _writer = writer;
        _format = format;
        _nestedAsJson = writer.Options.NestedAsJson;
        _columns = [.. info.Properties.Where(p => p.Get is not null && !p.IsExtensionData).Select(p => new PropertyPlan(p, json))];
    }

    /// <summary>A writer for <typeparamref name="T"/>, or null when the type is not a plain object (then records go through the tree).</summary>
    public static TypedRowWriter<T>? TryCreate(DelimitedWriter writer, string format, JsonSerializerOptions json)
    {
        if (!json.IsReadOnly)
        {
            json.MakeReadOnly(populateMissingResolver: true);
        }

        JsonTypeInfo info = json.GetTypeInfo(typeof(T));
        if (info.Kind != JsonTypeInfoKind.Object || info.PolymorphismOptions is not null || info.Properties.Any(p => p.IsExtensionData)
            || typeof(T) == typeof(object))
        {
            return null;
        }

        var typed = new TypedRowWriter<T>(writer, format, json, info);
        return typed._columns.Length == 0 ? null : typed;
    }

    public void Dispose() => _cells.Dispose();

    public void WriteHeader() => _writer.WriteHeader([.. _columns.Select(c => c.Name)]);

    public void WriteRow(T record, long index)
    {
        if (record is null)
        {
            throw new SerializationException(_format, "a record is null; every record must be an object with the columns as properties", path: RecordPath(index));
        }

        object target = record;
        PropertyPlan[] columns = _columns;
        bool single = columns.Length == 1;
        for (int c = 0; c < columns.Length; c++)
        {
            if (c > 0)
            {
                _writer.WriteSeparator();
            }

            PropertyPlan plan = columns[c];
            object? value = plan.Get!(target);
            if (value is null)
            {
                _writer.WriteNullField(single, RecordPath(index) + "." + plan.Name);
                continue;
            }

            if (plan.Kind == CellKind.Json)
            {
                WriteThroughJson(value, plan, single, index);
                continue;
            }

            CultureInfo inv = CultureInfo.InvariantCulture;
            switch (value)
            {
                case string s: _writer.WriteField(s, isNumber: false, single); break;
                case int i: _writer.WriteField(i.ToString(inv), isNumber: true, single); break;
                case long l: _writer.WriteField(l.ToString(inv), isNumber: true, single); break;
                case short s16: _writer.WriteField(s16.ToString(inv), isNumber: true, single); break;
                case byte u8: _writer.WriteField(u8.ToString(inv), isNumber: true, single); break;
                case decimal m: _writer.WriteField(m.ToString(inv), isNumber: true, single); break;
                case bool b: _writer.WriteField(b ? "true" : "false", isNumber: false, single); break;
                case double d: WriteReal(d, d.ToString("R", inv), single); break;
                case float f: WriteReal(f, f.ToString("R", inv), single); break;
                default: WriteThroughJson(value, plan, single, index); break;
            }
        }

        _writer.EndRow();
    }

    private void WriteReal(double value, string text, bool single)
    {
        if (double.IsFinite(value))
        {
            _writer.WriteField(text, isNumber: true, single);
        }
        else
        {
            _writer.WriteField(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity", isNumber: false, single);
        }
    }

    /// <summary>Writes the text System.Text.Json gives the value: a string unquoted, a number as is, nested values as JSON when allowed.</summary>
    private void WriteThroughJson(object value, PropertyPlan plan, bool single, long index)
    {
        Utf8JsonWriter json = _cells.ScratchWriter();
        try
        {
            JsonSerializer.Serialize(json, value, plan.Json.GetTypeInfo(plan.Property.PropertyType));
            json.Flush();
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new SerializationException(_format, $"the value of {typeof(T).Name}.{plan.Property.Name} cannot be written: {ex.Message}", path: RecordPath(index) + "." + plan.Name, innerException: ex);
        }

        var reader = new Utf8JsonReader(_cells.ScratchSpan);
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                _writer.WriteField(reader.GetString()!, isNumber: false, single);
                break;
            case JsonTokenType.Number:
                _writer.WriteField(System.Text.Encoding.UTF8.GetString(_cells.ScratchSpan), isNumber: true, single);
                break;
            case JsonTokenType.True:
                _writer.WriteField("true", isNumber: false, single);
                break;
            case JsonTokenType.False:
                _writer.WriteField("false", isNumber: false, single);
                break;
            case JsonTokenType.Null:
                _writer.WriteNullField(single, RecordPath(index) + "." + plan.Name);
                break;
            default:
                if (!_nestedAsJson)
                {
                    throw new SerializationException(
                        _format,
                        $"a cell cannot hold {(reader.TokenType == JsonTokenType.StartArray ? "an array" : "an object")}; flatten the data, or set CsvOptions.NestedAsJson = true to write it as JSON text",
                        path: RecordPath(index) + "." + plan.Name);
                }

                _writer.WriteField(System.Text.Encoding.UTF8.GetString(_cells.ScratchSpan), isNumber: false, single);
                break;
        }
    }

    private static string RecordPath(long index) => "$[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
