using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Form;

public sealed class FormUrlEncodedFormatTests
{
    private static readonly FormUrlEncodedFormat Format = new();
    private static readonly SerializerOptions Brackets = new() { FormatOptions = [new FormOptions { BracketNesting = true }] };

    private static JsonNode? Parse(string text, SerializerOptions? options = null) =>
        Format.Parse(Encoding.UTF8.GetBytes(text), options ?? SerializerOptions.Default);

    private static string Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, options ?? SerializerOptions.Default);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("a=b&a=c", """{"a":["b","c"]}""")]
    [InlineData("a=1&b=2&a=3", """{"a":["1","3"],"b":"2"}""")]
    [InlineData("%41=%42", """{"A":"B"}""")]
    [InlineData("a+b=c+d", """{"a b":"c d"}""")]
    [InlineData("a=%2B", """{"a":"+"}""")]
    [InlineData("a=%zz&b=%4&c=%", """{"a":"%zz","b":"%4","c":"%"}""")]
    [InlineData("&&a=1&&", """{"a":"1"}""")]
    [InlineData("=x", """{"":"x"}""")]
    [InlineData("a", """{"a":""}""")]
    [InlineData("a=b=c", """{"a":"b=c"}""")]
    [InlineData("k=%E2%82%AC%F0%9F%8E%89", """{"k":"€🎉"}""")]
    [InlineData("k=%FF", """{"k":"\uFFFD"}""")]
    [InlineData("k=caf\u00e9", """{"k":"café"}""")]
    [InlineData("a[b]=1", """{"a[b]":"1"}""")]
    [InlineData("a=1\n", """{"a":"1"}""")]
    public void Parse_WhatwgExamples_Decoded(string input, string expected) =>
        JsonNode.DeepEquals(Parse(input), JsonNode.Parse(expected)).ShouldBeTrue(Parse(input)!.ToJsonString());

    [Fact]
    public void Parse_Empty_GivesEmptyObject() => Parse(string.Empty).ShouldBeOfType<JsonObject>().Count.ShouldBe(0);

    [Theory]
    [InlineData("a[b]=1", """{"a":{"b":"1"}}""")]
    [InlineData("a[]=1&a[]=2", """{"a":["1","2"]}""")]
    [InlineData("a[]=1", """{"a":["1"]}""")]
    [InlineData("a[b][]=c&a[b][]=d&a[e]=f", """{"a":{"b":["c","d"],"e":"f"}}""")]
    [InlineData("a[0]=x&a[1]=y", """{"a":{"0":"x","1":"y"}}""")]
    [InlineData("a%5Bb%5D=1", """{"a":{"b":"1"}}""")]
    [InlineData("a=1&a[]=2", """{"a":["1","2"]}""")]
    [InlineData("a[b=1&c]=2&[x]=3&a[b]c=4", """{"a[b":"1","c]":"2","[x]":"3","a[b]c":"4"}""")]
    public void Parse_BracketNesting_Nests(string input, string expected) =>
        JsonNode.DeepEquals(Parse(input, Brackets), JsonNode.Parse(expected)).ShouldBeTrue(Parse(input, Brackets)!.ToJsonString());

    [Theory]
    [InlineData("a=1&a[b]=2")]
    [InlineData("a[b]=2&a=1")]
    [InlineData("a[]=1&a[b]=2")]
    public void Parse_ConflictingShapes_ThrowsNamingKey(string input)
    {
        var ex = Should.Throw<SerializationException>(() => Parse(input, Brackets));
        ex.Message.ShouldContain("'a");
        ex.FormatName.ShouldBe("form");
    }

    [Fact]
    public void Parse_EmptyBracketsInsideName_Throws() =>
        Should.Throw<SerializationException>(() => Parse("a[][b]=1", Brackets)).Message.ShouldContain("a[][b]");

    [Fact]
    public void Parse_NestingDeeperThanMaxDepth_ThrowsLimit()
    {
        var options = new SerializerOptions { MaxDepth = 3, FormatOptions = [new FormOptions { BracketNesting = true }] };
        Parse("a[b]=1", options).ShouldNotBeNull();
        Should.Throw<SerializationLimitException>(() => Parse("a[b][c][d]=1", options)).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_MorePairsThanMaxPairs_ThrowsLimit()
    {
        var options = new SerializerOptions { FormatOptions = [new FormOptions { MaxPairs = 3 }] };
        Parse("a=1&b=2&c=3", options).ShouldNotBeNull();
        Should.Throw<SerializationLimitException>(() => Parse("a=1&b=2&c=3&d=4", options)).LimitName.ShouldBe("MaxPairs");
    }

    [Fact]
    public void Write_Escaping_FollowsWhatwgSet() =>
        Write(new JsonObject { ["a b"] = "x*-._~!'()&=+%/€" }).ShouldBe("a+b=x*-._%7E%21%27%28%29%26%3D%2B%25%2F%E2%82%AC");

    [Fact]
    public void Write_ScalarsAndArrays_RepeatedNamesInvariantText() =>
        Write(new JsonObject { ["n"] = 1.5, ["t"] = true, ["l"] = new JsonArray("x", 2) }).ShouldBe("n=1.5&t=true&l=x&l=2");

    [Fact]
    public void Write_NestedWithBrackets_RoundTrips()
    {
        var tree = new JsonObject { ["user"] = new JsonObject { ["name"] = "Ada", ["tags"] = new JsonArray("a") }, ["x"] = "1" };
        string text = Write(tree, Brackets);
        text.ShouldBe("user%5Bname%5D=Ada&user%5Btags%5D%5B%5D=a&x=1");
        JsonNode.DeepEquals(Parse(text, Brackets), tree).ShouldBeTrue();
    }

    [Fact]
    public void Write_NestedWithoutBrackets_FlatBracketNames() =>
        Parse(Write(new JsonObject { ["a"] = new JsonObject { ["b"] = "1" } }))!["a[b]"]!.GetValue<string>().ShouldBe("1");

    [Theory]
    [InlineData("""{"a":null}""", "$.a")]
    [InlineData("""{"a":[]}""", "$.a")]
    [InlineData("""{"a":[{"b":1}]}""", "$.a[0]")]
    [InlineData("""{"a":[[1]]}""", "$.a[0]")]
    [InlineData("""{"a":{}}""", "$.a")]
    public void Write_Unrepresentable_ThrowsNamingPath(string json, string path)
    {
        var ex = Should.Throw<SerializationException>(() => Write(JsonNode.Parse(json)));
        ex.Path.ShouldBe(path);
    }

    [Fact]
    public void Write_NonObjectRoot_Throws()
    {
        Should.Throw<SerializationException>(() => Write(new JsonArray(1)));
        Should.Throw<SerializationException>(() => Write(null));
    }

    [Fact]
    public void Write_BracketInNameWithBrackets_Throws() =>
        Should.Throw<SerializationException>(() => Write(new JsonObject { ["a[b]"] = "1" }, Brackets)).Path.ShouldBe("$['a[b]']");

    [Fact]
    public void Registry_NamesAndAliases_Resolve()
    {
        Formats.FromName("urlencoded").ShouldBeOfType<FormUrlEncodedFormat>();
        Formats.FromName("x-www-form-urlencoded").ShouldBeOfType<FormUrlEncodedFormat>();
        Formats.FormUrlEncoded.Name.ShouldBe("form");
        Formats.FromMediaType("application/x-www-form-urlencoded; charset=utf-8").ShouldBeOfType<FormUrlEncodedFormat>();
    }

    [Theory]
    [InlineData("name=demo&size=1", 0.5)]
    [InlineData("q=hello+world&lang=en&page=%32", 0.5)]
    public void Probe_Pairs_ScoresHighAndDetected(string text, double above)
    {
        Format.Probe(Encoding.UTF8.GetBytes(text)).ShouldBeGreaterThan(above);
        Formats.Detect(Encoding.UTF8.GetBytes(text))!.Value.Format.Name.ShouldBe("form");
    }

    [Theory]
    [InlineData("key=value")]
    [InlineData("a = b\nc = d")]
    [InlineData("{\"a\":1}")]
    [InlineData("a: b")]
    [InlineData("")]
    [InlineData("a=1&b=<script>")]
    public void Probe_NotForm_ScoresBelowThreshold(string text) =>
        Format.Probe(Encoding.UTF8.GetBytes(text)).ShouldBeLessThan(Formats.MinimumConfidence);

    [Fact]
    public void Parse_10000SeededMutations_OnlySerializationExceptions()
    {
        var random = new Random(4242);
        byte[] valid = Encoding.UTF8.GetBytes("a[b]=1&a[c][]=%E2%82%AC&d=x+y&e[f][g]=%41&a[c][]=2");
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 10_000; i++)
        {
            byte[] mutated = Mutate(random, valid);
            try
            {
                Format.Parse(mutated, Brackets);
            }
            catch (SerializationException)
            {
                // A clean rejection; anything else fails the test.
            }
        }

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    internal static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = new List<byte>(valid);
        int edits = 1 + random.Next(6);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, "[]=&%-\r\n\""u8[random.Next(9)]); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }

        return [.. bytes];
    }
}
