using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace XSystem.Validation.Internal;

/// <summary>Converts one input value (a <see cref="JsonElement"/>, a <see cref="JsonNode"/> or a CLR value) to a target type.</summary>
internal abstract class Converter
{
    /// <summary>Returned (after the error was recorded) when a value does not validate.</summary>
    public static readonly object Failed = new();

    protected Converter(Constraints constraints) => C = constraints;

    protected Constraints C { get; }

    public abstract object? FromElement(JsonElement e, ValidationState st);

    public abstract object? FromClr(object? v, ValidationState st);

    public abstract JsonNode? ToJson(object? value);

    public abstract void WriteSchema(JsonObject s, SchemaContext ctx);

    public object? Convert(object? v, ValidationState st) =>
        JsonHelpers.TryGetElement(v, out var e, out var clr) ? FromElement(e, st) : FromClr(clr, st);

    /// <summary>
    /// Whether <see cref="TryRead"/> can take values of this converter straight from a <see cref="Utf8JsonReader"/>.
    /// Plans whose fields all can skip the <see cref="JsonDocument"/> for JSON text input.
    /// </summary>
    public virtual bool ReadsDirectly => false;

    /// <summary>
    /// The optimistic fast path for JSON text: converts the value at the reader's current token (leaving the reader on
    /// its last token) when it is the exact JSON type the target takes and every constraint holds. Returns false on
    /// anything else, without promising a useful reader position or error list: the caller then discards the attempt
    /// and validates again through <see cref="FromElement"/>, which reports every problem with its location.
    /// </summary>
    public virtual bool TryRead(ref Utf8JsonReader reader, ValidationState st, out object? value)
    {
        value = null;
        return false;
    }

    /// <summary>Stands in for the input in errors recorded on the fast path, which are always discarded.</summary>
    protected static readonly object FastPathInput = new();

    protected bool IsStrict(ValidationState st) => st.Strict || C.Strict;

    protected static bool IsIntegral(object v) => v is int or long or short or sbyte or byte or ushort or uint or ulong or Int128 or UInt128 or BigInteger;
}

internal sealed class StringConverter(Constraints c) : Converter(c)
{
    public override object? FromElement(JsonElement e, ValidationState st)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            var s = e.GetString()!;
            return C.CheckString(s, s, st) ? s : Failed;
        }

        st.Add("string_type", "Input should be a valid string", e);
        return Failed;
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        switch (v)
        {
            case string s:
                return C.CheckString(s, s, st) ? s : Failed;
            case char ch when !IsStrict(st):
                var t = ch.ToString();
                return C.CheckString(t, v, st) ? t : Failed;
            default:
                st.Add("string_type", "Input should be a valid string", v);
                return Failed;
        }
    }

    public override bool ReadsDirectly => true;

    public override bool TryRead(ref Utf8JsonReader reader, ValidationState st, out object? value)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            value = null;
            return false;
        }

        var s = reader.GetString()!;
        value = s;
        return C.CheckString(s, s, st);
    }

    public override JsonNode? ToJson(object? value) => value is null ? null : JsonValue.Create((string)value);

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        s["type"] = "string";
        C.WriteStringSchema(s);
    }
}

internal sealed class BoolConverter(Constraints c) : Converter(c)
{
    private static readonly object True = true;
    private static readonly object False = false;

    public override object? FromElement(JsonElement e, ValidationState st)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            case JsonValueKind.String when !IsStrict(st):
                return FromString(e.GetString()!, e, st);
            case JsonValueKind.Number when !IsStrict(st) && e.TryGetInt64(out var n) && n is 0 or 1:
                return n == 1 ? True : False;
            case JsonValueKind.Number when !IsStrict(st):
                st.Add("bool_parsing", "Input should be a valid boolean, unable to interpret input", e);
                return Failed;
            default:
                st.Add("bool_type", "Input should be a valid boolean", e);
                return Failed;
        }
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        if (v is bool b)
        {
            return b ? True : False;
        }

        if (!IsStrict(st))
        {
            if (v is string s)
            {
                return FromString(s, v, st);
            }

            if (v is not null && IsIntegral(v))
            {
                var d = System.Convert.ToDecimal(v, CultureInfo.InvariantCulture);
                if (d == 0 || d == 1)
                {
                    return d == 1 ? True : False;
                }

                st.Add("bool_parsing", "Input should be a valid boolean, unable to interpret input", v);
                return Failed;
            }
        }

        st.Add("bool_type", "Input should be a valid boolean", v);
        return Failed;
    }

    private static object FromString(string s, object input, ValidationState st)
    {
        switch (s.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on" or "t" or "y":
                return True;
            case "false" or "0" or "no" or "off" or "f" or "n":
                return False;
            default:
                st.Add("bool_parsing", "Input should be a valid boolean, unable to interpret input", input);
                return Failed;
        }
    }

    public override bool ReadsDirectly => true;

    public override bool TryRead(ref Utf8JsonReader reader, ValidationState st, out object? value)
    {
        value = reader.TokenType == JsonTokenType.True ? True : False;
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False;
    }

    public override JsonNode? ToJson(object? value) => value is null ? null : JsonValue.Create((bool)value);

    public override void WriteSchema(JsonObject s, SchemaContext ctx) => s["type"] = "boolean";
}

internal sealed class IntConverter<T>(Constraints c) : Converter(c)
    where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
{
    private static readonly Int128 Min = Int128.CreateChecked(T.MinValue);
    private static readonly Int128 Max = typeof(T) == typeof(UInt128) ? Int128.MaxValue : Int128.CreateChecked(T.MaxValue);
    private readonly Constraints _bounds = new() { Ge = c.Ge, Gt = c.Gt, Le = c.Le, Lt = c.Lt };

    public override object? FromElement(JsonElement e, ValidationState st)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                if (e.TryGetInt64(out var l))
                {
                    return Finish(l, e, st);
                }

                if (e.TryGetUInt64(out var ul))
                {
                    return Finish(ul, e, st);
                }

                return FromDouble(e.GetDouble(), e, st);
            case JsonValueKind.String when !IsStrict(st):
                return FromString(e.GetString()!, e, st);
            default:
                st.Add("int_type", "Input should be a valid integer", e);
                return Failed;
        }
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        switch (v)
        {
            case T t:
                return Finish(Int128.CreateTruncating(t), v, st);
            case int i:
                return Finish(i, v, st);
            case long l:
                return Finish(l, v, st);
            case short or sbyte or byte or ushort or uint:
                return Finish(System.Convert.ToInt64(v, CultureInfo.InvariantCulture), v, st);
            case ulong ul:
                return Finish(ul, v, st);
            case Int128 i128:
                return Finish(i128, v, st);
            case double d:
                return FromDouble(d, v, st);
            case float f:
                return FromDouble(f, v, st);
            case decimal m:
                if (m != decimal.Truncate(m))
                {
                    st.Add("int_from_float", "Input should be a valid integer, got a number with a fractional part", v);
                    return Failed;
                }

                if (IsStrict(st))
                {
                    st.Add("int_type", "Input should be a valid integer", v);
                    return Failed;
                }

                return Finish((Int128)m, v, st);
            case string s when !IsStrict(st):
                return FromString(s, v, st);
            default:
                st.Add("int_type", "Input should be a valid integer", v);
                return Failed;
        }
    }

    private object FromDouble(double d, object input, ValidationState st)
    {
        if (double.IsNaN(d) || double.IsInfinity(d) || d != Math.Floor(d))
        {
            st.Add("int_from_float", "Input should be a valid integer, got a number with a fractional part", input);
            return Failed;
        }

        if (IsStrict(st))
        {
            st.Add("int_type", "Input should be a valid integer", input);
            return Failed;
        }

        if (d < -1.7e38 || d > 1.7e38)
        {
            st.Add("int_parsing", $"Input should be a valid integer, the number is out of range for {typeof(T).Name}", input);
            return Failed;
        }

        return Finish((Int128)d, input, st);
    }

    private object FromString(string s, object input, ValidationState st)
    {
        if (Int128.TryParse(s.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            return Finish(v, input, st);
        }

        st.Add("int_parsing", "Input should be a valid integer, unable to parse string as an integer", input);
        return Failed;
    }

    public override bool ReadsDirectly => true;

    public override bool TryRead(ref Utf8JsonReader reader, ValidationState st, out object? value)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var l))
        {
            value = null;
            return false;
        }

        value = Finish(l, FastPathInput, st);
        return !ReferenceEquals(value, Failed);
    }

    private object Finish(Int128 v, object input, ValidationState st)
    {
        if (v < Min || v > Max)
        {
            st.Add("int_parsing", $"Input should be a valid integer, the number is out of range for {typeof(T).Name}", input);
            return Failed;
        }

        if (C.HasNumeric)
        {
            var ok = true;
            if (!double.IsNaN(C.MultipleOf) && C.MultipleOf == Math.Floor(C.MultipleOf) && C.MultipleOf >= 1 && C.MultipleOf < 1e18)
            {
                if (v % (Int128)C.MultipleOf != 0)
                {
                    st.Add("multiple_of", "Input should be a multiple of " + Constraints.Num(C.MultipleOf), input);
                    ok = false;
                }

                ok &= _bounds.CheckNumber((double)v, input, st);
            }
            else
            {
                ok = C.CheckNumber((double)v, input, st);
            }

            if (!ok)
            {
                return Failed;
            }
        }

        return T.CreateTruncating(v);
    }

    public override JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        ulong ul => JsonValue.Create(ul),
        UInt128 or Int128 => JsonValue.Create(decimal.Parse(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
    };

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        s["type"] = "integer";
        C.WriteNumberSchema(s);

        // Narrow integer types state their range so the schema rejects what validation rejects (int and long do not,
        // like pydantic; their ranges are documented).
        if (typeof(T) == typeof(byte) || typeof(T) == typeof(sbyte) || typeof(T) == typeof(short) || typeof(T) == typeof(ushort) || typeof(T) == typeof(uint))
        {
            if (double.IsNaN(C.Ge) && double.IsNaN(C.Gt))
            {
                s["minimum"] = JsonValue.Create((long)Min);
            }

            if (double.IsNaN(C.Le) && double.IsNaN(C.Lt))
            {
                s["maximum"] = JsonValue.Create((long)Max);
            }
        }
    }
}

internal sealed class FloatConverter<T>(Constraints c) : Converter(c)
    where T : struct, IBinaryFloatingPointIeee754<T>
{
    public override object? FromElement(JsonElement e, ValidationState st)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                return Finish(e.GetDouble(), e, st);
            case JsonValueKind.String when !IsStrict(st):
                return FromString(e.GetString()!, e, st);
            default:
                st.Add("float_type", "Input should be a valid number", e);
                return Failed;
        }
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        switch (v)
        {
            case double d:
                return Finish(d, v, st);
            case float f:
                return Finish(f, v, st);
            case Half h:
                return Finish((double)h, v, st);
            case decimal m:
                return Finish((double)m, v, st);
            case string s when !IsStrict(st):
                return FromString(s, v, st);
            case not null when IsIntegral(v):
                return Finish(System.Convert.ToDouble(v, CultureInfo.InvariantCulture), v, st);
            default:
                st.Add("float_type", "Input should be a valid number", v);
                return Failed;
        }
    }

    private object FromString(string s, object input, ValidationState st)
    {
        if (double.TryParse(s.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return Finish(d, input, st);
        }

        st.Add("float_parsing", "Input should be a valid number, unable to parse string as a number", input);
        return Failed;
    }

    public override bool ReadsDirectly => true;

    public override bool TryRead(ref Utf8JsonReader reader, ValidationState st, out object? value)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var d))
        {
            value = null;
            return false;
        }

        value = Finish(d, FastPathInput, st);
        return !ReferenceEquals(value, Failed);
    }

    private object Finish(double d, object input, ValidationState st)
    {
        if (C.HasNumeric && !C.CheckNumber(d, input, st))
        {
            return Failed;
        }

        return T.CreateSaturating(d);
    }

    public override JsonNode? ToJson(object? value) => value is null ? null : JsonValue.Create(System.Convert.ToDouble(value, CultureInfo.InvariantCulture));

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        s["type"] = "number";
        C.WriteNumberSchema(s);
    }
}

internal sealed class DecimalConverter(Constraints c) : Converter(c)
{
    public override object? FromElement(JsonElement e, ValidationState st)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number when e.TryGetDecimal(out var m):
                return Finish(m, e, st);
            case JsonValueKind.Number:
                st.Add("decimal_parsing", "Input should be a valid decimal, the number is out of range", e);
                return Failed;
            case JsonValueKind.String when !IsStrict(st):
                return FromString(e.GetString()!, e, st);
            default:
                st.Add("decimal_type", "Decimal input should be a number or a string", e);
                return Failed;
        }
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        try
        {
            switch (v)
            {
                case decimal m:
                    return Finish(m, v, st);
                case double or float:
                    return Finish(System.Convert.ToDecimal(v, CultureInfo.InvariantCulture), v, st);
                case string s when !IsStrict(st):
                    return FromString(s, v, st);
                case not null when IsIntegral(v):
                    return Finish(System.Convert.ToDecimal(v, CultureInfo.InvariantCulture), v, st);
                default:
                    st.Add("decimal_type", "Decimal input should be a number or a string", v);
                    return Failed;
            }
        }
        catch (OverflowException)
        {
            st.Add("decimal_parsing", "Input should be a valid decimal, the number is out of range", v);
            return Failed;
        }
    }

    private object FromString(string s, object input, ValidationState st)
    {
        if (decimal.TryParse(s.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
        {
            return Finish(m, input, st);
        }

        st.Add("decimal_parsing", "Input should be a valid decimal", input);
        return Failed;
    }

    public override bool ReadsDirectly => true;

    public override bool TryRead(ref Utf8JsonReader reader, ValidationState st, out object? value)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var m))
        {
            value = null;
            return false;
        }

        value = Finish(m, FastPathInput, st);
        return !ReferenceEquals(value, Failed);
    }

    private object Finish(decimal m, object input, ValidationState st) =>
        C.HasNumeric && !C.CheckDecimal(m, input, st) ? Failed : m;

    public override JsonNode? ToJson(object? value) => value is null ? null : JsonValue.Create((decimal)value);

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        s["type"] = "number";
        C.WriteNumberSchema(s);
    }
}

internal sealed class EnumConverter : Converter
{
    private readonly Type _type;
    private readonly Dictionary<string, object> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _ignoreCase = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, object> _byValue = [];
    private readonly Dictionary<object, string> _names = [];
    private readonly string _expected;

    public EnumConverter(Type type, Constraints c)
        : base(c)
    {
        _type = type;
        foreach (var name in Enum.GetNames(type))
        {
            var value = Enum.Parse(type, name);
            _exact[name] = value;
            _ignoreCase.TryAdd(name, value);
            _byValue.TryAdd(System.Convert.ToInt64(value, CultureInfo.InvariantCulture), value);
            _names.TryAdd(value, name);
        }

        var quoted = _exact.Keys.Select(n => "'" + n + "'").ToList();
        _expected = quoted.Count <= 1 ? string.Concat(quoted) : string.Join(", ", quoted.Take(quoted.Count - 1)) + " or " + quoted[^1];
    }

    public override object? FromElement(JsonElement e, ValidationState st)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                return FromString(e.GetString()!, e, st);
            case JsonValueKind.Number when !IsStrict(st) && e.TryGetInt64(out var n) && _byValue.TryGetValue(n, out var v):
                return v;
            default:
                return Fail(e, st);
        }
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        if (v is not null && v.GetType() == _type)
        {
            return _names.ContainsKey(v) ? v : Fail(v, st);
        }

        if (v is string s)
        {
            return FromString(s, v, st);
        }

        if (!IsStrict(st) && v is not null && IsIntegral(v) && _byValue.TryGetValue(System.Convert.ToInt64(v, CultureInfo.InvariantCulture), out var r))
        {
            return r;
        }

        return Fail(v, st);
    }

    private object FromString(string s, object input, ValidationState st)
    {
        if (_exact.TryGetValue(s, out var v))
        {
            return v;
        }

        if (!IsStrict(st))
        {
            if (_ignoreCase.TryGetValue(s.Trim(), out v))
            {
                return v;
            }

            if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && _byValue.TryGetValue(n, out v))
            {
                return v;
            }
        }

        return Fail(input, st);
    }

    private object Fail(object? input, ValidationState st)
    {
        st.Add("enum", "Input should be " + _expected, input);
        return Failed;
    }

    public override JsonNode? ToJson(object? value) => value is null ? null : JsonValue.Create(_names.TryGetValue(value, out var n) ? n : value.ToString());

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        s["type"] = "string";
        var arr = new JsonArray();
        foreach (var n in _exact.Keys)
        {
            arr.Add(n);
        }

        s["enum"] = arr;
    }
}

/// <summary>Values parsed from ISO 8601 / canonical strings: dates, times, durations, GUIDs, URIs.</summary>
internal sealed class TextValueConverter<T>(Constraints c, string code, string what, string? format, TextValueConverter<T>.Parser parse, Func<T, string> print, Func<object, ValidationState, object?>? fromOther = null) : Converter(c)
{
    public delegate bool Parser(string s, out T value);

    public override object? FromElement(JsonElement e, ValidationState st)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            return FromString(e.GetString()!, e, st);
        }

        if (e.ValueKind == JsonValueKind.Number && !IsStrict(st) && fromOther is not null && e.TryGetDouble(out var d))
        {
            var r = fromOther(d, st);
            if (r is not null)
            {
                return r;
            }
        }

        st.Add(code + "_type", $"Input should be a valid {what}", e);
        return Failed;
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        switch (v)
        {
            case T t:
                return t;
            case string s:
                return FromString(s, v, st);
            case not null when !IsStrict(st) && fromOther is not null:
                var r = fromOther(v, st);
                if (r is not null)
                {
                    return r;
                }

                break;
        }

        st.Add(code + "_type", $"Input should be a valid {what}", v);
        return Failed;
    }

    private object FromString(string s, object input, ValidationState st)
    {
        if (parse(s, out var value))
        {
            return value!;
        }

        st.Add(code + "_parsing", $"Input should be a valid {what}, unable to parse '{s}'", input);
        return Failed;
    }

    public override JsonNode? ToJson(object? value) => value is null ? null : JsonValue.Create(print((T)value));

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        s["type"] = "string";
        if (format is not null)
        {
            s["format"] = format;
        }
    }
}

internal static class TextValues
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd",
    ];

    private static readonly string[] TimeFormats = ["HH:mm:ss.FFFFFFF", "HH:mm"];

    public static Converter Create(Type t, Constraints c)
    {
        if (t == typeof(DateTime))
        {
            return new TextValueConverter<DateTime>(c, "datetime", "datetime", "date-time", ParseDateTime, v => v.ToString("O", CultureInfo.InvariantCulture), (o, _) => o is DateTimeOffset dto ? dto.UtcDateTime : null);
        }

        if (t == typeof(DateTimeOffset))
        {
            return new TextValueConverter<DateTimeOffset>(c, "datetime", "datetime", "date-time", ParseDateTimeOffset, v => v.ToString("O", CultureInfo.InvariantCulture), (o, _) => o is DateTime dt ? new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt) : null);
        }

        if (t == typeof(DateOnly))
        {
            return new TextValueConverter<DateOnly>(c, "date", "date", "date", (string s, out DateOnly v) => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out v), v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (o, _) => o is DateTime dt && dt.TimeOfDay == TimeSpan.Zero ? DateOnly.FromDateTime(dt) : null);
        }

        if (t == typeof(TimeOnly))
        {
            return new TextValueConverter<TimeOnly>(c, "time", "time", "time", (string s, out TimeOnly v) => TimeOnly.TryParseExact(s, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out v), v => v.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
        }

        if (t == typeof(TimeSpan))
        {
            return new TextValueConverter<TimeSpan>(c, "time_delta", "duration", "duration", ParseDuration, XmlConvert.ToString, (o, _) => o switch
            {
                double d when !double.IsNaN(d) && Math.Abs(d) < 9e11 => TimeSpan.FromSeconds(d),
                int i => TimeSpan.FromSeconds(i),
                long l when Math.Abs(l) < 900_000_000_000L => TimeSpan.FromSeconds(l),
                _ => null,
            });
        }

        if (t == typeof(Guid))
        {
            return new TextValueConverter<Guid>(c, "uuid", "UUID", "uuid", (string s, out Guid v) => Guid.TryParse(s, out v), v => v.ToString("D"));
        }

        if (t == typeof(Uri))
        {
            return new TextValueConverter<Uri>(c, "url", "URL", "uri", (string s, out Uri v) => Uri.TryCreate(s, UriKind.Absolute, out v!), v => v.OriginalString);
        }

        throw new NotSupportedException(t.FullName);
    }

    public static bool IsTextValue(Type t) =>
        t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || t == typeof(TimeOnly) || t == typeof(TimeSpan) || t == typeof(Guid) || t == typeof(Uri);

    private static bool ParseDateTime(string s, out DateTime v) =>
        DateTime.TryParseExact(s, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out v);

    private static bool ParseDateTimeOffset(string s, out DateTimeOffset v) =>
        DateTimeOffset.TryParseExact(s, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out v);

    private static bool ParseDuration(string s, out TimeSpan v)
    {
        if (s.Length > 0 && (s[0] == 'P' || (s.Length > 1 && s[0] == '-' && s[1] == 'P')))
        {
            try
            {
                v = XmlConvert.ToTimeSpan(s);
                return true;
            }
            catch (FormatException)
            {
            }
            catch (OverflowException)
            {
            }

            v = default;
            return false;
        }

        return TimeSpan.TryParseExact(s, "c", CultureInfo.InvariantCulture, out v);
    }
}

internal sealed class NullableConverter(Converter inner) : Converter(Constraints.None)
{
    public Converter Inner => inner;

    public override object? FromElement(JsonElement e, ValidationState st) =>
        e.ValueKind == JsonValueKind.Null ? null : inner.FromElement(e, st);

    public override object? FromClr(object? v, ValidationState st) => v is null ? null : inner.FromClr(v, st);

    public override bool ReadsDirectly => inner.ReadsDirectly;

    public override bool TryRead(ref Utf8JsonReader reader, ValidationState st, out object? value)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            value = null;
            return true;
        }

        return inner.TryRead(ref reader, st, out value);
    }

    public override JsonNode? ToJson(object? value) => value is null ? null : inner.ToJson(value);

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        var tmp = new JsonObject();
        inner.WriteSchema(tmp, ctx);
        if (tmp.ContainsKey("$ref"))
        {
            s["anyOf"] = new JsonArray(tmp, new JsonObject { ["type"] = "null" });
            return;
        }

        if (tmp["type"] is JsonValue tv && tv.TryGetValue<string>(out var t))
        {
            tmp["type"] = new JsonArray(t, "null");
        }

        if (tmp["enum"] is JsonArray en)
        {
            en.Add(null);
        }

        foreach (var kv in tmp.ToList())
        {
            tmp.Remove(kv.Key);
            s[kv.Key] = kv.Value;
        }
    }
}

/// <summary>JsonNode, JsonElement or object members: any JSON value passes through.</summary>
internal sealed class AnyConverter(Type type) : Converter(Constraints.None)
{
    public override object? FromElement(JsonElement e, ValidationState st)
    {
        if (type == typeof(JsonElement))
        {
            return e.Clone();
        }

        var node = JsonHelpers.ToNode(e);
        return Fits(node, e, st);
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        if (type == typeof(object))
        {
            return v is JsonNode n && n.Parent is not null ? n.DeepClone() : v;
        }

        var node = v is JsonNode jn ? (jn.Parent is null ? jn : jn.DeepClone()) : JsonHelpers.FromClr(v);
        if (type == typeof(JsonElement))
        {
            return node is null ? default(JsonElement) : JsonSerializer.SerializeToElement(node);
        }

        return Fits(node, v, st);
    }

    private object? Fits(JsonNode? node, object? input, ValidationState st)
    {
        if (node is null || type.IsInstanceOfType(node))
        {
            return node;
        }

        st.Add(type == typeof(JsonArray) ? "list_type" : type == typeof(JsonObject) ? "dict_type" : "json_type", $"Input should be a JSON {type.Name}", input);
        return Failed;
    }

    public override JsonNode? ToJson(object? value) => JsonHelpers.FromClr(value);

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        if (type == typeof(JsonArray))
        {
            s["type"] = "array";
        }
        else if (type == typeof(JsonObject))
        {
            s["type"] = "object";
        }
    }
}

internal enum CollectionKind
{
    List,
    Array,
    HashSet,
}

internal sealed class ListConverter<T>(Converter item, Constraints c, CollectionKind kind) : Converter(c)
{
    public override object? FromElement(JsonElement e, ValidationState st)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            st.Add("list_type", "Input should be a valid list", e);
            return Failed;
        }

        if (st.TooDeep(e))
        {
            return Failed;
        }

        var list = new List<T>(e.GetArrayLength());
        var failed = false;
        var i = 0;
        foreach (var el in e.EnumerateArray())
        {
            st.Push(i++);
            var r = item.FromElement(el, st);
            st.Pop();
            if (ReferenceEquals(r, Failed))
            {
                failed = true;
            }
            else if (!failed)
            {
                list.Add((T)r!);
            }
        }

        return Finish(list, failed, i, e, st);
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        if (v is string || v is null || v is IDictionary || v is JsonObject || v is not IEnumerable seq)
        {
            st.Add("list_type", "Input should be a valid list", v);
            return Failed;
        }

        if (st.TooDeep(v))
        {
            return Failed;
        }

        var list = new List<T>();
        var failed = false;
        var i = 0;
        foreach (var x in seq)
        {
            st.Push(i++);
            var r = item.Convert(x, st);
            st.Pop();
            if (ReferenceEquals(r, Failed))
            {
                failed = true;
            }
            else if (!failed)
            {
                list.Add((T)r!);
            }
        }

        return Finish(list, failed, i, v, st);
    }

    public override bool ReadsDirectly => item.ReadsDirectly;

    public override bool TryRead(ref Utf8JsonReader reader, ValidationState st, out object? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.StartArray || st.Depth > ValidationState.MaxDepth)
        {
            return false;
        }

        var list = new List<T>();
        var i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            st.Push(i++);
            var ok = item.TryRead(ref reader, st, out var r);
            st.Pop();
            if (!ok)
            {
                return false;
            }

            list.Add((T)r!);
        }

        value = Finish(list, false, i, FastPathInput, st);
        return !ReferenceEquals(value, Failed);
    }

    private object Finish(List<T> list, bool failed, int count, object input, ValidationState st)
    {
        if (C.HasLength && !C.CheckCount(count, input, st, kind == CollectionKind.HashSet ? "Set" : "List"))
        {
            failed = true;
        }

        if (failed)
        {
            return Failed;
        }

        return kind switch
        {
            CollectionKind.Array => list.ToArray(),
            CollectionKind.HashSet => new HashSet<T>(list),
            _ => list,
        };
    }

    public override JsonNode? ToJson(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var arr = new JsonArray();
        foreach (var x in (IEnumerable<T>)value)
        {
            arr.Add(item.ToJson(x));
        }

        return arr;
    }

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        s["type"] = "array";
        var items = new JsonObject();
        item.WriteSchema(items, ctx);
        s["items"] = items;

        // No "uniqueItems" for sets: validation accepts duplicates and removes them, so the schema must accept them too.

        C.WriteCountSchema(s, "minItems", "maxItems");
    }
}

internal sealed class DictConverter<TValue>(Converter item, Constraints c) : Converter(c)
{
    public override object? FromElement(JsonElement e, ValidationState st)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            st.Add("dict_type", "Input should be a valid dictionary", e);
            return Failed;
        }

        var dict = new Dictionary<string, TValue>();
        var failed = false;
        foreach (var p in e.EnumerateObject())
        {
            st.Push(p.Name);
            var r = item.FromElement(p.Value, st);
            st.Pop();
            if (ReferenceEquals(r, Failed))
            {
                failed = true;
            }
            else
            {
                dict[p.Name] = (TValue)r!;
            }
        }

        return Finish(dict, failed, e, st);
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        if (st.TooDeep(v))
        {
            return Failed;
        }

        var dict = new Dictionary<string, TValue>();
        var failed = false;
        void One(string key, object? x)
        {
            st.Push(key);
            var r = item.Convert(x, st);
            st.Pop();
            if (ReferenceEquals(r, Failed))
            {
                failed = true;
            }
            else
            {
                dict[key] = (TValue)r!;
            }
        }

        switch (v)
        {
            case JsonObject jo:
                foreach (var kv in jo)
                {
                    One(kv.Key, kv.Value);
                }

                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var kv in pairs)
                {
                    One(kv.Key, kv.Value);
                }

                break;
            case IDictionary d:
                foreach (DictionaryEntry kv in d)
                {
                    One(System.Convert.ToString(kv.Key, CultureInfo.InvariantCulture) ?? "", kv.Value);
                }

                break;
            default:
                st.Add("dict_type", "Input should be a valid dictionary", v);
                return Failed;
        }

        return Finish(dict, failed, v, st);
    }

    private object Finish(Dictionary<string, TValue> dict, bool failed, object input, ValidationState st)
    {
        if (C.HasLength && !C.CheckCount(dict.Count, input, st, "Dictionary"))
        {
            failed = true;
        }

        return failed ? Failed : dict;
    }

    public override JsonNode? ToJson(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var obj = new JsonObject();
        foreach (var kv in (IEnumerable<KeyValuePair<string, TValue>>)value)
        {
            obj[kv.Key] = item.ToJson(kv.Value);
        }

        return obj;
    }

    public override void WriteSchema(JsonObject s, SchemaContext ctx)
    {
        s["type"] = "object";
        var items = new JsonObject();
        item.WriteSchema(items, ctx);
        s["additionalProperties"] = items;
        C.WriteCountSchema(s, "minProperties", "maxProperties");
    }
}

internal sealed class ModelConverter(ModelPlan plan) : Converter(Constraints.None)
{
    public ModelPlan Plan => plan;

    public override object? FromElement(JsonElement e, ValidationState st)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            return st.TooDeep(e) ? Failed : plan.ValidateElement(e, st);
        }

        return Fail(e, st);
    }

    public override object? FromClr(object? v, ValidationState st)
    {
        if (v is not null && st.TooDeep(v))
        {
            return Failed;
        }

        switch (v)
        {
            case null:
                return Fail(v, st);
            case JsonObject jo:
                return plan.ValidateNode(jo, st);
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                return plan.ValidatePairs(pairs, st);
            case string or JsonNode or IEnumerable:
                return Fail(v, st);
            default:
                if (plan.ModelType.IsInstanceOfType(v))
                {
                    return v;
                }

                var t = v.GetType();
                if (t.IsPrimitive || t.IsEnum || v is decimal || TextValues.IsTextValue(t))
                {
                    return Fail(v, st);
                }

                return plan.ValidateAttributes(v, st);
        }
    }

    public override bool ReadsDirectly => plan.ReadsDirectly;

    public override bool TryRead(ref Utf8JsonReader reader, ValidationState st, out object? value) =>
        plan.TryReadObject(ref reader, st, out value);

    private object Fail(object? input, ValidationState st)
    {
        st.Add("model_type", $"Input should be an object or an instance of {plan.Title}", input);
        return Failed;
    }

    public override JsonNode? ToJson(object? value) => value is null ? null : plan.Dump(value);

    public override void WriteSchema(JsonObject s, SchemaContext ctx) => s["$ref"] = ctx.RefFor(plan);
}
