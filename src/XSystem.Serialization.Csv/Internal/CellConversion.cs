using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>How a cell's text becomes a property value on the typed path.</summary>
internal enum CellKind : byte
{
    /// <summary>No property takes the column.</summary>
    Unmapped,
    String,
    Boolean,
    Byte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    Guid,
    DateTime,
    DateTimeOffset,
    DateOnly,
    TimeOnly,
    Enum,

    /// <summary>Anything else: the cell is read as JSON (or as a JSON string) by System.Text.Json.</summary>
    Json,
}

/// <summary>What the typed path knows about one property: its kind, whether empty means null, and its metadata.</summary>
internal sealed class PropertyPlan
{
    public PropertyPlan(JsonPropertyInfo property, JsonSerializerOptions json)
    {
        Property = property;
        Name = property.Name;
        Type type = property.PropertyType;
        Type? underlying = System.Nullable.GetUnderlyingType(type);
        Nullable = underlying is not null || !type.IsValueType;
        Core = underlying ?? type;
        Kind = HasCustomConverter(property, Core, json) ? CellKind.Json : Classify(Core);
        Set = property.Set;
        Get = property.Get;
        Json = json;
    }

    public JsonPropertyInfo Property { get; }

    public string Name { get; }

    public CellKind Kind { get; }

    /// <summary>The type without <see cref="Nullable{T}"/>.</summary>
    public Type Core { get; }

    /// <summary>Whether the property can hold null (a reference type or <see cref="Nullable{T}"/>).</summary>
    public bool Nullable { get; }

    public Action<object, object?>? Set { get; }

    public Func<object, object?>? Get { get; }

    public JsonSerializerOptions Json { get; }

    /// <summary>A converter other than the built-in one decides the text form, so the cell goes through System.Text.Json.</summary>
    private static bool HasCustomConverter(JsonPropertyInfo property, Type core, JsonSerializerOptions json)
    {
        if (property.CustomConverter is not null || core.GetCustomAttribute<JsonConverterAttribute>() is not null)
        {
            return true;
        }

        foreach (JsonConverter converter in json.Converters)
        {
            if (converter.CanConvert(property.PropertyType) || converter.CanConvert(core))
            {
                return true;
            }
        }

        return false;
    }

    private static CellKind Classify(Type type) =>
        type == typeof(string) ? CellKind.String
        : type == typeof(int) ? CellKind.Int32
        : type == typeof(long) ? CellKind.Int64
        : type == typeof(double) ? CellKind.Double
        : type == typeof(bool) ? CellKind.Boolean
        : type == typeof(decimal) ? CellKind.Decimal
        : type == typeof(DateTime) ? CellKind.DateTime
        : type == typeof(DateTimeOffset) ? CellKind.DateTimeOffset
        : type == typeof(DateOnly) ? CellKind.DateOnly
        : type == typeof(TimeOnly) ? CellKind.TimeOnly
        : type == typeof(Guid) ? CellKind.Guid
        : type == typeof(float) ? CellKind.Single
        : type == typeof(short) ? CellKind.Int16
        : type == typeof(byte) ? CellKind.Byte
        : type.IsEnum ? CellKind.Enum
        : CellKind.Json;
}

/// <summary>
/// Turns cell text into typed values and typed values into cell text, invariantly. One instance per read or write
/// (it keeps scratch buffers); not thread-safe.
/// </summary>
internal sealed class CellConversion : IDisposable
{
    private const NumberStyles IntegerStyle = NumberStyles.Integer;
    private const NumberStyles RealStyle = NumberStyles.Float;
    private const DateTimeStyles DateStyle = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind;

    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private Utf8JsonWriter? _scratchWriter;

    /// <summary>Converts a cell's text to the property's type; null when the text does not fit (see <paramref name="ok"/>).</summary>
    public object? Parse(ReadOnlySpan<char> text, PropertyPlan plan, bool emptyStringIsNull, out bool ok)
    {
        ok = true;
        CultureInfo inv = CultureInfo.InvariantCulture;
        if (text.IsEmpty && plan.Kind != CellKind.Json)
        {
            if (plan.Kind == CellKind.String)
            {
                return emptyStringIsNull ? null : string.Empty;
            }

            ok = plan.Nullable;
            return null;
        }

        switch (plan.Kind)
        {
            case CellKind.String:
                return text.ToString();
            case CellKind.Int32:
                if (int.TryParse(text, IntegerStyle, inv, out int i32))
                {
                    return i32;
                }

                break;
            case CellKind.Int64:
                if (long.TryParse(text, IntegerStyle, inv, out long i64))
                {
                    return i64;
                }

                break;
            case CellKind.Int16:
                if (short.TryParse(text, IntegerStyle, inv, out short i16))
                {
                    return i16;
                }

                break;
            case CellKind.Byte:
                if (byte.TryParse(text, IntegerStyle, inv, out byte u8))
                {
                    return u8;
                }

                break;
            case CellKind.Double:
                if (double.TryParse(text, RealStyle, inv, out double f64))
                {
                    return f64;
                }

                break;
            case CellKind.Single:
                if (float.TryParse(text, RealStyle, inv, out float f32))
                {
                    return f32;
                }

                break;
            case CellKind.Decimal:
                if (decimal.TryParse(text, RealStyle, inv, out decimal dec))
                {
                    return dec;
                }

                break;
            case CellKind.Boolean:
                if (bool.TryParse(text, out bool b))
                {
                    return b;
                }

                break;
            case CellKind.Guid:
                if (Guid.TryParse(text, out Guid guid))
                {
                    return guid;
                }

                break;
            case CellKind.DateTime:
                if (DateTime.TryParse(text, inv, DateStyle, out DateTime dt))
                {
                    return dt;
                }

                break;
            case CellKind.DateTimeOffset:
                if (DateTimeOffset.TryParse(text, inv, DateTimeStyles.AllowWhiteSpaces, out DateTimeOffset dto))
                {
                    return dto;
                }

                break;
            case CellKind.DateOnly:
                if (DateOnly.TryParse(text, inv, DateTimeStyles.AllowWhiteSpaces, out DateOnly date))
                {
                    return date;
                }

                break;
            case CellKind.TimeOnly:
                if (TimeOnly.TryParse(text, inv, DateTimeStyles.AllowWhiteSpaces, out TimeOnly time))
                {
                    return time;
                }

                break;
            case CellKind.Enum:
                if (Enum.TryParse(plan.Core, text, ignoreCase: true, out object? member))
                {
                    return member;
                }

                break;
            case CellKind.Json:
                return ParseJson(text, plan, out ok);
        }

        ok = false;
        return null;
    }

    /// <summary>
    /// Reads a cell through System.Text.Json: as JSON when it looks like JSON (an object, array, number, string,
    /// <c>true</c>, <c>false</c> or <c>null</c>), otherwise (or when that fails) as a JSON string holding the text.
    /// </summary>
    private object? ParseJson(ReadOnlySpan<char> text, PropertyPlan plan, out bool ok)
    {
        ok = true;
        JsonTypeInfo info = plan.Json.GetTypeInfo(plan.Property.PropertyType);
        if (LooksLikeJson(text))
        {
            _scratch.ResetWrittenCount();
            int written = Encoding.UTF8.GetBytes(text, _scratch.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
            _scratch.Advance(written);
            try
            {
                return JsonSerializer.Deserialize(_scratch.WrittenSpan, info);
            }
            catch (JsonException)
            {
                // Not JSON after all (or not this type's JSON): try the text as a string below.
            }
        }

        Utf8JsonWriter writer = ScratchWriter();
        writer.WriteStringValue(text);
        writer.Flush();
        try
        {
            return JsonSerializer.Deserialize(_scratch.WrittenSpan, info);
        }
        catch (JsonException)
        {
            if (text.IsEmpty && plan.Nullable)
            {
                return null;
            }

            ok = false;
            return null;
        }
    }

    internal static bool LooksLikeJson(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> t = text.Trim();
        if (t.IsEmpty)
        {
            return false;
        }

        char c = t[0];
        return c is '{' or '[' or '"' or '-' || char.IsAsciiDigit(c) || t is "true" or "false" or "null";
    }

    /// <summary>A writer over the cleared scratch buffer.</summary>
    internal Utf8JsonWriter ScratchWriter()
    {
        _scratch.ResetWrittenCount();
        if (_scratchWriter is null)
        {
            _scratchWriter = new Utf8JsonWriter(_scratch, new JsonWriterOptions
            {
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                SkipValidation = true,
            });
        }
        else
        {
            _scratchWriter.Reset(_scratch);
        }

        return _scratchWriter;
    }

    internal ReadOnlySpan<byte> ScratchSpan => _scratch.WrittenSpan;

    public void Dispose() => _scratchWriter?.Dispose();

    /// <summary>A short name of the type for error messages (<c>Int32</c>, <c>Nullable&lt;Guid&gt;</c>).</summary>
    public static string TypeName(Type type) =>
        System.Nullable.GetUnderlyingType(type) is { } inner ? "Nullable<" + inner.Name + ">" : type.Name;
}
