using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Json5;

public sealed class Json5FormatTests
{
    private static readonly Json5Format Format = new();

    private static JsonNode? Parse(string text, SerializerOptions? options = null) =>
        Format.Parse(Encoding.UTF8.GetBytes(text), options ?? SerializerOptions.Default);

    private static string Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, options ?? SerializerOptions.Default);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Parse_SpecExample_ReadsEveryFeature()
    {
        const string text = """
            // comments
            {
              unquoted: 'and you can quote me on that',
              singleQuotes: 'I can use "double quotes" here',
              lineBreaks: "Look, Mom! \
            No \\n's!",
              hexadecimal: 0xdecaf,
              leadingDecimalPoint: .8675309, andTrailing: 8675309.,
              positiveSign: +1,
              trailingComma: 'in objects', andIn: ['arrays',],
              "backwardsCompatible": "with JSON",
            }
            """;

        JsonNode tree = Parse(text)!;

        tree["unquoted"]!.GetValue<string>().ShouldBe("and you can quote me on that");
        tree["singleQuotes"]!.GetValue<string>().ShouldBe("I can use \"double quotes\" here");
        tree["lineBreaks"]!.GetValue<string>().ShouldBe("Look, Mom! No \\n's!");
        tree["hexadecimal"]!.GetValue<long>().ShouldBe(0xdecaf);
        tree["leadingDecimalPoint"]!.GetValue<double>().ShouldBe(0.8675309);
        tree["andTrailing"]!.GetValue<double>().ShouldBe(8675309.0);
        tree["positiveSign"]!.GetValue<long>().ShouldBe(1);
        tree["andIn"]!.AsArray().Count.ShouldBe(1);
        tree["backwardsCompatible"]!.GetValue<string>().ShouldBe("with JSON");
    }

    [Fact]
    public void Parse_LineAndBlockComments_AreSkipped()
    {
        JsonNode tree = Parse("/* head */ { a: 1, // one\n /* inline */ b: 2 } // tail")!;
        tree.ToJsonString().ShouldBe("""{"a":1,"b":2}""");
    }

    [Fact]
    public void Parse_UnclosedBlockComment_Throws()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("{a: 1} /* open"));
        ex.Message.ShouldContain("*/");
    }

    [Theory]
    [InlineData("[1,2,]", 2)]
    [InlineData("[1,2,\n// c\n]", 2)]
    [InlineData("[]", 0)]
    public void Parse_TrailingCommaInArray_Accepted(string text, int count) => Parse(text)!.AsArray().Count.ShouldBe(count);

    [Fact]
    public void Parse_DoubleTrailingComma_Throws() => Should.Throw<SerializationException>(() => Parse("[1,,]"));

    [Fact]
    public void Parse_LeadingComma_Throws() => Should.Throw<SerializationException>(() => Parse("{,a:1}"));

    [Theory]
    [InlineData("{$dollar: 1}", "$dollar")]
    [InlineData("{_under_score: 1}", "_under_score")]
    [InlineData("{ünïcödé: 1}", "ünïcödé")]
    [InlineData("{ключ: 1}", "ключ")]
    [InlineData("{\\u0061bc: 1}", "abc")]
    [InlineData("{a\\u0062c: 1}", "abc")]
    [InlineData("{while: 1}", "while")]
    [InlineData("{a1: 1}", "a1")]
    public void Parse_UnquotedIdentifierKeys_Accepted(string text, string key) =>
        Parse(text)!.AsObject().ContainsKey(key).ShouldBeTrue();

    [Theory]
    [InlineData("{1a: 1}")]
    [InlineData("{a-b: 1}")]
    [InlineData("{\\u0031: 1}")]
    [InlineData("{a b: 1}")]
    public void Parse_InvalidUnquotedKeys_Throw(string text) => Should.Throw<SerializationException>(() => Parse(text));

    [Theory]
    [InlineData("0x1F", 31L)]
    [InlineData("0XfF", 255L)]
    [InlineData("-0x10", -16L)]
    [InlineData("+0x10", 16L)]
    [InlineData("0x7FFFFFFFFFFFFFFF", long.MaxValue)]
    public void Parse_HexNumbers_BecomeLongs(string text, long expected) => Parse(text)!.GetValue<long>().ShouldBe(expected);

    [Fact]
    public void Parse_HexBeyondLong_KeepsExactDigits() =>
        Parse("0x10000000000000000")!.ToJsonString().ShouldBe("18446744073709551616");

    [Theory]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("+.5", 0.5)]
    [InlineData("-5.e1", -50.0)]
    [InlineData("+1.5E+2", 150.0)]
    public void Parse_DecimalPointForms_BecomeDoubles(string text, double expected) => Parse(text)!.GetValue<double>().ShouldBe(expected);

    [Fact]
    public void Parse_InfinityAndNaN_BecomeDoubles()
    {
        JsonArray array = Parse("[Infinity, -Infinity, +Infinity, NaN, -NaN]")!.AsArray();
        array[0]!.GetValue<double>().ShouldBe(double.PositiveInfinity);
        array[1]!.GetValue<double>().ShouldBe(double.NegativeInfinity);
        array[2]!.GetValue<double>().ShouldBe(double.PositiveInfinity);
        double.IsNaN(array[3]!.GetValue<double>()).ShouldBeTrue();
        double.IsNaN(array[4]!.GetValue<double>()).ShouldBeTrue();
    }

    [Theory]
    [InlineData("01")]
    [InlineData("1e")]
    [InlineData("0x")]
    [InlineData(".")]
    [InlineData("+")]
    [InlineData("Infinit")]
    [InlineData("1.2.3")]
    [InlineData("12abc")]
    public void Parse_MalformedNumbers_Throw(string text) => Should.Throw<SerializationException>(() => Parse(text));

    [Fact]
    public void Parse_IntegerBeyondLong_KeepsExactDigits()
    {
        JsonNode value = Parse("123456789012345678901234567890")!;
        value.ToJsonString().ShouldBe("123456789012345678901234567890");
        value.GetValue<double>().ShouldBe(1.2345678901234568E+29);
    }

    [Fact]
    public void Parse_NumberBeyondDouble_KeepsExactText() => Parse("1e400")!.ToJsonString().ShouldBe("1e400");

    [Theory]
    [InlineData(@"'\x41\u0042\0'", "AB\0")]
    [InlineData(@"'\b\f\n\r\t\v'", "\b\f\n\r\t\v")]
    [InlineData(@"'\'\""\\\/'", "'\"\\/")]
    [InlineData(@"'\a\c\d'", "acd")]
    [InlineData("'\\\r\nx'", "x")]
    [InlineData("'a\\\u2028b'", "ab")]
    [InlineData("\"\\uD83D\\uDE00\"", "😀")]
    [InlineData("'tab\there'", "tab\there")]
    [InlineData("'sep\u2028arator'", "sep\u2028arator")]
    public void Parse_Escapes_Decoded(string text, string expected) => Parse(text)!.GetValue<string>().ShouldBe(expected);

    [Theory]
    [InlineData(@"'\1'")]
    [InlineData(@"'\01'")]
    [InlineData(@"'\x4'")]
    [InlineData(@"'\u12'")]
    [InlineData("'line\nbreak'")]
    [InlineData("'unterminated")]
    public void Parse_BadStrings_Throw(string text) => Should.Throw<SerializationException>(() => Parse(text));

    [Fact]
    public void Parse_ExtraWhiteSpaceCharacters_Accepted()
    {
        string text = "\u00A0\uFEFF{\u2028a\u2029:\u00A01\u3000,\v\f}\u2003";
        Parse(text)!["a"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public void Parse_DuplicateKeys_LastWins()
    {
        JsonObject obj = Parse("{a: 1, b: 2, a: 3}")!.AsObject();
        obj["a"]!.GetValue<long>().ShouldBe(3);
        obj.Count.ShouldBe(2);
    }

    [Fact]
    public void Parse_Error_ReportsLineColumnAndExcerpt()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("{\n  a: 1,\n  b: @\n}"));
        ex.FormatName.ShouldBe("json5");
        ex.Line.ShouldBe(3);
        ex.Column.ShouldBe(6);
        ex.Excerpt!.ShouldContain("b: @");
    }

    [Fact]
    public void Parse_TenThousandBrackets_ThrowsLimitException()
    {
        string deep = new string('[', 10_000) + new string(']', 10_000);
        var ex = Should.Throw<SerializationLimitException>(() => Parse(deep));
        ex.LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_DepthExactlyAtLimit_Accepted()
    {
        var options = new SerializerOptions { MaxDepth = 3 };
        Parse("[[[1]]]", options)!.AsArray().Count.ShouldBe(1);
        Should.Throw<SerializationLimitException>(() => Parse("[[[[1]]]]", options));
    }

    [Fact]
    public void Parse_Bom_Skipped() =>
        Format.Parse([0xEF, 0xBB, 0xBF, .. "{a:1}"u8], SerializerOptions.Default)!["a"]!.GetValue<long>().ShouldBe(1);

    [Fact]
    public void Parse_InvalidUtf8_Throws() =>
        Should.Throw<SerializationException>(() => Format.Parse([(byte)'"', 0xFF, (byte)'"'], SerializerOptions.Default)).Message.ShouldContain("UTF-8");

    [Theory]
    [InlineData("")]
    [InlineData("   // only a comment")]
    [InlineData("{a: 1} extra")]
    [InlineData("{a 1}")]
    [InlineData("[1 2]")]
    [InlineData("undefined")]
    public void Parse_StructuralErrors_Throw(string text) => Should.Throw<SerializationException>(() => Parse(text));

    public static TheoryData<string> JsonTestSuiteAccepted()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.EnumerateFiles(TestPaths.Conformance("json", "test_parsing"), "y_*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(JsonTestSuiteAccepted))]
    public void Parse_JsonTestSuiteAcceptedCase_ParsesLikeJson(string file)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(TestPaths.Conformance("json", "test_parsing"), file));

        JsonNode? json5 = Format.Parse(bytes, SerializerOptions.Default);

        if (file.Contains("duplicated_key", StringComparison.Ordinal))
        {
            // System.Text.Json's JsonNode refuses repeated keys, so there is nothing to compare with; JSON5 keeps the last.
            json5.ShouldBeOfType<JsonObject>().Count.ShouldBe(1);
            return;
        }

        JsonNode? json = JsonNode.Parse(bytes);
        JsonNode.DeepEquals(json5, json).ShouldBeTrue($"{file}: JSON5 gave {json5?.ToJsonString()}, JSON gave {json?.ToJsonString()}");
    }

    [Fact]
    public void Write_IdentifierKeys_Unquoted_OthersQuoted()
    {
        string text = Write(new JsonObject { ["name"] = 1, ["with space"] = 2, ["1st"] = 3, ["ключ"] = 4 }, new SerializerOptions { Indent = false });
        text.ShouldBe("{name:1,\"with space\":2,\"1st\":3,ключ:4}");
    }

    [Fact]
    public void Write_NonFiniteDoubles_AsLiterals_AndRoundTrip()
    {
        var tree = new JsonArray(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.0, 2.5);
        string text = Write(tree, new SerializerOptions { Indent = false });
        text.ShouldBe("[NaN,Infinity,-Infinity,1.0,2.5]");
        JsonArray back = Parse(text)!.AsArray();
        double.IsNaN(back[0]!.GetValue<double>()).ShouldBeTrue();
        back[3]!.GetValue<double>().ShouldBe(1.0);
    }

    [Fact]
    public void Write_Options_SingleQuotesQuoteKeysTrailingCommas()
    {
        var options = new SerializerOptions
        {
            FormatOptions = [new Json5Options { SingleQuotes = true, QuoteKeys = true, TrailingCommas = true, IndentSize = 4 }],
        };
        string text = Write(new JsonObject { ["a"] = "it's" }, options);
        text.ShouldBe("{\n    'a': 'it\\'s',\n}\n");
        Parse(text)!["a"]!.GetValue<string>().ShouldBe("it's");
    }

    [Fact]
    public void Write_ControlCharactersAndSeparators_Escaped()
    {
        string text = Write(JsonValue.Create("a\u0001b\u2028c\"d"), new SerializerOptions { Indent = false });
        text.ShouldBe("\"a\\u0001b\\u2028c\\\"d\"");
        Parse(text)!.GetValue<string>().ShouldBe("a\u0001b\u2028c\"d");
    }

    [Fact]
    public void Write_LoneSurrogate_EscapedAndRoundTrips()
    {
        string text = Write(JsonValue.Create("x\uD800y"));
        text.ShouldContain("\\ud800");
        Parse(text)!.GetValue<string>().ShouldBe("x\uD800y");
    }

    [Fact]
    public void Write_TypedValues_BecomeStringsAndNumbers()
    {
        var tree = new JsonObject
        {
            ["when"] = JsonValue.Create(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            ["big"] = JsonValue.Create(System.Numerics.BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture)),
        };
        JsonNode back = Parse(Write(tree))!;
        back["when"]!.GetValue<string>().ShouldBe("2024-01-02T03:04:05+00:00");
        back["big"]!.ToJsonString().ShouldBe("123456789012345678901234567890");
    }

    [Fact]
    public void Write_PlainJsonRoundTrip_KeepsExactNumbers()
    {
        JsonNode original = JsonNode.Parse("""{"n": 12345678901234567890123, "d": 0.1, "s": "x"}""")!;
        JsonNode.DeepEquals(Parse(Write(original)), original).ShouldBeTrue();
    }

    [Fact]
    public void Probe_Json5Features_ScoreHigh_PlainJsonLower()
    {
        Format.Probe("{\n  // comment\n  name: 'x',\n}"u8).ShouldBeGreaterThan(0.8);
        Format.Probe("[1, 2, 0x10,]"u8).ShouldBeGreaterThan(0.8);
        Format.Probe("""{"name": "x", "n": [1, 2]}"""u8).ShouldBeInRange(0.1, 0.5);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[section]\nkey = value")]
    [InlineData("<root/>")]
    [InlineData("name: value\nother: 2")]
    [InlineData("key = \"value\"")]
    public void Probe_OtherFormats_ScoreZero(string text) => Format.Probe(Encoding.UTF8.GetBytes(text)).ShouldBe(0);

    [Fact]
    public void Formats_FromNameAndExtension_FindJson5()
    {
        Formats.FromName("json5").ShouldBeOfType<Json5Format>();
        Formats.FromExtension("settings.json5").ShouldBeOfType<Json5Format>();
        Formats.FromMediaType("application/json5").ShouldBeOfType<Json5Format>();
    }
}
