using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>The kinds of scalar the binary writers (CBOR, property lists) tell apart.</summary>
internal enum ScalarKind
{
    Null,
    Boolean,
    Integer,
    BigInteger,
    Real,
    String,
    Bytes,
    DateTimeOffset,
    DateOnly,
    TimeOnly,
}

/// <summary>One scalar of the tree, classified once so a binary writer can switch on its kind.</summary>
internal readonly struct TreeScalar
{
    private TreeScalar(ScalarKind kind, long integer = 0, double real = 0, object? reference = null, DateTimeOffset date = default)
    {
        Kind = kind;
        Integer = integer;
        Real = real;
        Reference = reference;
        Date = date;
    }

    public ScalarKind Kind { get; }

    /// <summary>The value of an <see cref="ScalarKind.Integer"/>, or 1/0 for a <see cref="ScalarKind.Boolean"/>.</summary>
    public long Integer { get; }

    public double Real { get; }

    /// <summary>The string, byte array, <see cref="System.Numerics.BigInteger"/> (boxed), <see cref="System.DateOnly"/> or <see cref="System.TimeOnly"/>.</summary>
    public object? Reference { get; }

    public DateTimeOffset Date { get; }

    public bool Boolean => Integer != 0;

    public string Text => (string)Reference!;

    public byte[] Bytes => (byte[])Reference!;

    public BigInteger Big => (BigInteger)Reference!;

    /// <summary>Classifies a tree value; <paramref name="value"/> null is <see cref="ScalarKind.Null"/>.</summary>
    public static TreeScalar From(JsonValue? value)
    {
        if (value is null)
        {
            return new TreeScalar(ScalarKind.Null);
        }

        if (value.TryGetValue(out string? text))
        {
            return new TreeScalar(ScalarKind.String, reference: text);
        }

        if (value.TryGetValue(out long l))
        {
            return new TreeScalar(ScalarKind.Integer, l);
        }

        if (value.TryGetValue(out JsonElement element))
        {
            return FromElement(element);
        }

        if (value.TryGetValue(out double d))
        {
            return new TreeScalar(ScalarKind.Real, real: d);
        }

        if (value.TryGetValue(out bool b))
        {
            return new TreeScalar(ScalarKind.Boolean, b ? 1 : 0);
        }

        if (value.TryGetValue(out int i))
        {
            return new TreeScalar(ScalarKind.Integer, i);
        }

        if (value.TryGetValue(out byte[]? bytes))
        {
            return new TreeScalar(ScalarKind.Bytes, reference: bytes);
        }

        if (value.TryGetValue(out DateTimeOffset dto))
        {
            return new TreeScalar(ScalarKind.DateTimeOffset, date: dto);
        }

        if (value.TryGetValue(out BigInteger big))
        {
            return FromBig(big);
        }

        return FromRare(value);
    }

    private static TreeScalar FromRare(JsonValue value)
    {
        if (value.TryGetValue(out ulong ul))
        {
            return ul <= long.MaxValue ? new TreeScalar(ScalarKind.Integer, (long)ul) : new TreeScalar(ScalarKind.BigInteger, reference: (BigInteger)ul);
        }

        if (value.TryGetValue(out uint ui))
        {
            return new TreeScalar(ScalarKind.Integer, ui);
        }

        if (value.TryGetValue(out short s))
        {
            return new TreeScalar(ScalarKind.Integer, s);
        }

        if (value.TryGetValue(out ushort us))
        {
            return new TreeScalar(ScalarKind.Integer, us);
        }

        if (value.TryGetValue(out byte by))
        {
            return new TreeScalar(ScalarKind.Integer, by);
        }

        if (value.TryGetValue(out sbyte sb))
        {
            return new TreeScalar(ScalarKind.Integer, sb);
        }

        if (value.TryGetValue(out Int128 i128))
        {
            return FromBig(i128);
        }

        if (value.TryGetValue(out UInt128 u128))
        {
            return FromBig(u128);
        }

        if (value.TryGetValue(out float f))
        {
            return new TreeScalar(ScalarKind.Real, real: f);
        }

        if (value.TryGetValue(out Half h))
        {
            return new TreeScalar(ScalarKind.Real, real: (double)h);
        }

        if (value.TryGetValue(out decimal m))
        {
            return decimal.IsInteger(m) && m >= long.MinValue && m <= long.MaxValue
                ? new TreeScalar(ScalarKind.Integer, (long)m)
                : new TreeScalar(ScalarKind.Real, real: (double)m);
        }

        if (value.TryGetValue(out DateTime dt))
        {
            DateTimeOffset asOffset = dt.Kind == DateTimeKind.Local ? new DateTimeOffset(dt) : new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc));
            return new TreeScalar(ScalarKind.DateTimeOffset, date: asOffset);
        }

        if (value.TryGetValue(out DateOnly day))
        {
            return new TreeScalar(ScalarKind.DateOnly, reference: day);
        }

        if (value.TryGetValue(out TimeOnly time))
        {
            return new TreeScalar(ScalarKind.TimeOnly, reference: time);
        }

        if (value.TryGetValue(out ReadOnlyMemory<byte> memory))
        {
            return new TreeScalar(ScalarKind.Bytes, reference: memory.ToArray());
        }

        if (value.TryGetValue(out char c))
        {
            return new TreeScalar(ScalarKind.String, reference: c.ToString());
        }

        // Anything else (Guid, enums, custom types): go through its JSON form.
        using JsonDocument document = JsonDocument.Parse(value.ToJsonString());
        return FromElement(document.RootElement.Clone());
    }

    private static TreeScalar FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return new TreeScalar(ScalarKind.String, reference: element.GetString());
            case JsonValueKind.True:
                return new TreeScalar(ScalarKind.Boolean, 1);
            case JsonValueKind.False:
                return new TreeScalar(ScalarKind.Boolean, 0);
            case JsonValueKind.Null:
                return new TreeScalar(ScalarKind.Null);
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long l))
                {
                    return new TreeScalar(ScalarKind.Integer, l);
                }

                string raw = element.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && BigInteger.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger big))
                {
                    return FromBig(big);
                }

                return new TreeScalar(ScalarKind.Real, real: element.GetDouble());
            default:
                throw new InvalidOperationException($"a {element.ValueKind} JSON element is not a scalar");
        }
    }

    private static TreeScalar FromBig(BigInteger big) =>
        big >= long.MinValue && big <= long.MaxValue
            ? new TreeScalar(ScalarKind.Integer, (long)big)
            : new TreeScalar(ScalarKind.BigInteger, reference: big);
}
