using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace XSystem.Validation.Tests;

/// <summary>
/// Strict validation must accept exactly the instances that JsonSchema.Net accepts against <c>ModelJsonSchema()</c>.
/// Instances are generated from the schema itself (seeded), then mutated.
/// </summary>
public sealed class SchemaAgreementTests
{
    private static readonly Dictionary<string, string[]> PatternSamples = new()
    {
        [@"^\d{5}$"] = ["12345", "00000", "98765"],
        [@"^[^@]+@[^@]+\.[^@]+$"] = ["a@b.co", "x.y@z.org"],
        ["ab"] = ["ab", "xxaby", "abab"],
        ["^(?:[a-z]+)$"] = ["abc", "z"],
    };

    private static readonly EvaluationOptions Options = new() { RequireFormatValidation = true };

    public static TheoryData<string> Models() => ["User", "Address", "Scalars", "Constrained", "Annotated", "Closed", "Open", "StrictModel", "Collections", "Point", "Segment", "Node", "RequiredRules", "AnyModel"];

    [Theory]
    [MemberData(nameof(Models))]
    public void StrictValidate_RandomInstances_AgreesWithJsonSchemaNet(string model)
    {
        // Arrange
        var schemaNode = JsonNode.Parse(Schema(model).ToJsonString())!.AsObject();
        var schema = JsonSchema.FromText(schemaNode.ToJsonString(), baseUri: new Uri($"https://xsystem.test/agreement/{model}"));
        var rng = new Random(model.Aggregate(1234, (h, ch) => (h * 31) + ch));
        var generator = new InstanceGenerator(schemaNode, rng);
        var disagreements = new List<string>();
        int valid = 0, invalid = 0;

        // Act
        for (var i = 0; i < 400; i++)
        {
            var instance = JsonNode.Parse(generator.Generate().ToJsonString())!;
            if (i % 2 == 1)
            {
                generator.Mutate(instance);
            }

            var text = instance.ToJsonString();
            using var doc = JsonDocument.Parse(text);
            var schemaSays = schema.Evaluate(doc.RootElement, Options).IsValid;
            var weSay = Accepts(model, text);
            if (weSay)
            {
                valid++;
            }
            else
            {
                invalid++;
            }

            if (schemaSays != weSay)
            {
                disagreements.Add($"{text} schema={schemaSays} validator={weSay}");
            }
        }

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine($"{model}: accepted {valid}, rejected {invalid}, disagreements {disagreements.Count}");
        disagreements.ShouldBeEmpty(string.Join("\n", disagreements.Take(5)));
        valid.ShouldBeGreaterThan(100);
        invalid.ShouldBeGreaterThan(model is "AnyModel" or "Open" ? 10 : 60);
    }

    private static JsonObject Schema(string model) => model switch
    {
        "User" => User.ModelJsonSchema(),
        "Address" => Address.ModelJsonSchema(),
        "Scalars" => Scalars.ModelJsonSchema(),
        "Constrained" => Constrained.ModelJsonSchema(),
        "Annotated" => Annotated.ModelJsonSchema(),
        "Closed" => Closed.ModelJsonSchema(),
        "Open" => Open.ModelJsonSchema(),
        "StrictModel" => StrictModel.ModelJsonSchema(),
        "Collections" => Collections.ModelJsonSchema(),
        "Point" => ModelValidator.JsonSchema<Point>(),
        "Segment" => ModelValidator.JsonSchema<Segment>(),
        "Node" => Node.ModelJsonSchema(),
        "RequiredRules" => RequiredRules.ModelJsonSchema(),
        "AnyModel" => AnyModel.ModelJsonSchema(),
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    private static bool Accepts(string model, string json) => model switch
    {
        "User" => User.TryModelValidate(json, out _, out _, strict: true),
        "Address" => Address.TryModelValidate(json, out _, out _, strict: true),
        "Scalars" => Scalars.TryModelValidate(json, out _, out _, strict: true),
        "Constrained" => Constrained.TryModelValidate(json, out _, out _, strict: true),
        "Annotated" => Annotated.TryModelValidate(json, out _, out _, strict: true),
        "Closed" => Closed.TryModelValidate(json, out _, out _, strict: true),
        "Open" => Open.TryModelValidate(json, out _, out _, strict: true),
        "StrictModel" => StrictModel.TryModelValidate(json, out _, out _, strict: true),
        "Collections" => Collections.TryModelValidate(json, out _, out _, strict: true),
        "Point" => ModelValidator.TryValidate<Point>(json, out _, out _, strict: true),
        "Segment" => ModelValidator.TryValidate<Segment>(json, out _, out _, strict: true),
        "Node" => Node.TryModelValidate(json, out _, out _, strict: true),
        "RequiredRules" => RequiredRules.TryModelValidate(json, out _, out _, strict: true),
        "AnyModel" => AnyModel.TryModelValidate(json, out _, out _, strict: true),
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    private sealed class InstanceGenerator(JsonObject root, Random rng)
    {
        private int _depth;

        public JsonNode Generate()
        {
            _depth = 0;
            return Value(root)!;
        }

        private JsonObject Resolve(JsonObject s)
        {
            while (s["$ref"] is JsonValue r)
            {
                var path = r.GetValue<string>();
                s = path == "#" ? root : root["$defs"]![path["#/$defs/".Length..]]!.AsObject();
            }

            return s;
        }

        private JsonNode? Value(JsonObject s)
        {
            s = Resolve(s);
            if (s["anyOf"] is JsonArray any)
            {
                var pick = any[rng.Next(_depth > 3 ? 1 : 0, any.Count)]!.AsObject();
                return Value(pick);
            }

            string? type = null;
            if (s["type"] is JsonArray types)
            {
                if (rng.Next(4) == 0)
                {
                    return null;
                }

                type = types[0]!.GetValue<string>();
            }
            else if (s["type"] is JsonValue tv)
            {
                type = tv.GetValue<string>();
            }

            if (s["enum"] is JsonArray en)
            {
                var options = en.Where(e => e is not null).ToList();
                return options[rng.Next(options.Count)]!.DeepClone();
            }

            switch (type)
            {
                case null:
                    return rng.Next(3) switch { 0 => JsonValue.Create(rng.Next(100)), 1 => new JsonObject { ["k"] = "v" }, _ => new JsonArray(1, "a") };
                case "object" when s["properties"] is JsonObject props:
                    _depth++;
                    var obj = new JsonObject();
                    var required = (s["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
                    foreach (var p in props)
                    {
                        var ps = Resolve(p.Value!.AsObject());
                        if (ps["format"]?.GetValue<string>() == "time")
                        {
                            continue; // RFC 3339 full-time needs an offset; TimeOnly has none (documented).
                        }

                        if (required.Contains(p.Key) || rng.Next(10) < 6)
                        {
                            obj[p.Key] = Value(p.Value!.AsObject());
                        }
                    }

                    _depth--;
                    return obj;
                case "object":
                    var dict = new JsonObject();
                    var n = rng.Next(3);
                    for (var i = 0; i < n; i++)
                    {
                        dict["k" + i] = s["additionalProperties"] is JsonObject ap ? Value(ap) : JsonValue.Create(i);
                    }

                    return dict;
                case "array":
                    _depth++;
                    var min = s["minItems"]?.GetValue<int>() ?? 0;
                    var max = s["maxItems"]?.GetValue<int>() ?? (_depth > 2 ? 1 : 3);
                    var arr = new JsonArray();
                    var count = rng.Next(min, max + 1);
                    for (var i = 0; i < count; i++)
                    {
                        arr.Add(s["items"] is JsonObject it ? Value(it) : JsonValue.Create(i));
                    }

                    _depth--;
                    return arr;
                case "boolean":
                    return rng.Next(2) == 0;
                case "null":
                    return null;
                case "integer":
                    return JsonValue.Create(Integer(s));
                case "number":
                    return JsonValue.Create(Number(s));
                case "string":
                    return JsonValue.Create(Text(s));
                default:
                    throw new InvalidOperationException(type);
            }
        }

        private long Integer(JsonObject s)
        {
            var lo = (long)(s["minimum"]?.GetValue<double>() ?? (s["exclusiveMinimum"]?.GetValue<double>() + 1) ?? -1000);
            var hi = (long)(s["maximum"]?.GetValue<double>() ?? (s["exclusiveMaximum"]?.GetValue<double>() - 1) ?? 1000);
            var m = (long)(s["multipleOf"]?.GetValue<double>() ?? 1);
            var v = rng.NextInt64(lo, hi + 1);
            v -= v % m;
            return v < lo ? v + m : v;
        }

        private double Number(JsonObject s)
        {
            if (s["multipleOf"] is JsonValue mv)
            {
                var m = mv.GetValue<double>();
                var lo = s["minimum"]?.GetValue<double>() ?? -100;
                return Math.Ceiling(lo / m) * m + (rng.Next(20) * m);
            }

            var min = s["minimum"]?.GetValue<double>() ?? s["exclusiveMinimum"]?.GetValue<double>() ?? -1000;
            var max = s["maximum"]?.GetValue<double>() ?? s["exclusiveMaximum"]?.GetValue<double>() ?? 1000;
            var v = Math.Round(min + ((max - min) * rng.NextDouble()), 3);
            return v <= min || v >= max ? (min + max) / 2 : v;
        }

        private string Text(JsonObject s)
        {
            if (s["pattern"] is JsonValue pv)
            {
                var samples = PatternSamples[pv.GetValue<string>()];
                return samples[rng.Next(samples.Length)];
            }

            switch (s["format"]?.GetValue<string>())
            {
                case "date-time":
                    return new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(rng.Next()).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                case "date":
                    return new DateOnly(2000, 1, 1).AddDays(rng.Next(10000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                case "duration":
                    return $"PT{rng.Next(1, 24)}H{rng.Next(1, 59)}M";
                case "uuid":
                    return new Guid(rng.Next(), (short)rng.Next(), (short)rng.Next(), [1, 2, 3, 4, 5, 6, 7, (byte)rng.Next(256)]).ToString();
                case "uri":
                    return "https://example.com/p" + rng.Next(100);
                case "email":
                    return "user" + rng.Next(100) + "@example.com";
            }

            var min = s["minLength"]?.GetValue<int>() ?? 0;
            var max = s["maxLength"]?.GetValue<int>() ?? 8;
            var len = rng.Next(min, max + 1);
            return new string(Enumerable.Range(0, len).Select(_ => (char)('a' + rng.Next(26))).ToArray());
        }

        public void Mutate(JsonNode instance)
        {
            var spots = new List<(JsonNode Parent, string? Key, int Index)>();
            Collect(instance, spots);
            if (spots.Count == 0 || rng.Next(6) == 0)
            {
                if (instance is JsonObject o)
                {
                    if (rng.Next(2) == 0)
                    {
                        o["zz_extra"] = 1;
                    }
                    else if (o.Count > 0)
                    {
                        o.Remove(o.ElementAt(rng.Next(o.Count)).Key);
                    }
                }

                return;
            }

            var (parent, key, index) = spots[rng.Next(spots.Count)];
            var current = key is not null ? parent[key] : parent[index];
            JsonNode? replacement = rng.Next(8) switch
            {
                0 => "x",
                1 => 1.5,
                2 => true,
                3 => null,
                4 => new JsonArray(),
                5 => new JsonObject(),
                6 => current is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (JsonNode)(v.GetValue<double>() > 0 ? -100000 : 100000) : "",
                _ => current is JsonValue sv && sv.GetValueKind() == JsonValueKind.String ? (JsonNode)new string('q', 40) : 7,
            };
            if (key is not null)
            {
                if (rng.Next(5) == 0)
                {
                    parent.AsObject().Remove(key);
                }
                else
                {
                    parent[key] = replacement;
                }
            }
            else
            {
                parent[index] = replacement;
            }
        }

        private static void Collect(JsonNode? node, List<(JsonNode, string?, int)> spots)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var kv in o)
                    {
                        spots.Add((o, kv.Key, 0));
                        Collect(kv.Value, spots);
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        spots.Add((a, null, i));
                        Collect(a[i], spots);
                    }

                    break;
            }
        }
    }
}
