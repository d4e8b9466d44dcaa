using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace XSystem.Serialization.Toml.Tests;

/// <summary>Converts trees to toml-test's tagged JSON and compares tagged documents by value.</summary>
internal static partial class TomlTestJson
{
    /// <summary>The tagged form of a parsed tree: scalars become {"type": ..., "value": ...}.</summary>
    public static JsonNode ToTagged(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)ToTagged(p.Value)))),
        JsonArray array => new JsonArray(array.Select(item => (JsonNode?)ToTagged(item)).ToArray()),
        JsonValue value => Tag(value),
        _ => throw new InvalidOperationException("TOML trees hold no nulls"),
    };

    private static JsonObject Tag(JsonValue value)
    {
        (string type, string text) = value switch
        {
            _ when value.TryGetValue(out string? s) => ("string", s),
            _ when value.TryGetValue(out bool b) => ("bool", b ? "true" : "false"),
            _ when value.TryGetValue(out long l) => ("integer", l.ToString(CultureInfo.InvariantCulture)),
            _ when value.TryGetValue(out double d) => ("float", FloatText(d)),
            _ when value.TryGetValue(out DateTimeOffset dto) => ("datetime", dto.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)),
            _ when value.TryGetValue(out DateTime dt) => ("datetime-local", dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + KindSuffix(dt)),
            _ when value.TryGetValue(out DateOnly date) => ("date-local", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            _ when value.TryGetValue(out TimeOnly time) => ("time-local", time.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture)),
            _ => throw new InvalidOperationException($"unexpected value type in {value.GetPath()}"),
        };
        return new JsonObject { ["type"] = type, ["value"] = text };
    }

    private static string KindSuffix(DateTime dt) => dt.Kind == DateTimeKind.Unspecified ? string.Empty : "(" + dt.Kind + ")";

    private static string FloatText(double d) =>
        double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Compares an actual tagged document with toml-test's expected one; returns the first difference or null.</summary>
    public static string? Difference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        if (expected is JsonObject e && IsLeaf(e))
        {
            if (actual is not JsonObject a || !IsLeaf(a))
            {
                return $"{path}: expected a {e["type"]} value, got {actual?.ToJsonString() ?? "nothing"}";
            }

            string type = (string)e["type"]!;
            string expectedText = (string)e["value"]!;
            string actualText = (string)a["value"]!;
            if (type != (string)a["type"]!)
            {
                return $"{path}: expected type {type}, got {a["type"]} ({actualText})";
            }

            return SameValue(type, expectedText, actualText) ? null : $"{path}: expected {type} {expectedText}, got {actualText}";
        }

        switch (expected)
        {
            case JsonObject eo:
                if (actual is not JsonObject ao || IsLeaf(ao))
                {
                    return $"{path}: expected a table, got {actual?.ToJsonString() ?? "nothing"}";
                }

                foreach (var (key, value) in eo)
                {
                    if (!ao.TryGetPropertyValue(key, out JsonNode? got))
                    {
                        return $"{path}: missing key '{key}'";
                    }

                    string? diff = Difference(value, got, $"{path}.{key}");
                    if (diff is not null)
                    {
                        return diff;
                    }
                }

                string? extra = ao.Select(p => p.Key).FirstOrDefault(k => !eo.ContainsKey(k));
                return extra is null ? null : $"{path}: unexpected key '{extra}'";
            case JsonArray ea:
                if (actual is not JsonArray aa)
                {
                    return $"{path}: expected an array, got {actual?.ToJsonString() ?? "nothing"}";
                }

                if (ea.Count != aa.Count)
                {
                    return $"{path}: expected {ea.Count} items, got {aa.Count}";
                }

                for (int i = 0; i < ea.Count; i++)
                {
                    string? diff = Difference(ea[i], aa[i], $"{path}[{i}]");
                    if (diff is not null)
                    {
                        return diff;
                    }
                }

                return null;
            default:
                return $"{path}: unexpected expected-node {expected?.ToJsonString()}";
        }
    }

    private static bool IsLeaf(JsonObject obj) =>
        obj.Count == 2 && obj["type"] is JsonValue t && t.TryGetValue(out string? _) && obj["value"] is JsonValue v && v.TryGetValue(out string? _);

    private static bool SameValue(string type, string expected, string actual)
    {
        switch (type)
        {
            case "string":
            case "bool":
                return expected == actual;
            case "integer":
                return long.Parse(expected, CultureInfo.InvariantCulture) == long.Parse(actual, CultureInfo.InvariantCulture);
            case "float":
                double x = ParseFloat(expected);
                double y = ParseFloat(actual);
                return (double.IsNaN(x) && double.IsNaN(y)) || x.Equals(y);
            case "datetime":
                var dx = DateTimeOffset.Parse(Truncate(expected), CultureInfo.InvariantCulture);
                var dy = DateTimeOffset.Parse(Truncate(actual), CultureInfo.InvariantCulture);
                return dx.EqualsExact(dy);
            case "datetime-local":
                return DateTime.Parse(Truncate(expected), CultureInfo.InvariantCulture) == DateTime.Parse(actual, CultureInfo.InvariantCulture);
            case "date-local":
                return DateOnly.Parse(expected, CultureInfo.InvariantCulture) == DateOnly.Parse(actual, CultureInfo.InvariantCulture);
            case "time-local":
                return TimeOnly.Parse(Truncate(expected), CultureInfo.InvariantCulture) == TimeOnly.Parse(actual, CultureInfo.InvariantCulture);
            default:
                return false;
        }
    }

    private static double ParseFloat(string text) => text switch
    {
        "nan" or "+nan" or "-nan" => double.NaN,
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>.NET keeps 100 ns; toml-test may give nanoseconds, which TOML allows an implementation to truncate.</summary>
    private static string Truncate(string text) => ExtraFraction().Replace(text, "$1");

    [GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial Regex ExtraFraction();
}
