using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Plist;

/// <summary>
/// Spells out a tree's value types as plain JSON (the mapping of Fixtures/plist/generate.py), so tests can compare types,
/// not just values: integers stay numbers (BigInteger beyond 64 bits as {"$bigint"}), doubles become {"$real"}, byte arrays
/// {"$data"}, dates {"$date"} in UTC with microseconds when present.
/// </summary>
internal static class TypedTree
{
    public static JsonNode? Describe(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Describe(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Describe).ToArray()),
        JsonValue value => DescribeValue(value),
        _ => throw new InvalidOperationException(),
    };

    private static JsonNode DescribeValue(JsonValue value)
    {
        if (value.TryGetValue(out string? text))
        {
            return JsonValue.Create(text);
        }

        if (value.TryGetValue(out long l))
        {
            return JsonValue.Create(l);
        }

        if (value.TryGetValue(out int i))
        {
            return JsonValue.Create((long)i);
        }

        if (value.TryGetValue(out bool b))
        {
            return JsonValue.Create(b);
        }

        if (value.TryGetValue(out double d))
        {
            JsonNode real = double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : JsonValue.Create(d);
            return new JsonObject { ["$real"] = real };
        }

        if (value.TryGetValue(out BigInteger big))
        {
            return big >= long.MinValue && big <= long.MaxValue
                ? JsonValue.Create((long)big)
                : new JsonObject { ["$bigint"] = big.ToString(CultureInfo.InvariantCulture) };
        }

        if (value.TryGetValue(out byte[]? bytes))
        {
            return new JsonObject { ["$data"] = Convert.ToBase64String(bytes) };
        }

        if (value.TryGetValue(out DateTimeOffset date))
        {
            DateTime utc = date.UtcDateTime;
            string textDate = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            int micros = (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10);
            if (micros != 0)
            {
                textDate += "." + micros.ToString("D6", CultureInfo.InvariantCulture);
            }

            return new JsonObject { ["$date"] = textDate + "Z" };
        }

        if (value.TryGetValue(out DateOnly day))
        {
            return new JsonObject { ["$day"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        }

        throw new InvalidOperationException($"unexpected value type in {value.ToJsonString()}");
    }

    /// <summary>Asserts that two described trees are equal, showing both on failure.</summary>
    public static void ShouldMatch(JsonNode? actualTree, JsonNode? expectedDescription, string because)
    {
        JsonNode? actual = Describe(actualTree);
        JsonNode.DeepEquals(actual, expectedDescription).ShouldBeTrue(
            $"{because}\nExpected: {expectedDescription?.ToJsonString()}\nActual:   {actual?.ToJsonString()}");
    }
}
