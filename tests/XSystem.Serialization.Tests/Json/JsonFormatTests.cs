using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Json;

public class JsonFormatTests
{
    private static JsonNode? Parse(string text, SerializerOptions? options = null) =>
        Formats.Json.Parse(Encoding.UTF8.GetBytes(text), options ?? SerializerOptions.Default);

    [Fact]
    public void Parse_DuplicateKeys_LastWins() =>
        Parse("""{"a":1,"a":2}""")!["a"]!.GetValue<long>().ShouldBe(2);

    [Fact]
    public void Parse_IntegerBeyondInt64_IsBigInteger() =>
        Parse("123456789012345678901234567890")!.GetValue<BigInteger>().ShouldBe(BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Write_BigInteger_IsAPlainNumber()
    {
        var tree = new JsonObject { ["n"] = JsonValue.Create(BigInteger.Pow(10, 30)) };
        Serializer.WriteToString(tree, Formats.Json, new SerializerOptions { Indent = false }).ShouldBe("""{"n":1000000000000000000000000000000}""");
    }

    [Fact]
    public void Write_Bytes_AreBase64() =>
        Serializer.WriteToString(new JsonObject { ["b"] = JsonValue.Create(new byte[] { 1, 2, 3 }) }, Formats.Json, new SerializerOptions { Indent = false })
            .ShouldBe("""{"b":"AQID"}""");

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Write_NonFiniteNumber_ThrowsWithPath(double value)
    {
        var ex = Should.Throw<SerializationException>(() => Serializer.Write(new JsonObject { ["x"] = new JsonArray(1, value) }, Formats.Json));
        ex.Path.ShouldBe("$.x[1]");
    }

    [Fact]
    public void Parse_Malformed_ReportsLineColumnAndExcerpt()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("{\n  \"a\": 1,\n  \"b\": tru\n}"));
        ex.FormatName.ShouldBe("json");
        ex.Line.ShouldBe(3);
        ex.Column.ShouldNotBeNull();
        ex.Excerpt.ShouldNotBeNull();
        ex.Message.ShouldContain("line 3");
    }

    [Fact]
    public void Parse_TooDeep_ThrowsLimitWithPath()
    {
        var ex = Should.Throw<SerializationLimitException>(() => Parse(new string('[', 100) + new string(']', 100)));
        ex.LimitName.ShouldBe("MaxDepth");
        ex.Message.ShouldContain("SerializerOptions.MaxDepth");
    }

    [Fact]
    public void Parse_10000NestedBrackets_DoesNotOverflowEvenWithHighLimit()
    {
        string deep = new string('[', 10_000) + new string(']', 10_000);
        JsonNode? tree = Parse(deep, new SerializerOptions { MaxDepth = 10_000 });
        tree.ShouldBeOfType<JsonArray>();
        byte[] back = Serializer.Write(tree, Formats.Json, new SerializerOptions { MaxDepth = 10_000, Indent = false });
        Encoding.UTF8.GetString(back).ShouldBe(deep);
    }

    [Fact]
    public void Parse_Bom_IsSkipped() =>
        Formats.Json.Parse([0xEF, 0xBB, 0xBF, (byte)'1'], SerializerOptions.Default)!.GetValue<long>().ShouldBe(1);

    [Fact]
    public void Parse_TrailingData_IsRejected() =>
        Should.Throw<SerializationException>(() => Parse("{} {}")).Message.ShouldContain("after a single JSON value");

    [Fact]
    public void Parse_Empty_IsRejectedClearly() =>
        Should.Throw<SerializationException>(() => Parse("   ")).Message.ShouldContain("does not contain any JSON tokens");

    [Fact]
    public void Write_Unicode_BmpIsNotEscapedAndEmojiRoundTrips()
    {
        // System.Text.Json always escapes characters outside the BMP; the text stays valid JSON and reads back the same.
        string text = Serializer.WriteToString(JsonValue.Create("日本 🎉"), Formats.Json);
        text.ShouldStartWith("\"日本 ");
        Serializer.Parse(text, Formats.Json)!.GetValue<string>().ShouldBe("日本 🎉");
    }
}
