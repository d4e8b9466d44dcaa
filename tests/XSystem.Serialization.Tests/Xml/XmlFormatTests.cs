using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Xml;

public sealed class XmlFormatTests
{
    private static readonly XmlFormat Format = new();

    private static JsonNode? Parse(string text, SerializerOptions? options = null) =>
        Format.Parse(Encoding.UTF8.GetBytes(text), options ?? SerializerOptions.Default);

    private static string Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, options ?? SerializerOptions.Default);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AssertJson(JsonNode? actual, string expectedJson) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expectedJson)).ShouldBeTrue($"got {actual?.ToJsonString()}");

    [Fact]
    public void Parse_TextOnlyElement_BecomesString() => AssertJson(Parse("<a>hello</a>"), """{"a":"hello"}""");

    [Fact]
    public void Parse_Attributes_BecomeAtKeys_TextBecomesHashText() =>
        AssertJson(Parse("<a id=\"1\" lang=\"en\">hi</a>"), """{"a":{"@id":"1","@lang":"en","#text":"hi"}}""");

    [Fact]
    public void Parse_AttributesOnly_NoTextKey() => AssertJson(Parse("<a id=\"1\"/>"), """{"a":{"@id":"1"}}""");

    [Theory]
    [InlineData("<a/>")]
    [InlineData("<a></a>")]
    public void Parse_EmptyElement_BecomesEmptyString(string text) => AssertJson(Parse(text), """{"a":""}""");

    [Fact]
    public void Parse_RepeatedSiblings_BecomeArray() =>
        AssertJson(Parse("<r><x>1</x><y>2</y><x>3</x></r>"), """{"r":{"x":["1","3"],"y":"2"}}""");

    [Fact]
    public void Parse_AlwaysArray_MakesSingleElementAnArray()
    {
        var options = new SerializerOptions { FormatOptions = [new XmlOptions { AlwaysArray = new HashSet<string> { "x" } }] };
        AssertJson(Parse("<r><x>1</x></r>", options), """{"r":{"x":["1"]}}""");
    }

    [Fact]
    public void Parse_MixedContent_CollectsText() =>
        AssertJson(Parse("<p>Hello <b>big</b> world</p>"), """{"p":{"#text":"Hello  world","b":"big"}}""");

    [Fact]
    public void Parse_IndentationWhiteSpace_Dropped() =>
        AssertJson(Parse("<r>\n  <a>1</a>\n  <b>2</b>\n</r>"), """{"r":{"a":"1","b":"2"}}""");

    [Fact]
    public void Parse_WhiteSpaceOnlyLeaf_Kept() => AssertJson(Parse("<a>   </a>"), """{"a":"   "}""");

    [Fact]
    public void Parse_CommentsAndProcessingInstructions_Skipped() =>
        AssertJson(Parse("<?xml version=\"1.0\"?><!-- c --><r><?pi x?><a>1</a><!-- d --></r>"), """{"r":{"a":"1"}}""");

    [Fact]
    public void Parse_Cdata_BecomesText() => AssertJson(Parse("<a><![CDATA[<not> & markup]]></a>"), """{"a":"<not> & markup"}""");

    [Fact]
    public void Parse_Namespaces_KeepQualifiedNames() =>
        AssertJson(
            Parse("<s:env xmlns:s=\"urn:s\" s:ver=\"2\"><s:body>x</s:body></s:env>"),
            """{"s:env":{"@xmlns:s":"urn:s","@s:ver":"2","s:body":"x"}}""");

    [Fact]
    public void Parse_XsiNil_BecomesNull() =>
        AssertJson(Parse("<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><a xsi:nil=\"true\"/></r>"), """{"r":{"a":null}}""");

    [Fact]
    public void Parse_ExternalEntity_Rejected()
    {
        const string xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <foo>&xxe;</foo>
            """;
        var ex = Should.Throw<SerializationException>(() => Parse(xxe));
        ex.Message.ShouldContain("DTD");
        ex.FormatName.ShouldBe("xml");
        ex.InnerException.ShouldBeOfType<System.Xml.XmlException>();
    }

    [Fact]
    public void Parse_BillionLaughs_Rejected()
    {
        var text = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i < 10; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? string.Empty : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10))}\">\n");
        }

        text.Append("]>\n<lolz>&lol9;</lolz>");
        Should.Throw<SerializationException>(() => Parse(text.ToString())).Message.ShouldContain("DTD");
    }

    [Fact]
    public void Parse_Malformed_ReportsLineAndColumn()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("<r>\n  <a>1</b>\n</r>"));
        ex.FormatName.ShouldBe("xml");
        ex.Line.ShouldBe(2);
        ex.Column.ShouldNotBeNull();
        ex.InnerException.ShouldBeOfType<System.Xml.XmlException>();
    }

    [Fact]
    public void Parse_TenThousandNestedElements_ThrowsLimitException()
    {
        string deep = string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000));
        Should.Throw<SerializationLimitException>(() => Parse(deep)).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_EncodedNames_Decoded() => AssertJson(Parse("<r><with_x0020_space>1</with_x0020_space></r>"), """{"r":{"with space":"1"}}""");

    [Fact]
    public void Write_SingleMemberObject_NamesTheRoot()
    {
        string text = Write(new JsonObject { ["config"] = new JsonObject { ["a"] = 1 } }, new SerializerOptions { Indent = false });
        text.ShouldBe("<?xml version=\"1.0\" encoding=\"utf-8\"?><config><a>1</a></config>");
    }

    [Fact]
    public void Write_SeveralMembers_WrappedInRootName()
    {
        var options = new SerializerOptions { Indent = false, FormatOptions = [new XmlOptions { RootName = "settings", WriteDeclaration = false }] };
        Write(new JsonObject { ["a"] = 1, ["b"] = true }, options).ShouldBe("<settings><a>1</a><b>true</b></settings>");
    }

    [Fact]
    public void Write_AttributesAndText_RoundTrip()
    {
        JsonNode tree = JsonNode.Parse("""{"a":{"@id":"7","#text":"hi","b":"x"}}""")!;
        string text = Write(tree, new SerializerOptions { Indent = false, FormatOptions = [new XmlOptions { WriteDeclaration = false }] });
        text.ShouldBe("<a id=\"7\">hi<b>x</b></a>");
        AssertJson(Parse(text), """{"a":{"@id":"7","#text":"hi","b":"x"}}""");
    }

    [Fact]
    public void Write_ShortArrays_MarkedAndRoundTrip()
    {
        JsonNode tree = JsonNode.Parse("""{"r":{"one":["x"],"none":[],"two":["a","b"]}}""")!;
        string text = Write(tree);
        text.ShouldContain("xsys:array=\"true\"");
        text.ShouldContain("xsys:array=\"empty\"");
        AssertJson(Parse(text), """{"r":{"one":["x"],"none":[],"two":["a","b"]}}""");
    }

    [Fact]
    public void Write_Null_AsXsiNil_RoundTrips()
    {
        string text = Write(new JsonObject { ["r"] = new JsonObject { ["a"] = null } });
        text.ShouldContain("xsi:nil=\"true\"");
        AssertJson(Parse(text), """{"r":{"a":null}}""");
    }

    [Fact]
    public void Write_TopLevelArray_AsItemElements() =>
        AssertJson(Parse(Write(new JsonArray(1, 2))), """{"root":{"item":["1","2"]}}""");

    [Fact]
    public void Write_NestedArray_ThrowsWithPath()
    {
        var ex = Should.Throw<SerializationException>(() => Write(JsonNode.Parse("""{"r":{"a":[[1],[2]]}}""")));
        ex.Path.ShouldBe("$.r.a[0]");
    }

    [Fact]
    public void Write_InvalidXmlCharacter_ThrowsWithPath()
    {
        var ex = Should.Throw<SerializationException>(() => Write(new JsonObject { ["r"] = new JsonObject { ["a"] = "bad\u0001" } }));
        ex.Path.ShouldBe("$.r.a");
    }

    [Fact]
    public void Write_NamespacedTree_RoundTripsExactly()
    {
        JsonNode tree = JsonNode.Parse("""{"s:env":{"@xmlns:s":"urn:s","@xmlns":"urn:d","s:body":{"item":"x"}}}""")!;
        AssertJson(Parse(Write(tree)), tree.ToJsonString());
    }

    [Fact]
    public void Write_CarriageReturnAndTabs_RoundTrip()
    {
        var tree = new JsonObject { ["r"] = new JsonObject { ["@at"] = "a\tb\nc", ["v"] = "x\r\ny\rz" } };
        AssertJson(Parse(Write(tree)), tree.ToJsonString());
    }

    [Fact]
    public void Write_TypedScalars_BecomeText() =>
        AssertJson(
            Parse(Write(new JsonObject { ["r"] = new JsonObject { ["n"] = 1.5, ["nan"] = double.NaN, ["b"] = false } })),
            """{"r":{"n":"1.5","nan":"NaN","b":"false"}}""");

    [Fact]
    public void Write_DeeperThanMaxDepth_ThrowsLimitException()
    {
        JsonNode tree = JsonNode.Parse("""{"a":{"b":{"c":{"d":"x"}}}}""")!;
        Should.Throw<SerializationLimitException>(() => Write(tree, new SerializerOptions { MaxDepth = 3 }));
    }

    [Fact]
    public void Probe_Scores()
    {
        Format.Probe("<?xml version=\"1.0\"?><a/>"u8).ShouldBeGreaterThan(0.9);
        Format.Probe("  <config><a>1</a></config>"u8).ShouldBeGreaterThan(0.5);
        Format.Probe("{\"a\": 1}"u8).ShouldBe(0);
        Format.Probe(""u8).ShouldBe(0);
    }

    [Fact]
    public void Formats_LookupsFindXml()
    {
        Formats.FromName("xml").ShouldBeOfType<XmlFormat>();
        Formats.FromMediaType("text/xml").ShouldBeOfType<XmlFormat>();
        Formats.FromExtension(".xml").ShouldBeOfType<XmlFormat>();
    }
}
