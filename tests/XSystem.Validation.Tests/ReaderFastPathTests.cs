using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Validation.Internal;

namespace XSystem.Validation.Tests;

/// <summary>
/// JSON text is validated first by a one-pass reader that gives up on anything but clean input, then (when it gave up)
/// through a JsonDocument. These tests hold the two routes to the same answer on thousands of mutated documents and
/// check that clean documents really take the reader.
/// </summary>
public sealed class ReaderFastPathTests
{
    private static readonly string[] ValuePool =
    [
        "1", "-5", "0", "151", "3.5", "1e2", "12345678901234567890", "\"30\"", "\"abc\"", "\"\"", "\"ab\"", "\"abcdef\"",
        "\"12345\"", "\"a b\"", "\"x@y.io\"", "true", "false", "null", "[]", "[1,2]", "[\"a\",\"b\"]", "[1,\"2\",null]",
        "{}", "{\"street\":\"Main\"}", "{\"street\":\"Main\",\"zip\":\"1234\"}", "{\"name\":\"n\"}", "\"1.5\"", "0.5", "-0.0",
        "\"\\u00e9t\\u00e9\"", "[[1]]", "{\"street\":\"S\",\"zip\":\"12345\",\"city\":null}", "\"yes\"", "2.0",
    ];

    private static readonly (Type Type, string Valid)[] Models =
    [
        (typeof(User), """{"name":"Ann","age":30,"email":"a@b.co","address":{"street":"Main","zip":"12345","city":"X"},"tags":["a","b"]}"""),
        (typeof(Constrained), """{"a":3,"b":0.5,"c":10,"s":"abc","p":"xaby","items":[1],"half":1.5}"""),
        (typeof(Node), """{"name":"root","children":[{"name":"a"},{"name":"b","children":[{"name":"c"}]}],"next":{"name":"n"}}"""),
        (typeof(Signup), """{"name":"bob","password":"pw","confirm":"pw"}"""),
        (typeof(Closed), """{"x":2}"""),
        (typeof(RequiredRules), """{"noInit":1,"str":"s","full_name":"F","strictInt":3}"""),
        (typeof(StrictModel), """{"n":1,"ok":true}"""),
        (typeof(Annotated), """{"r":2,"sl":"abc","re":"abc","email":"a@b.co","url":"https://x.io","req":"r","ml":["a"]}"""),
        (typeof(Collections), """{"ints":[1,2],"arr":[3],"map":{"a":1},"addresses":[{"street":"s"}],"maybe":["a",null],"set":["a","a"],"ro":[1.5]}"""),
        (typeof(Segment), """{"from":{"x":1,"y":2},"to":{"x":3,"y":4,"label":"q"},"weight":2.5}"""),
    ];

    [Fact]
    public void CleanDocuments_TakeTheReader_AndMatchTheDocumentRoute()
    {
        foreach (var (type, valid) in Models)
        {
            var plan = ModelPlan.For(type);
            var utf8 = Encoding.UTF8.GetBytes(valid);
            var expected = Outcome(plan.ValidateDocument(valid, strict: false, out var errors), errors);
            expected.ShouldStartWith("ok:", customMessage: $"{type.Name}: the seed document must be valid");
            if (plan.ReadsDirectly)
            {
                plan.TryValidateReader(utf8, strict: false, out var fast).ShouldBeTrue($"{type.Name} should take the reader");
                Outcome(fast, null).ShouldBe(expected, type.Name);
            }

            Outcome(plan.ValidateJson(valid, strict: false, out errors), errors).ShouldBe(expected, type.Name);
        }

        ModelPlan.For(typeof(User)).ReadsDirectly.ShouldBeTrue();
        ModelPlan.For(typeof(Node)).ReadsDirectly.ShouldBeTrue();
        ModelPlan.For(typeof(Collections)).ReadsDirectly.ShouldBeFalse("dictionaries are read through the document");
    }

    [Fact]
    public void MutatedDocuments_BothRoutes_GiveTheSameAnswer()
    {
        var rng = new Random(20261126);
        var checkedCount = 0;
        var fastAccepted = 0;
        foreach (var (type, valid) in Models)
        {
            var plan = ModelPlan.For(type);
            for (var i = 0; i < 600; i++)
            {
                var text = Mutate(valid, rng);
                foreach (var strict in new[] { false, true })
                {
                    var doc = Outcome(plan.ValidateDocument(text, strict, out var docErrors), docErrors);
                    var viaString = Outcome(plan.ValidateJson(text, strict, out var e1), e1);
                    var viaUtf8 = Outcome(plan.ValidateJson(Encoding.UTF8.GetBytes(text), strict, out var e2), e2);
                    viaString.ShouldBe(doc, $"{type.Name} strict={strict}: {text}");
                    viaUtf8.ShouldBe(Outcome(plan.ValidateDocument(Encoding.UTF8.GetBytes(text), strict, out var e3), e3), $"{type.Name} strict={strict} (UTF-8): {text}");
                    if (plan.TryValidateReader(Encoding.UTF8.GetBytes(text), strict, out var fast))
                    {
                        Outcome(fast, null).ShouldBe(doc, $"{type.Name} strict={strict}: the reader accepted what the document route answers differently: {text}");
                        fastAccepted++;
                    }

                    checkedCount++;
                }
            }
        }

        checkedCount.ShouldBe(Models.Length * 600 * 2);
        fastAccepted.ShouldBeGreaterThan(500, "enough mutated documents must still be clean to exercise the reader");
    }

    [Theory]
    [InlineData("""{"name":"Ann","age":30} x""")]
    [InlineData("""{"name":"Ann","age":30""")]
    [InlineData("""{"n\u0061me":"Ann","age":30}""")]
    [InlineData("""{"name":"Ann","name":"Bob"}""")]
    [InlineData("""{"name":"Ann","extra":{"deep":[1,2,{"x":null}]}}""")]
    [InlineData("""{"Name":"Ann","Age":"30"}""")]
    [InlineData("""{"name":"Ann","age":30.0}""")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    public void EdgeCases_BothRoutes_GiveTheSameAnswer(string text)
    {
        var plan = ModelPlan.For(typeof(User));
        var doc = Outcome(plan.ValidateDocument(text, strict: false, out var docErrors), docErrors);
        Outcome(plan.ValidateJson(text, strict: false, out var errors), errors).ShouldBe(doc);
    }

    [Fact]
    public void UnpairedSurrogate_IsReportedAsInvalidJson()
    {
        var text = "{\"name\":\"a\uD800b\"}";
        var plan = ModelPlan.For(typeof(User));
        var doc = Outcome(plan.ValidateDocument(text, strict: false, out var docErrors), docErrors);
        Outcome(plan.ValidateJson(text, strict: false, out var errors), errors).ShouldBe(doc);
        errors.ShouldNotBeNull().Single().Type.ShouldBe("json_invalid");
        errors.Single().Message.ShouldContain("unpaired surrogate");
        Should.Throw<ModelValidationException>(() => User.ModelValidateJson(text));
    }

    private static string Mutate(string valid, Random rng)
    {
        var root = JsonNode.Parse(valid)!.AsObject();
        var target = root;

        // Sometimes mutate inside a nested object or array element instead of the root.
        var nested = root.Select(p => p.Value).OfType<JsonObject>().ToList();
        if (nested.Count > 0 && rng.Next(3) == 0)
        {
            target = nested[rng.Next(nested.Count)];
        }

        var keys = target.Select(p => p.Key).ToList();
        var edits = 1 + rng.Next(2);
        for (var k = 0; k < edits; k++)
        {
            switch (rng.Next(6))
            {
                case 0 when keys.Count > 0:
                    target.Remove(keys[rng.Next(keys.Count)]);
                    break;
                case 1:
                    target["extra" + rng.Next(3)] = JsonNode.Parse(ValuePool[rng.Next(ValuePool.Length)]);
                    break;
                case 2 when keys.Count > 0:
                    // Keep the value but use another spelling of the name.
                    var key = keys[rng.Next(keys.Count)];
                    if (target.ContainsKey(key))
                    {
                        var v = target[key];
                        target.Remove(key);
                        target[char.ToUpperInvariant(key[0]) + key[1..]] = v;
                    }

                    break;
                default:
                    if (keys.Count > 0)
                    {
                        target[keys[rng.Next(keys.Count)]] = JsonNode.Parse(ValuePool[rng.Next(ValuePool.Length)]);
                    }

                    break;
            }
        }

        return root.ToJsonString();
    }

    private static string Outcome(object result, List<ModelError>? errors)
    {
        if (errors is { Count: > 0 })
        {
            return "errors:" + string.Join(" | ", errors.Select(e => e.ToString()));
        }

        return "ok:" + (result is XModel m ? m.ModelDumpJson() : JsonSerializer.Serialize(result, result.GetType()));
    }
}
