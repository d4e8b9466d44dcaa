using System.Text.Json.Nodes;

namespace XSystem.Serialization.Toml.Tests;

public sealed class TomlFormatWriteTests
{
    private static JsonObject RoundTrip(JsonObject tree) => TomlText.Parse(TomlText.Write(tree));

    [Fact]
    public void Write_NullValue_ThrowsNamingThePath()
    {
        var tree = new JsonObject { ["server"] = new JsonObject { ["host"] = "x", ["port"] = null } };

        var ex = Should.Throw<SerializationException>(() => TomlText.Write(tree));

        ex.Path.ShouldBe("$.server.port");
        ex.Message.ShouldContain("null");
    }

    [Fact]
    public void Write_NullInsideArray_ThrowsNamingTheItem()
    {
        var tree = new JsonObject { ["list"] = new JsonArray(1, null) };

        Should.Throw<SerializationException>(() => TomlText.Write(tree)).Path.ShouldBe("$.list[1]");
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    public void Write_NonObjectRoot_ThrowsClearly(string json)
    {
        var ex = Should.Throw<SerializationException>(() => TomlText.Write(JsonNode.Parse(json)));

        ex.Message.ShouldContain("root must be a JSON object");
    }

    [Fact]
    public void Write_NullRoot_ThrowsClearly() =>
        Should.Throw<SerializationException>(() => TomlText.Write(null)).Message.ShouldContain("not null");

    [Fact]
    public void Write_ArrayOfObjects_UsesArrayOfTablesAndRoundTrips()
    {
        var tree = new JsonObject
        {
            ["title"] = "demo",
            ["servers"] = new JsonArray(
                new JsonObject { ["name"] = "a", ["tags"] = new JsonArray(new JsonObject { ["k"] = 1 }) },
                new JsonObject { ["name"] = "b", ["meta"] = new JsonObject { ["x"] = true } }),
        };

        string text = TomlText.Write(tree);

        text.ShouldContain("[[servers]]");
        text.ShouldContain("[[servers.tags]]");
        text.ShouldContain("[servers.meta]");
        JsonNode.DeepEquals(RoundTrip(tree), tree).ShouldBeTrue(text);
    }

    [Fact]
    public void Write_ArrayMixingTablesAndScalars_IsWrittenInlineAndRoundTrips()
    {
        var tree = new JsonObject
        {
            ["mixed"] = new JsonArray(1, new JsonObject { ["b"] = 2, ["c"] = new JsonObject() }, "x", new JsonArray(3, new JsonArray())),
        };

        string text = TomlText.Write(tree);

        text.ShouldContain("mixed = [1, { b = 2, c = {} }, \"x\", [3, []]]");
        JsonNode.DeepEquals(RoundTrip(tree), tree).ShouldBeTrue(text);
    }

    [Fact]
    public void Write_TablesOnlyHoldingTables_SkipRedundantHeaders()
    {
        var tree = new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonObject { ["c"] = 1 } }, ["empty"] = new JsonObject() };

        string text = TomlText.Write(tree);

        text.ShouldNotContain("[a]\n");
        text.ShouldContain("[a.b]\nc = 1");
        text.ShouldContain("[empty]");
        JsonNode.DeepEquals(RoundTrip(tree), tree).ShouldBeTrue(text);
    }

    [Fact]
    public void Write_StringsAndKeys_AreEscapedAndRoundTrip()
    {
        var tree = new JsonObject
        {
            ["control"] = "\u0001\u001b\u007f\b\f\r\n\t",
            ["quotes"] = "\"'\\",
            ["unicode"] = "é 日本 😀",
            ["key with spaces"] = 1,
            ["dotted.key"] = 2,
            [""] = 3,
            ["ключ"] = 4,
        };

        string text = TomlText.Write(tree);

        text.ShouldContain("control = \"\\u0001\\u001B\\u007F\\b\\f\\r\\n\\t\"");
        text.ShouldContain("\"dotted.key\" = 2");
        text.ShouldContain("\"\" = 3");
        JsonNode.DeepEquals(RoundTrip(tree), tree).ShouldBeTrue(text);
    }

    [Fact]
    public void Write_LoneSurrogate_ThrowsNamingThePath()
    {
        var tree = new JsonObject { ["bad"] = "x\uD800y" };

        Should.Throw<SerializationException>(() => TomlText.Write(tree)).Path.ShouldBe("$.bad");
    }

    [Fact]
    public void Write_DateAndTimeValues_AreTomlDateTimesAndRoundTrip()
    {
        var offset = new DateTimeOffset(2024, 2, 29, 13, 14, 15, TimeSpan.FromMinutes(-330)).AddTicks(1234500);
        var local = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified);
        var tree = new JsonObject
        {
            ["offset"] = offset,
            ["utc"] = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            ["local"] = local,
            ["utcKind"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["date"] = JsonValue.Create(new DateOnly(2024, 12, 31)),
            ["time"] = JsonValue.Create(new TimeOnly(23, 59, 59, 999)),
        };

        string text = TomlText.Write(tree);
        JsonObject back = TomlText.Parse(text);

        text.ShouldContain("offset = 2024-02-29T13:14:15.12345-05:30");
        text.ShouldContain("utc = 2024-01-01T00:00:00Z");
        text.ShouldContain("local = 2024-01-02T03:04:05\n");
        text.ShouldContain("date = 2024-12-31");
        text.ShouldContain("time = 23:59:59.999");
        back["offset"]!.GetValue<DateTimeOffset>().EqualsExact(offset).ShouldBeTrue();
        back["local"]!.GetValue<DateTime>().ShouldBe(local);
        back["utcKind"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        back["date"]!.GetValue<DateOnly>().ShouldBe(new DateOnly(2024, 12, 31));
        back["time"]!.GetValue<TimeOnly>().ShouldBe(new TimeOnly(23, 59, 59, 999));
    }

    [Fact]
    public void Write_Floats_KeepTheirTypeIncludingInfAndNan()
    {
        var tree = new JsonObject { ["whole"] = 3.0, ["nan"] = double.NaN, ["minusInf"] = double.NegativeInfinity, ["tiny"] = 5E-324, ["single"] = 0.5f };

        string text = TomlText.Write(tree);
        JsonObject back = TomlText.Parse(text);

        text.ShouldContain("whole = 3.0");
        text.ShouldContain("nan = nan");
        text.ShouldContain("minusInf = -inf");
        back["whole"]!.GetValue<double>().ShouldBe(3.0);
        double.IsNaN(back["nan"]!.GetValue<double>()).ShouldBeTrue();
        back["tiny"]!.GetValue<double>().ShouldBe(5E-324);
        back["single"]!.GetValue<double>().ShouldBe(0.5);
    }

    [Fact]
    public void Write_ParsedJson_KeepsStringsAsStringsAndNumbersByTheirText()
    {
        JsonNode tree = JsonNode.Parse("""{"d":"2020-01-01","i":5,"f":5.0,"e":1e3,"m":-9223372036854775808}""")!;

        string text = TomlText.Write(tree);

        text.ShouldBe("d = \"2020-01-01\"\ni = 5\nf = 5.0\ne = 1000.0\nm = -9223372036854775808\n");
    }

    [Fact]
    public void Write_IntegerBeyond64Bits_ThrowsNamingThePath()
    {
        JsonNode tree = JsonNode.Parse("""{"big":{"n":99999999999999999999}}""")!;

        var ex = Should.Throw<SerializationException>(() => TomlText.Write(tree));

        ex.Path.ShouldBe("$.big.n");
        ex.Message.ShouldContain("64-bit");
    }

    [Fact]
    public void Write_ScalarKeysAfterTables_AreMovedBeforeThemAndStillRoundTrip()
    {
        var tree = new JsonObject { ["section"] = new JsonObject { ["k"] = 1 }, ["after"] = "v" };

        string text = TomlText.Write(tree);

        text.ShouldBe("after = \"v\"\n\n[section]\nk = 1\n");
        JsonNode.DeepEquals(RoundTrip(tree), tree).ShouldBeTrue();
    }
}
