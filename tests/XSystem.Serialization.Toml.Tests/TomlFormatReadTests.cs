using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Toml.Tests;

public sealed class TomlFormatReadTests
{
    private static readonly SerializerOptions Toml11 = new() { FormatOptions = [new TomlOptions { Version = TomlVersion.Toml11 }] };

    [Fact]
    public void Parse_OffsetDateTime_IsDateTimeOffset()
    {
        JsonObject doc = TomlText.Parse("d = 1979-05-27T07:32:00.5-08:00\nz = 1979-05-27 07:32:00z");

        doc["d"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(1979, 5, 27, 7, 32, 0, 500, TimeSpan.FromHours(-8)));
        doc["d"]!.GetValue<DateTimeOffset>().Offset.ShouldBe(TimeSpan.FromHours(-8));
        doc["z"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(1979, 5, 27, 7, 32, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Parse_LocalDateTime_IsDateTimeWithUnspecifiedKind()
    {
        JsonObject doc = TomlText.Parse("d = 1979-05-27T07:32:00");

        DateTime value = doc["d"]!.GetValue<DateTime>();
        value.ShouldBe(new DateTime(1979, 5, 27, 7, 32, 0));
        value.Kind.ShouldBe(DateTimeKind.Unspecified);
    }

    [Fact]
    public void Parse_LocalDateAndTime_AreDateOnlyAndTimeOnly()
    {
        JsonObject doc = TomlText.Parse("day = 1979-05-27 # comment\ntime = 07:32:00.999999");

        doc["day"]!.GetValue<DateOnly>().ShouldBe(new DateOnly(1979, 5, 27));
        doc["time"]!.GetValue<TimeOnly>().ShouldBe(new TimeOnly(7, 32, 0).Add(TimeSpan.FromTicks(9_999_990)));
    }

    [Fact]
    public void Parse_FractionBeyond100Nanoseconds_IsTruncated()
    {
        JsonObject doc = TomlText.Parse("t = 00:00:00.123456789");

        doc["t"]!.GetValue<TimeOnly>().Ticks.ShouldBe(1_234_567);
    }

    [Theory]
    [InlineData("2021-02-29", "no such day")]
    [InlineData("2021-13-01", "no such day")]
    [InlineData("24:00:00", "hours go to 23")]
    [InlineData("2021-01-01T00:00:60Z", "leap seconds")]
    [InlineData("2021-01-01T00:00:00+15:00", "14:00")]
    [InlineData("0000-01-01", "0000")]
    public void Parse_InvalidOrUnrepresentableDate_Throws(string value, string reason)
    {
        var ex = Should.Throw<SerializationException>(() => TomlText.Parse("d = " + value));

        ex.Message.ShouldContain(reason);
    }

    [Fact]
    public void Parse_Integers_AreLongInEveryBase()
    {
        JsonObject doc = TomlText.Parse("a = 0xDEAD_beef\nb = 0o755\nc = 0b1101\nd = +99\ne = -17\nf = 1_000\ng = -9223372036854775808");

        doc["a"]!.GetValue<long>().ShouldBe(0xDEADBEEF);
        doc["b"]!.GetValue<long>().ShouldBe(493);
        doc["c"]!.GetValue<long>().ShouldBe(13);
        doc["d"]!.GetValue<long>().ShouldBe(99);
        doc["e"]!.GetValue<long>().ShouldBe(-17);
        doc["f"]!.GetValue<long>().ShouldBe(1000);
        doc["g"]!.GetValue<long>().ShouldBe(long.MinValue);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("0x8000000000000000")]
    public void Parse_IntegerBeyond64Bits_Throws(string value)
    {
        var ex = Should.Throw<SerializationException>(() => TomlText.Parse("i = " + value));

        ex.Message.ShouldContain("64-bit");
    }

    [Fact]
    public void Parse_Floats_AreDoubleIncludingInfAndNan()
    {
        JsonObject doc = TomlText.Parse("a = 6.626e-34\nb = -0.0\nc = inf\nd = -inf\ne = nan\nf = 1_000.5");

        doc["a"]!.GetValue<double>().ShouldBe(6.626e-34);
        double.IsNegative(doc["b"]!.GetValue<double>()).ShouldBeTrue();
        doc["c"]!.GetValue<double>().ShouldBe(double.PositiveInfinity);
        doc["d"]!.GetValue<double>().ShouldBe(double.NegativeInfinity);
        double.IsNaN(doc["e"]!.GetValue<double>()).ShouldBeTrue();
        doc["f"]!.GetValue<double>().ShouldBe(1000.5);
    }

    [Fact]
    public void Parse_ArraysOfTablesAndInlineTables_BecomeObjectsAndArrays()
    {
        const string text = """
            point = { x = 1, y.z = 2 }

            [[fruit]]
            name = "apple"
            [fruit.physical]
            color = "red"

            [[fruit]]
            name = "banana"
            """;

        JsonObject doc = TomlText.Parse(text);

        doc["point"]!.ToJsonString().ShouldBe("""{"x":1,"y":{"z":2}}""");
        var fruit = doc["fruit"].ShouldBeOfType<JsonArray>();
        fruit.Count.ShouldBe(2);
        fruit[0]!["physical"]!["color"]!.GetValue<string>().ShouldBe("red");
        fruit[1]!["name"]!.GetValue<string>().ShouldBe("banana");
    }

    [Fact]
    public void Parse_KeyOrder_IsPreserved()
    {
        JsonObject doc = TomlText.Parse("zeta = 1\nalpha = 2\nmid = 3");

        doc.Select(p => p.Key).ShouldBe(["zeta", "alpha", "mid"]);
    }

    [Fact]
    public void Parse_Strings_DecodeEscapesAndMultiLineRules()
    {
        JsonObject doc = TomlText.Parse("a = \"tab\\tquote\\\" \\u00E9 \\U0001F600\"\nb = '''\nraw \\n'''\nc = \"\"\"\none \\\n   two\"\"\"");

        doc["a"]!.GetValue<string>().ShouldBe("tab\tquote\" é 😀");
        doc["b"]!.GetValue<string>().ShouldBe("raw \\n");
        doc["c"]!.GetValue<string>().ShouldBe("one two");
    }

    [Fact]
    public void Parse_SyntaxError_ReportsLineColumnAndExcerpt()
    {
        var ex = Should.Throw<SerializationException>(() => TomlText.Parse("a = 1\nb = \n"));

        ex.FormatName.ShouldBe("toml");
        ex.Line.ShouldBe(2);
        ex.Column.ShouldBe(5);
        ex.Excerpt.ShouldNotBeNullOrEmpty();
        ex.Message.ShouldContain("expected a value");
    }

    [Fact]
    public void Parse_DuplicateKey_ThrowsWithLineAndPath()
    {
        var ex = Should.Throw<SerializationException>(() => TomlText.Parse("[server]\nport = 1\nport = 2\n"));

        ex.Line.ShouldBe(3);
        ex.Path.ShouldBe("$.server.port");
        ex.Message.ShouldBe("TOML: key 'port' is defined more than once (line 3, column 1) at $.server.port. Near: [server]\\nport = 1\\nport = 2\\n");
    }

    [Theory]
    [InlineData("[a]\n[a]")]
    [InlineData("[a]\nb.c = 1\n[a.b]")]
    [InlineData("a = {}\n[a.b]")]
    [InlineData("a = []\n[[a]]")]
    [InlineData("[[a]]\n[a]")]
    [InlineData("[a.b.c]\n[a]\nb.c.d = 1")]
    [InlineData("a = { b = 1 }\na.c = 2")]
    public void Parse_TableRedefinitionOrImmutableExtension_Throws(string text) =>
        Should.Throw<SerializationException>(() => TomlText.Parse(text)).FormatName.ShouldBe("toml");

    [Fact]
    public void Parse_SubTableOfDottedTable_IsAllowed()
    {
        JsonObject doc = TomlText.Parse("[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true");

        doc["fruit"]!["apple"]!["texture"]!["smooth"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void Parse_ByteOrderMark_IsSkipped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("a = 1\n")];

        JsonNode? doc = TomlText.Format.Parse(bytes, SerializerOptions.Default);

        doc!["a"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public void Parse_InvalidUtf8_ThrowsWithPosition()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("a = 1\nb = \""), 0xC3, 0x28, (byte)'"'];

        var ex = Should.Throw<SerializationException>(() => TomlText.Format.Parse(bytes, SerializerOptions.Default));

        ex.Message.ShouldContain("UTF-8");
        ex.Line.ShouldBe(2);
    }

    [Fact]
    public void Parse_EmptyDocument_IsEmptyObject() =>
        TomlText.Parse(string.Empty).Count.ShouldBe(0);

    [Fact]
    public void Parse_HeaderDeeperThanMaxDepth_ThrowsLimitException()
    {
        var options = new SerializerOptions { MaxDepth = 3 };

        var ex = Should.Throw<SerializationLimitException>(() => TomlText.Parse("[a.b.c.d]\nx = 1", options));

        ex.LimitName.ShouldBe("MaxDepth");
        ex.Line.ShouldBe(1);
    }

    [Fact]
    public void Parse_HugeNestingWithHighestMaxDepth_ThrowsLimitExceptionWithoutCrashing()
    {
        var options = new SerializerOptions { MaxDepth = 10_000 };
        string text = "a = " + new string('[', 200_000) + new string(']', 200_000);

        Should.Throw<SerializationLimitException>(() => TomlText.Parse(text, options)).LimitName.ShouldBe("MaxDepth");
    }

    [Theory]
    [InlineData("t = { a = 1,\n b = 2 }")]
    [InlineData("t = { a = 1, }")]
    [InlineData("s = \"\\e\"")]
    [InlineData("s = \"\\x41\"")]
    [InlineData("t = 07:32")]
    public void Parse_Toml11Syntax_RejectedByDefaultAndAcceptedWithToml11(string text)
    {
        Should.Throw<SerializationException>(() => TomlText.Parse(text)).Message.ShouldNotBeNullOrEmpty();

        TomlText.Parse(text, Toml11).Count.ShouldBe(1);
    }

    [Fact]
    public void TomlOptions_UndefinedVersion_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new TomlOptions { Version = (TomlVersion)7 });

    [Fact]
    public void TomlTestJson_Difference_DetectsMismatches()
    {
        JsonNode expected = JsonNode.Parse("""{"a":{"type":"integer","value":"1"}}""")!;

        TomlTestJson.Difference(expected, TomlTestJson.ToTagged(TomlText.Parse("a = 1"))).ShouldBeNull();
        TomlTestJson.Difference(expected, TomlTestJson.ToTagged(TomlText.Parse("a = 2"))).ShouldNotBeNull();
        TomlTestJson.Difference(expected, TomlTestJson.ToTagged(TomlText.Parse("a = 1.0"))).ShouldNotBeNull();
        TomlTestJson.Difference(expected, TomlTestJson.ToTagged(TomlText.Parse("a = 1\nb = 2"))).ShouldNotBeNull();
    }
}
