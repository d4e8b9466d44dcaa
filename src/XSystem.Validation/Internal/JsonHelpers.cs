using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XSystem.Validation.Internal;

internal static class JsonHelpers
{
    public static JsonNode? ToNode(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(e.Clone()),
        JsonValueKind.Array => JsonArray.Create(e.Clone()),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => JsonValue.Create(e.Clone()),
    };

    /// <summary>Unwraps a <see cref="JsonValue"/>: to its element when it wraps one, otherwise to its CLR value.</summary>
    public static bool TryGetElement(object? value, out JsonElement element, out object? clr)
    {
        switch (value)
        {
            case JsonElement e:
                element = e;
                clr = null;
                return true;
            case JsonValue jv:
                if (jv.TryGetValue(out element))
                {
                    clr = null;
                    return true;
                }

                clr = jv.GetValue<object>();
                if (clr is JsonElement inner)
                {
                    element = inner;
                    return true;
                }

                return false;
            default:
                element = default;
                clr = value;
                return false;
        }
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    public static JsonNode? FromClr(object? value) => value switch
    {
        null => null,
        JsonNode n => n.DeepClone(),
        JsonElement e => ToNode(e),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        decimal m => JsonValue.Create(m),
        IFormattable f when value.GetType().IsPrimitive => JsonValue.Create(f.ToString(null, CultureInfo.InvariantCulture)),
#pragma warning disable IL2026, IL3050 // extras of arbitrary CLR inputs are serialized reflectively; the module is not AOT-compatible.
        _ => JsonSerializer.SerializeToNode(value, value.GetType()),
#pragma warning restore IL2026, IL3050
    };

    public static string CamelCase(string name)
    {
        if (name.Length == 0 || char.IsLower(name[0]))
        {
            return name;
        }

        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i > 0 && i + 1 < chars.Length && !char.IsUpper(chars[i + 1]))
            {
                break;
            }

            if (!char.IsUpper(chars[i]))
            {
                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }
}
