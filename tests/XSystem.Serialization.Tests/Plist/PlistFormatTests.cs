using System.Buffers;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Plist;

public sealed class PlistFormatTests
{
    private static readonly PlistFormat Format = new();

    private static JsonNode? Parse(string xml) => Format.Parse(Encoding.UTF8.GetBytes(xml), SerializerOptions.Default);

    private static string Write(JsonNode? tree)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, SerializerOptions.Default);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private const string Header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        """;

    [Fact]
    public void Parse_AppleDocument_WithDoctype_Reads()
    {
        JsonNode tree = Parse(Header + """
            <plist version="1.0">
            <dict>
                <key>CFBundleName</key><string>Demo</string>
                <key>Count</key><integer>-42</integer>
                <key>Hex</key><integer>0x1F</integer>
                <key>Ratio</key><real>0.5</real>
                <key>Enabled</key><true/>
                <key>Blob</key><data>
                    AAEC
                    /w==
                </data>
                <key>When</key><date>2013-03-21T20:04:00Z</date>
                <key>List</key><array><string>a</string><array/><dict/></array>
            </dict>
            </plist>
            """)!;

        tree["CFBundleName"]!.GetValue<string>().ShouldBe("Demo");
        tree["Count"]!.GetValue<long>().ShouldBe(-42);
        tree["Hex"]!.GetValue<long>().ShouldBe(31);
        tree["Ratio"]!.GetValue<double>().ShouldBe(0.5);
        tree["Enabled"]!.GetValue<bool>().ShouldBeTrue();
        tree["Blob"]!.GetValue<byte[]>().ShouldBe(new byte[] { 0, 1, 2, 255 });
        tree["When"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(2013, 3, 21, 20, 4, 0, TimeSpan.Zero));
        tree["List"]!.AsArray().Count.ShouldBe(3);
    }

    [Fact]
    public void Parse_InternalEntity_NeverExpanded()
    {
        string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE plist [<!ENTITY boom "kaboom">]>
            <plist version="1.0"><string>&boom;</string></plist>
            """;

        Should.Throw<SerializationException>(() => Parse(xml));
    }

    [Fact]
    public void Parse_ExternalEntity_NeverFetched()
    {
        string secret = Path.Combine(Path.GetTempPath(), $"xsystem-secret-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOP SECRET");
        try
        {
            string xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE plist [<!ENTITY xxe SYSTEM "file://{secret}">]>
                <plist version="1.0"><string>&xxe;</string></plist>
                """;

            var ex = Should.Throw<SerializationException>(() => Parse(xml));
            ex.Message.ShouldNotContain("TOP SECRET");
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Parse_CfUidDictionary_BecomesUidShape()
    {
        JsonNode tree = Parse("<plist><dict><key>root</key><dict><key>CF$UID</key><integer>7</integer></dict></dict></plist>")!;

        tree["root"]!["$uid"]!.GetValue<long>().ShouldBe(7);
        Write(tree).ShouldContain("<key>CF$UID</key>");
    }

    [Theory]
    [InlineData("<plist><dict><key>a</key></dict></plist>")] // key without value
    [InlineData("<plist><dict><string>a</string></dict></plist>")] // value without key
    [InlineData("<plist><dict><key>a</key><true/><key>a</key><false/></dict></plist>")] // duplicate key
    [InlineData("<plist><integer>12x</integer></plist>")]
    [InlineData("<plist><integer>999999999999999999999999999999999999999999999</integer></plist>")] // beyond 128 bits
    [InlineData("<plist><real>fast</real></plist>")]
    [InlineData("<plist><date>yesterday</date></plist>")]
    [InlineData("<plist><data>!!!</data></plist>")]
    [InlineData("<plist><widget/></plist>")]
    [InlineData("<plist></plist>")]
    [InlineData("<plist><string>a</string><string>b</string></plist>")]
    [InlineData("<plist><array><string>a</string>")]
    [InlineData("<plist><true>yes</true></plist>")]
    public void Parse_Malformed_ThrowsSerializationException(string xml)
    {
        var ex = Should.Throw<SerializationException>(() => Parse(xml));

        ex.FormatName.ShouldBe("plist");
    }

    [Fact]
    public void Write_NullMember_ThrowsWithPath()
    {
        var tree = new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonArray(1, null) } };

        var ex = Should.Throw<SerializationException>(() => Write(tree));

        ex.Path.ShouldBe("$.a.b[1]");
        ex.Message.ShouldContain("no null");
    }

    [Fact]
    public void RoundTrip_TypedValues_Preserved()
    {
        var tree = new JsonObject
        {
            ["big"] = JsonValue.Create(BigInteger.Pow(2, 100)),
            ["nan"] = double.NaN,
            ["inf"] = double.NegativeInfinity,
            ["data"] = JsonValue.Create(new byte[] { 9, 8, 7 }),
            ["date"] = JsonValue.Create(new DateTimeOffset(2020, 5, 6, 9, 8, 7, TimeSpan.FromHours(-5))),
            ["uid"] = new JsonObject { ["$uid"] = 12 },
        };

        JsonNode back = Parse(Write(tree))!;

        back["big"]!.GetValue<BigInteger>().ShouldBe(BigInteger.Pow(2, 100));
        double.IsNaN(back["nan"]!.GetValue<double>()).ShouldBeTrue();
        back["inf"]!.GetValue<double>().ShouldBe(double.NegativeInfinity);
        back["data"]!.GetValue<byte[]>().ShouldBe(new byte[] { 9, 8, 7 });
        back["date"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(2020, 5, 6, 14, 8, 7, TimeSpan.Zero));
        back["uid"]!["$uid"]!.GetValue<long>().ShouldBe(12);
    }

    [Fact]
    public void Write_IntegerBeyond128Bits_Throws()
    {
        var ex = Should.Throw<SerializationException>(() => Write(new JsonObject { ["n"] = JsonValue.Create(BigInteger.Pow(2, 130)) }));

        ex.Path.ShouldBe("$.n");
    }

    [Fact]
    public void Write_Output_HasAppleDoctypeAndVersion()
    {
        string xml = Write(new JsonObject { ["a"] = "b" });

        xml.ShouldContain("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">");
        xml.ShouldContain("<plist version=\"1.0\">");
    }

    [Fact]
    public void Parse_BinaryInput_Accepted()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new BinaryPlistFormat().Write(new JsonObject { ["a"] = 1 }, buffer, SerializerOptions.Default);

        Format.Parse(buffer.WrittenSpan, SerializerOptions.Default)!["a"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public void Detect_XmlPlist_IsPlistNotXml()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Write(new JsonObject { ["a"] = "b" }));

        Formats.Detect(bytes)?.Format.Name.ShouldBe("plist");
        Formats.Detect(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><config><a>1</a></config>"))?.Format.Name.ShouldBe("xml");
    }

    [Fact]
    public void FromExtension_Plist_IsXmlFormat()
    {
        Formats.FromExtension(".plist").Name.ShouldBe("plist");
        Formats.FromName("bplist").Name.ShouldBe("bplist");
    }
}
