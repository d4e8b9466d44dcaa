using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>Turns the scalar values of the tree into text, for the formats whose scalars are strings (XML, INI) and for JSON5.</summary>
internal static class TreeScalars
{
    /// <summary>
    /// The text of a scalar: strings as they are, booleans as <c>true</c>/<c>false</c>, numbers in their JSON form
    /// (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> for the non-finite doubles), dates and binary in their JSON string form
    /// (ISO 8601, Base64).
    /// </summary>
    public static string ToText(JsonValue value)
    {
        if (value.TryGetValue(out string? text))
        {
            return text;
        }

        if (value.TryGetValue(out JsonElement element))
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => element.GetRawText(),
            };
        }

        if (value.TryGetValue(out bool flag))
        {
            return flag ? "true" : "false";
        }

        if (value.TryGetValue(out double number))
        {
            return NonFinite(number) ?? value.ToJsonString();
        }

        if (value.TryGetValue(out float single))
        {
            return NonFinite(single) ?? value.ToJsonString();
        }

        if (value.TryGetValue(out BigInteger big))
        {
            return big.ToString(CultureInfo.InvariantCulture);
        }

        string json = value.ToJsonString();
        return value.GetValueKind() == JsonValueKind.String ? DecodeJsonString(json) : json;
    }

    /// <summary><c>NaN</c>, <c>Infinity</c> or <c>-Infinity</c> for a non-finite number; null for a finite one.</summary>
    public static string? NonFinite(double number) =>
        double.IsNaN(number) ? "NaN"
        : double.IsPositiveInfinity(number) ? "Infinity"
        : double.IsNegativeInfinity(number) ? "-Infinity"
        : null;

    /// <summary>Decodes one JSON string literal (with its quotes).</summary>
    public static string DecodeJsonString(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return reader.GetString() ?? string.Empty;
    }
}
