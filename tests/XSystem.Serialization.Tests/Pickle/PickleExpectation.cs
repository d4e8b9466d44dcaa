using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Pickle;

/// <summary>
/// Compares a tree with the tagged JSON the fixture generator writes (see Fixtures/pickle/generate.py): plain JSON for
/// str/bool/None/64-bit ints, dicts and lists, one-member "$tag" objects for the values JSON cannot hold.
/// </summary>
internal static class PickleExpectation
{
    public static string FixtureDirectory { get; } =
        Path.Combine(TestPaths.RepositoryRoot, "tests", "XSystem.Serialization.Tests", "Fixtures", "pickle");

    public static string Fixture(string name) => Path.Combine(FixtureDirectory, name);

    public static void AssertMatches(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected)
        {
            case null:
                actual.ShouldBeNull($"at {path}");
                return;
            case JsonObject tagged when tagged.Count == 1 && tagged.First().Key.StartsWith('$'):
                AssertTag(tagged.First().Key, tagged.First().Value!, actual, path);
                return;
            case JsonObject obj:
                var actualObject = actual.ShouldBeOfType<JsonObject>($"at {path}");
                actualObject.Select(p => p.Key).ToArray().ShouldBe(obj.Select(p => p.Key).ToArray(), $"keys at {path}");
                foreach (var property in obj)
                {
                    AssertMatches(property.Value, actualObject[property.Key], path + "." + property.Key);
                }

                return;
            case JsonArray array:
                var actualArray = actual.ShouldBeOfType<JsonArray>($"at {path}");
                actualArray.Count.ShouldBe(array.Count, $"length at {path}");
                for (int i = 0; i < array.Count; i++)
                {
                    AssertMatches(array[i], actualArray[i], $"{path}[{i}]");
                }

                return;
        }

        var value = (JsonValue)expected;
        actual.ShouldNotBeNull($"at {path}");
        var actualValue = actual.ShouldBeAssignableTo<JsonValue>($"at {path}")!;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                actualValue.TryGetValue(out string? text).ShouldBeTrue($"a string at {path}, got {Describe(actualValue)}");
                text.ShouldBe(value.GetValue<string>(), $"at {path}");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                actualValue.TryGetValue(out bool flag).ShouldBeTrue($"a bool at {path}, got {Describe(actualValue)}");
                flag.ShouldBe(value.GetValue<bool>(), $"at {path}");
                break;
            case JsonValueKind.Number:
                actualValue.TryGetValue(out long integer).ShouldBeTrue($"a long at {path}, got {Describe(actualValue)}");
                integer.ShouldBe(value.GetValue<long>(), $"at {path}");
                break;
            default:
                throw new InvalidOperationException($"unexpected expectation at {path}");
        }
    }

    private static void AssertTag(string tag, JsonNode argument, JsonNode? actual, string path)
    {
        actual.ShouldNotBeNull($"{tag} at {path}");
        var value = actual.ShouldBeAssignableTo<JsonValue>($"at {path}")!;
        string where = $"{tag} at {path}, got {Describe(value)}";
        switch (tag)
        {
            case "$int":
                value.TryGetValue(out BigInteger big).ShouldBeTrue(where);
                big.ShouldBe(BigInteger.Parse(argument.GetValue<string>(), CultureInfo.InvariantCulture), where);
                break;
            case "$float":
                value.TryGetValue(out double real).ShouldBeTrue(where);
                double expected = argument.GetValue<string>() switch
                {
                    "nan" => double.NaN,
                    "inf" => double.PositiveInfinity,
                    "-inf" => double.NegativeInfinity,
                    string text => double.Parse(text, CultureInfo.InvariantCulture),
                };
                if (double.IsNaN(expected))
                {
                    double.IsNaN(real).ShouldBeTrue(where);
                }
                else
                {
                    // Bitwise, so -0.0 and 0.0 differ.
                    BitConverter.DoubleToInt64Bits(real).ShouldBe(BitConverter.DoubleToInt64Bits(expected), where);
                }

                break;
            case "$bytes":
                value.TryGetValue(out byte[]? bytes).ShouldBeTrue(where);
                bytes.ShouldBe(Convert.FromBase64String(argument.GetValue<string>()), where);
                break;
            case "$datetime":
                value.TryGetValue(out DateTime dateTime).ShouldBeTrue(where);
                dateTime.Kind.ShouldBe(DateTimeKind.Unspecified, where);
                dateTime.ShouldBe(DateTime.Parse(argument.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None), where);
                break;
            case "$datetimeoffset":
                value.TryGetValue(out DateTimeOffset offset).ShouldBeTrue(where);
                var expectedOffset = DateTimeOffset.Parse(argument.GetValue<string>(), CultureInfo.InvariantCulture);
                offset.ShouldBe(expectedOffset, where);
                offset.Offset.ShouldBe(expectedOffset.Offset, where);
                break;
            case "$date":
                value.TryGetValue(out DateOnly date).ShouldBeTrue(where);
                date.ShouldBe(DateOnly.Parse(argument.GetValue<string>(), CultureInfo.InvariantCulture), where);
                break;
            case "$time":
                value.TryGetValue(out TimeOnly time).ShouldBeTrue(where);
                time.ShouldBe(TimeOnly.Parse(argument.GetValue<string>(), CultureInfo.InvariantCulture), where);
                break;
            case "$timedelta":
                value.TryGetValue(out TimeSpan span).ShouldBeTrue(where);
                var parts = argument.AsArray().Select(n => n!.GetValue<long>()).ToArray();
                span.ShouldBe(TimeSpan.FromDays(parts[0]) + TimeSpan.FromSeconds(parts[1]) + TimeSpan.FromTicks(parts[2] * 10), where);
                break;
            case "$decimal":
                value.TryGetValue(out decimal number).ShouldBeTrue(where);
                number.ToString(CultureInfo.InvariantCulture).ShouldBe(argument.GetValue<string>(), where);
                break;
            default:
                throw new InvalidOperationException($"unknown tag {tag} at {path}");
        }
    }

    private static string Describe(JsonValue value) =>
        value.TryGetValue(out JsonElement element) ? $"JsonElement {element.ValueKind}"
        : value.TryGetValue(out object? boxed) ? $"{boxed.GetType().Name} {boxed}"
        : value.GetValueKind().ToString();
}
