using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization.Yaml;

namespace XSystem.Serialization.Yaml.Tests;

public sealed class YamlFormatTests
{
    private static readonly YamlFormat Yaml = new();

    private static readonly SerializerOptions IgnoreTags = new()
    {
        FormatOptions = [new YamlOptions { UnknownTags = YamlUnknownTagHandling.Ignore }],
    };

    private static JsonNode? Parse(string text, SerializerOptions? options = null) =>
        Yaml.Parse(Encoding.UTF8.GetBytes(text), options ?? SerializerOptions.Default);

    private static string Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Yaml.Write(tree, buffer, options ?? SerializerOptions.Default);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("NULL")]
    [InlineData("")]
    public void Parse_CoreSchemaNull_GivesNull(string scalar) =>
        Parse("v: " + scalar)!["v"].ShouldBeNull();

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    public void Parse_CoreSchemaBool_GivesBool(string scalar, bool expected) =>
        Parse("v: " + scalar)!["v"]!.GetValue<bool>().ShouldBe(expected);

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-17", -17L)]
    [InlineData("+12", 12L)]
    [InlineData("0o17", 15L)]
    [InlineData("0x1F", 31L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Parse_CoreSchemaInt_GivesLong(string scalar, long expected) =>
        Parse("v: " + scalar)!["v"]!.GetValue<long>().ShouldBe(expected);

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-0.25", -0.25)]
    [InlineData("1e3", 1000.0)]
    [InlineData(".5", 0.5)]
    [InlineData(".inf", double.PositiveInfinity)]
    [InlineData("-.Inf", double.NegativeInfinity)]
    [InlineData("+.INF", double.PositiveInfinity)]
    public void Parse_CoreSchemaFloat_GivesDouble(string scalar, double expected) =>
        Parse("v: " + scalar)!["v"]!.GetValue<double>().ShouldBe(expected);

    [Fact]
    public void Parse_Nan_GivesNaN() =>
        double.IsNaN(Parse("v: .nan")!["v"]!.GetValue<double>()).ShouldBeTrue();

    [Theory]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("on")]
    [InlineData("off")]
    [InlineData("0b101")]
    [InlineData("1_000")]
    [InlineData("2001-12-14")]
    [InlineData("-0x1F")]
    [InlineData("0x")]
    [InlineData("1.2.3")]
    public void Parse_Yaml11OnlyScalars_StayStrings(string scalar) =>
        Parse("v: " + scalar)!["v"]!.GetValue<string>().ShouldBe(scalar);

    [Theory]
    [InlineData("'true'", "true")]
    [InlineData("\"123\"", "123")]
    [InlineData("'null'", "null")]
    [InlineData("\"\"", "")]
    [InlineData("! 12", "12")]
    [InlineData("!!str 12", "12")]
    public void Parse_QuotedOrStrTagged_StaysString(string scalar, string expected) =>
        Parse("v: " + scalar)!["v"]!.GetValue<string>().ShouldBe(expected);

    [Fact]
    public void Parse_IntegerBeyondLong_GivesBigInteger()
    {
        JsonNode value = Parse("v: 123456789012345678901234567890")!["v"]!;

        value.GetValue<BigInteger>().ShouldBe(BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture));
        value.ToJsonString().ShouldBe("123456789012345678901234567890");
    }

    [Fact]
    public void Parse_HexBeyondLong_GivesBigInteger() =>
        Parse("v: 0xFFFFFFFFFFFFFFFFFF")!["v"]!.GetValue<BigInteger>().ShouldBe((BigInteger.One << 72) - 1);

    [Theory]
    [InlineData("!!int '42'", 42L)]
    [InlineData("!!int \"0x10\"", 16L)]
    public void Parse_ExplicitIntTagOnQuoted_GivesLong(string scalar, long expected) =>
        Parse("v: " + scalar)!["v"]!.GetValue<long>().ShouldBe(expected);

    [Theory]
    [InlineData("!!int abc")]
    [InlineData("!!bool maybe")]
    [InlineData("!!float x")]
    [InlineData("!!null nothing")]
    [InlineData("!!timestamp yesterday")]
    [InlineData("!!binary '***'")]
    [InlineData("!!str {a: 1}")]
    public void Parse_StandardTagWithWrongContent_Throws(string scalar) =>
        Should.Throw<SerializationException>(() => Parse("v: " + scalar)).FormatName.ShouldBe("yaml");

    [Fact]
    public void Parse_Binary_GivesBytes()
    {
        JsonNode value = Parse("v: !!binary |\n  AAEC\n  /w==\n")!["v"]!;

        value.GetValue<byte[]>().ShouldBe(new byte[] { 0, 1, 2, 255 });
    }

    [Fact]
    public void Parse_TimestampWithZone_GivesDateTimeOffset() =>
        Parse("v: !!timestamp 2001-12-14t21:59:43.10-05:00")!["v"]!.GetValue<DateTimeOffset>()
            .ShouldBe(new DateTimeOffset(2001, 12, 14, 21, 59, 43, 100, TimeSpan.FromHours(-5)));

    [Fact]
    public void Parse_TimestampSpaceSeparatedWithoutZone_IsUtc() =>
        Parse("v: !!timestamp 2001-12-14 21:59:43.10")!["v"]!.GetValue<DateTimeOffset>()
            .ShouldBe(new DateTimeOffset(2001, 12, 14, 21, 59, 43, 100, TimeSpan.Zero));

    [Fact]
    public void Parse_TimestampDateOnly_GivesDateOnly() =>
        Parse("v: !!timestamp 2002-12-14")!["v"]!.GetValue<DateOnly>().ShouldBe(new DateOnly(2002, 12, 14));

    [Fact]
    public void RoundTrip_TypedValues_Preserved()
    {
        var tree = new JsonObject
        {
            ["bytes"] = JsonValue.Create(new byte[] { 1, 2, 3, 250 }, System.Text.Json.Serialization.Metadata.JsonMetadataServices.CreateValueInfo<byte[]>(
                new System.Text.Json.JsonSerializerOptions { TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine() },
                System.Text.Json.Serialization.Metadata.JsonMetadataServices.ByteArrayConverter)),
            ["when"] = JsonValue.Create(new DateTimeOffset(2024, 2, 29, 23, 59, 58, 123, TimeSpan.FromHours(5.5))),
            ["nan"] = JsonValue.Create(double.NaN),
            ["inf"] = JsonValue.Create(double.NegativeInfinity),
            ["whole"] = JsonValue.Create(2.0),
        };

        string text = Write(tree);
        JsonNode back = Parse(text)!;

        text.ShouldContain("!!binary AQID+g==");
        back["bytes"]!.GetValue<byte[]>().ShouldBe(new byte[] { 1, 2, 3, 250 });
        back["when"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(2024, 2, 29, 23, 59, 58, 123, TimeSpan.FromHours(5.5)));
        double.IsNaN(back["nan"]!.GetValue<double>()).ShouldBeTrue();
        back["inf"]!.GetValue<double>().ShouldBe(double.NegativeInfinity);
        back["whole"]!.GetValue<double>().ShouldBe(2.0);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("123")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData(".inf")]
    [InlineData(".NaN")]
    [InlineData("0x1F")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("a: b")]
    [InlineData("a #b")]
    [InlineData("#hash")]
    [InlineData("ends with colon:")]
    [InlineData("- dash")]
    [InlineData("---")]
    [InlineData("...")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("&anchor")]
    [InlineData("*alias")]
    [InlineData("!tag")]
    [InlineData("{flow}")]
    [InlineData("[flow]")]
    [InlineData("'single'")]
    [InlineData("\"double\"")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("nul\0char")]
    [InlineData("bell\u0007 and del\u007F and nel\u0085 and ls\u2028")]
    [InlineData("bom\uFEFF")]
    [InlineData("<<")]
    [InlineData("2001-12-14")]
    [InlineData("key: value: [not] {a} table")]
    [InlineData("plain words stay plain")]
    public void RoundTrip_TrickyString_ComesBackAsTheSameString(string text)
    {
        var tree = new JsonObject { ["v"] = text, [text] = "as key" };

        JsonNode back = Parse(Write(tree))!;

        back["v"]!.GetValue<string>().ShouldBe(text);
        back[text]!.GetValue<string>().ShouldBe("as key");
    }

    [Fact]
    public void Write_PlainString_IsNotQuoted() =>
        Write(new JsonObject { ["name"] = "plain words" }).ShouldBe("name: plain words\n");

    [Fact]
    public void Write_Nested_IsBlockStyle()
    {
        var tree = new JsonObject
        {
            ["server"] = new JsonObject { ["port"] = 8080, ["hosts"] = new JsonArray("a", "b") },
            ["items"] = new JsonArray(new JsonObject { ["id"] = 1, ["tags"] = new JsonArray() }, new JsonArray(1, 2)),
            ["empty"] = new JsonObject(),
        };

        string text = Write(tree);

        text.ShouldBe(
            "server:\n  port: 8080\n  hosts:\n    - a\n    - b\nitems:\n  - id: 1\n    tags: []\n  - - 1\n    - 2\nempty: {}\n");
        JsonNode.DeepEquals(Parse(text), tree).ShouldBeTrue();
    }

    [Fact]
    public void Write_IndentSize4_Respected()
    {
        var options = new SerializerOptions { FormatOptions = [new YamlOptions { IndentSize = 4 }] };

        string text = Write(new JsonObject { ["a"] = new JsonObject { ["b"] = 1 } }, options);

        text.ShouldBe("a:\n    b: 1\n");
    }

    [Fact]
    public void Write_LongKey_UsesExplicitKey()
    {
        string key = new('k', 2000);
        var tree = new JsonObject { [key] = 1 };

        string text = Write(tree);

        text.ShouldStartWith("? ");
        Parse(text)![key]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public void Write_LoneSurrogate_ThrowsWithPath()
    {
        var tree = new JsonObject { ["bad"] = "x\uD800y" };

        var ex = Should.Throw<SerializationException>(() => Write(tree));

        ex.Path.ShouldBe("$.bad");
    }

    [Fact]
    public void Parse_AnchorsAndAliases_Expanded()
    {
        JsonNode tree = Parse("base: &b {x: 1, y: [1, 2]}\ncopy: *b\nname: &n hello\nagain: *n\n")!;

        JsonNode.DeepEquals(tree["copy"], tree["base"]).ShouldBeTrue();
        tree["again"]!.GetValue<string>().ShouldBe("hello");
        ReferenceEquals(tree["copy"], tree["base"]).ShouldBeFalse();
    }

    [Fact]
    public void Parse_UndefinedAlias_Throws()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("a: *nowhere\n"));

        ex.Message.ShouldContain("nowhere");
        ex.Line.ShouldBe(1);
    }

    [Fact]
    public void Parse_BillionLaughs_ThrowsLimitExceptionQuickly()
    {
        var text = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++)
        {
            char previous = (char)(c - 1);
            text.Append(c).Append(": &").Append(c).Append(" [");
            text.Append(string.Join(",", Enumerable.Repeat("*" + previous, 9)));
            text.Append("]\n");
        }

        var stopwatch = Stopwatch.StartNew();
        var ex = Should.Throw<SerializationLimitException>(() => Parse(text.ToString()));
        stopwatch.Stop();

        ex.LimitName.ShouldBe("MaxAliasExpansion");
        ex.Message.ShouldContain("YamlOptions.MaxAliasExpansion");
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Parse_AliasExpansionWithinRaisedLimit_Works()
    {
        var options = new SerializerOptions { FormatOptions = [new YamlOptions { MaxAliasExpansion = 3 }] };

        Parse("a: &a [1]\nb: *a\n", options)!["b"]![0]!.GetValue<long>().ShouldBe(1);
        Should.Throw<SerializationLimitException>(() => Parse("a: &a [1]\nb: *a\nc: *a\n", options));
    }

    [Fact]
    public void Parse_AliasMakingTreeTooDeep_ThrowsLimitException()
    {
        var options = new SerializerOptions { MaxDepth = 4 };

        Should.Throw<SerializationLimitException>(() => Parse("a: &a [[[1]]]\nb: [[*a]]\n", options)).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_MergeKeys_MergedWithExplicitKeysWinning()
    {
        JsonNode tree = Parse("base: &b {x: 1, y: 2}\nmore: &m {z: 3}\nderived:\n  <<: [*b, *m]\n  y: 20\n")!;

        JsonNode.DeepEquals(tree["derived"], JsonNode.Parse("""{"x":1,"y":20,"z":3}""")).ShouldBeTrue(tree["derived"]!.ToJsonString());
    }

    [Fact]
    public void Parse_MergeKeysDisabled_KeepsLiteralKey()
    {
        var options = new SerializerOptions { FormatOptions = [new YamlOptions { MergeKeys = false }] };

        JsonNode tree = Parse("base: &b {x: 1}\nd:\n  <<: *b\n", options)!;

        tree["d"]!["<<"]!["x"]!.GetValue<long>().ShouldBe(1);
    }

    [Theory]
    [InlineData("!!python/object/apply:os.system ['rm -rf /']")]
    [InlineData("!!python/object:__main__.Evil {x: 1}")]
    [InlineData("!<tag:yaml.org,2002:java.lang.Runtime> x")]
    [InlineData("!MyType {a: 1}")]
    [InlineData("!System.Diagnostics.Process {}")]
    public void Parse_UnknownOrDangerousTag_RejectedByDefault(string value)
    {
        var ex = Should.Throw<SerializationException>(() => Parse("v: " + value));

        ex.Message.ShouldContain("not a standard YAML tag");
        ex.Message.ShouldContain("YamlOptions.UnknownTags");
    }

    [Fact]
    public void Parse_UnknownTagWithIgnore_KeepsPlainData()
    {
        JsonNode tree = Parse("cmd: !!python/object/apply:os.system ['echo hi']\nobj: !MyType {a: 1}\nn: !Local 12\n", IgnoreTags)!;

        tree["cmd"]![0]!.GetValue<string>().ShouldBe("echo hi");
        tree["obj"]!["a"]!.GetValue<long>().ShouldBe(1);
        tree["n"]!.GetValue<long>().ShouldBe(12);
    }

    [Fact]
    public void Parse_DuplicateKey_ThrowsNamingKeyAndLine()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("a: 1\nb: 2\na: 3\n"));

        ex.Message.ShouldContain("'a'");
        ex.Line.ShouldBe(3);
    }

    [Fact]
    public void Parse_ComplexKey_BecomesJsonText()
    {
        JsonNode tree = Parse("? [1, 2]\n: pair\n")!;

        tree["[1,2]"]!.GetValue<string>().ShouldBe("pair");
    }

    [Fact]
    public void Parse_ComplexKeyHoldingNaN_ThrowsSerializationException() =>
        Should.Throw<SerializationException>(() => Parse("? [.nan]\n: x\n")).Message.ShouldContain("key");

    [Fact]
    public void Parse_NonStringScalarKeys_KeepTheirText()
    {
        JsonNode tree = Parse("1: one\ntrue: yes\n~: nothing\n0x10: hex\n")!;

        tree["1"]!.GetValue<string>().ShouldBe("one");
        tree["true"]!.GetValue<string>().ShouldBe("yes");
        tree["~"]!.GetValue<string>().ShouldBe("nothing");
        tree["0x10"]!.GetValue<string>().ShouldBe("hex");
    }

    [Fact]
    public void ParseAll_MultiDocument_ReturnsEach()
    {
        IReadOnlyList<JsonNode?> docs = YamlFormat.ParseAll("a: 1\n---\n- x\n---\n...\n--- plain\n"u8);

        docs.Count.ShouldBe(4);
        docs[0]!["a"]!.GetValue<long>().ShouldBe(1);
        docs[1]![0]!.GetValue<string>().ShouldBe("x");
        docs[2].ShouldBeNull();
        docs[3]!.GetValue<string>().ShouldBe("plain");
    }

    [Fact]
    public void ParseAll_Empty_ReturnsNoDocuments() =>
        YamlFormat.ParseAll("# only a comment\n"u8).ShouldBeEmpty();

    [Fact]
    public void Parse_MultiDocument_ThrowsPointingToParseAll()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("a: 1\n---\nb: 2\n"));

        ex.Message.ShouldContain("ParseAll");
        ex.Line.ShouldBe(2);
    }

    [Fact]
    public void Parse_SingleDocumentWithMarkers_Works() =>
        Parse("%YAML 1.2\n---\na: 1\n...\n")!["a"]!.GetValue<long>().ShouldBe(1);

    [Fact]
    public void WriteAll_ThenParseAll_RoundTrips()
    {
        JsonNode?[] docs = [new JsonObject { ["a"] = 1 }, new JsonArray("x", "y"), null, JsonValue.Create("s")];
        var buffer = new ArrayBufferWriter<byte>();

        YamlFormat.WriteAll(docs, buffer);
        IReadOnlyList<JsonNode?> back = YamlFormat.ParseAll(buffer.WrittenSpan);

        back.Count.ShouldBe(4);
        for (int i = 0; i < docs.Length; i++)
        {
            JsonNode.DeepEquals(back[i], docs[i]).ShouldBeTrue($"document {i}");
        }
    }

    [Fact]
    public void Parse_Utf8Bom_Skipped()
    {
        byte[] data = [0xEF, 0xBB, 0xBF, .. "key: value\n"u8];

        Yaml.Parse(data, SerializerOptions.Default)!["key"]!.GetValue<string>().ShouldBe("value");
    }

    [Fact]
    public void Parse_Utf16WithBom_Decoded()
    {
        byte[] data = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("key: välue\n")];

        Yaml.Parse(data, SerializerOptions.Default)!["key"]!.GetValue<string>().ShouldBe("välue");
    }

    [Fact]
    public void Parse_InvalidUtf8_ThrowsWithPosition()
    {
        byte[] data = [.. "a: 1\nb: "u8, 0xC3, 0x28, .. "\n"u8];

        var ex = Should.Throw<SerializationException>(() => Yaml.Parse(data, SerializerOptions.Default));

        ex.Line.ShouldBe(2);
    }

    [Fact]
    public void Parse_Malformed_ReportsLineAndColumnAndExcerpt()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("ok: 1\nlist: [1, 2\nnext: 3\n"));

        ex.FormatName.ShouldBe("yaml");
        ex.Line.ShouldNotBeNull();
        ex.Line!.Value.ShouldBeGreaterThanOrEqualTo(2);
        ex.Column.ShouldNotBeNull();
        ex.Excerpt.ShouldNotBeNullOrEmpty();
        ex.InnerException.ShouldNotBeNull();
    }

    [Fact]
    public void Parse_BadIndentation_ReportsLine()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("a:\n  b: 1\n c: 2\n"));

        ex.Line.ShouldBe(3);
    }

    [Fact]
    public void Parse_DeepBlockNesting_ThrowsLimitException()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 100; i++)
        {
            text.Append(' ', i).Append("k:\n");
        }

        Should.Throw<SerializationLimitException>(() => Parse(text.ToString())).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_TenThousandNestedFlowSequences_ThrowsLimitException()
    {
        string text = new string('[', 10_000) + new string(']', 10_000);

        Should.Throw<SerializationLimitException>(() => Parse(text)).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_Comments_Ignored() =>
        Parse("# header\na: 1 # trailing\n# footer\n")!["a"]!.GetValue<long>().ShouldBe(1);

    [Fact]
    public void Parse_EmptyDocument_GivesNull() => Parse("").ShouldBeNull();

    [Theory]
    [InlineData("%YAML 1.2\n---\na: 1\n", 0.9)]
    [InlineData("name: demo\nitems:\n  - a\n  - b\n", 0.8)]
    [InlineData("- one\n- two\n", 0.8)]
    public void Probe_Yaml_ScoresHigh(string sample, double atLeast) =>
        Yaml.Probe(Encoding.UTF8.GetBytes(sample)).ShouldBeGreaterThanOrEqualTo(atLeast);

    [Theory]
    [InlineData("")]
    [InlineData("{\"a\": 1}")]
    [InlineData("<root/>")]
    [InlineData("[section]\nkey = value\n")]
    [InlineData("a,b,c\n1,2,3\n")]
    [InlineData("key = \"value\"\n")]
    public void Probe_NotYaml_ScoresLow(string sample) =>
        Yaml.Probe(Encoding.UTF8.GetBytes(sample)).ShouldBeLessThan(0.3);

    [Fact]
    public void Formats_FromNameAndExtension_FindYaml()
    {
        Formats.FromName("yml").ShouldBeOfType<YamlFormat>();
        Formats.FromExtension(".yml").ShouldBeOfType<YamlFormat>();
        Formats.FromMediaType("text/yaml").ShouldBeOfType<YamlFormat>();
        Formats.Yaml.Capabilities.HasFlag(FormatCapabilities.MultiDocument).ShouldBeTrue();
    }
}
