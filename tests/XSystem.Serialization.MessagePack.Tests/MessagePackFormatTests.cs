using System.Buffers;
using System.Numerics;
using System.Text.Json.Nodes;
using MessagePack;
using XSystem.Serialization.MessagePack;

namespace XSystem.Serialization.MessagePack.Tests;

public sealed class MessagePackFormatTests
{
    private static readonly MessagePackFormat Format = new();
    private static readonly SerializerOptions Options = SerializerOptions.Default;

    private delegate void WriterAction(ref MessagePackWriter writer);

    private static byte[] Raw(WriterAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, options ?? Options);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Parse_Scalars_MapToTreeTypes()
    {
        byte[] bytes = Raw((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(7);
            w.WriteNil();
            w.Write(true);
            w.Write(-5);
            w.Write(ulong.MaxValue);
            w.Write(1.5f);
            w.Write("text");
            w.Write(new byte[] { 1, 2, 3 });
        });

        var tree = Format.Parse(bytes, Options)!.AsArray();

        tree[0].ShouldBeNull();
        tree[1]!.GetValue<bool>().ShouldBeTrue();
        tree[2]!.GetValue<long>().ShouldBe(-5);
        tree[3]!.GetValue<ulong>().ShouldBe(ulong.MaxValue);
        tree[4]!.GetValue<double>().ShouldBe(1.5);
        tree[5]!.GetValue<string>().ShouldBe("text");
        tree[6]!.GetValue<byte[]>().ShouldBe(new byte[] { 1, 2, 3 });
    }

    [Fact]
    public void Parse_Float32NaNAndInfinity_KeptAsDouble()
    {
        byte[] bytes = Raw((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write(float.NaN);
            w.Write(float.PositiveInfinity);
            w.Write(double.NegativeInfinity);
        });

        var tree = Format.Parse(bytes, Options)!.AsArray();

        double.IsNaN(tree[0]!.GetValue<double>()).ShouldBeTrue();
        tree[1]!.GetValue<double>().ShouldBe(double.PositiveInfinity);
        tree[2]!.GetValue<double>().ShouldBe(double.NegativeInfinity);
        JsonNode? back = Format.Parse(Write(tree), Options);
        double.IsNaN(back![0]!.GetValue<double>()).ShouldBeTrue();
    }

    [Fact]
    public void Parse_ScalarMapKeys_BecomeInvariantStrings()
    {
        byte[] bytes = Raw((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(5);
            w.Write(42);
            w.Write("int");
            w.Write(-7L);
            w.Write("neg");
            w.Write(true);
            w.Write("bool");
            w.WriteNil();
            w.Write("nil");
            w.Write(2.5);
            w.Write("float");
        });

        var tree = Format.Parse(bytes, Options)!.AsObject();

        tree.Select(p => p.Key).ShouldBe(["42", "-7", "true", "null", "2.5"]);
        tree["42"]!.GetValue<string>().ShouldBe("int");
    }

    [Fact]
    public void Parse_ArrayMapKey_ThrowsWithPath()
    {
        byte[] bytes = Raw((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(1);
            w.Write("outer");
            w.WriteMapHeader(1);
            w.WriteArrayHeader(0);
            w.Write(1);
        });

        var ex = Should.Throw<SerializationException>(() => Format.Parse(bytes, Options));

        ex.Message.ShouldContain("only string, integer");
        ex.Path.ShouldBe("$.outer");
    }

    [Fact]
    public void Parse_KeysCollidingAfterConversion_Throws()
    {
        byte[] bytes = Raw((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.Write(1);
            w.Write("a");
            w.Write("1");
            w.Write("b");
        });

        Should.Throw<SerializationException>(() => Format.Parse(bytes, Options)).Message.ShouldContain("twice");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1_700_000_000L)]
    [InlineData(5_000_000_000L)]
    [InlineData(-1_000L)]
    public void Parse_TimestampExtension_BecomesDateTimeOffset(long seconds)
    {
        DateTimeOffset expected = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(1234567);
        byte[] bytes = Raw((ref MessagePackWriter w) => w.Write(expected.UtcDateTime));

        JsonNode? tree = Format.Parse(bytes, Options);

        tree!.GetValue<DateTimeOffset>().ShouldBe(expected);
        Write(tree).ShouldBe(bytes);
    }

    [Fact]
    public void Parse_TimestampWithNanosecondPrecision_StaysExtensionShape()
    {
        // 96-bit timestamp: nanoseconds 1 (not a multiple of 100 ns ticks), seconds 0.
        byte[] payload = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] bytes = Raw((ref MessagePackWriter w) =>
        {
            w.WriteExtensionFormatHeader(new ExtensionHeader(-1, payload.Length));
            w.WriteRaw(payload);
        });

        JsonNode? tree = Format.Parse(bytes, Options);

        tree!["$ext"]!.GetValue<long>().ShouldBe(-1);
        Write(tree).ShouldBe(bytes);
    }

    [Fact]
    public void Parse_OtherExtension_RoundTripsThroughDocumentedShape()
    {
        byte[] bytes = Raw((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(1);
            w.WriteExtensionFormatHeader(new ExtensionHeader(42, 3));
            w.WriteRaw(new byte[] { 9, 8, 7 });
        });

        JsonNode? tree = Format.Parse(bytes, Options);

        tree![0]!["$ext"]!.GetValue<long>().ShouldBe(42);
        tree[0]!["data"]!.GetValue<byte[]>().ShouldBe(new byte[] { 9, 8, 7 });
        Write(tree).ShouldBe(bytes);
    }

    [Fact]
    public void Write_TypedValues_UseMessagePackTypes()
    {
        var tree = new JsonObject
        {
            ["int"] = 5,
            ["long"] = long.MinValue,
            ["ulong"] = ulong.MaxValue,
            ["big"] = JsonValue.Create(new BigInteger(ulong.MaxValue)),
            ["double"] = 0.1,
            ["decimal"] = 1.10m,
            ["bytes"] = JsonValue.Create(new byte[] { 0, 255 }),
            ["when"] = new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.FromHours(2)),
            ["parsed"] = JsonNode.Parse("""{"n":12345678901,"f":2.5,"s":"x","b":false,"z":null}"""),
        };

        byte[] bytes = Write(tree);
        var reader = new MessagePackReader(bytes);
        reader.ReadMapHeader().ShouldBe(9);
        var back = Format.Parse(bytes, Options)!;

        back["int"]!.GetValue<long>().ShouldBe(5);
        back["long"]!.GetValue<long>().ShouldBe(long.MinValue);
        back["ulong"]!.GetValue<ulong>().ShouldBe(ulong.MaxValue);
        back["big"]!.GetValue<ulong>().ShouldBe(ulong.MaxValue);
        back["double"]!.GetValue<double>().ShouldBe(0.1);
        back["decimal"]!.GetValue<string>().ShouldBe("1.10");
        back["bytes"]!.GetValue<byte[]>().ShouldBe(new byte[] { 0, 255 });
        back["when"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(2024, 2, 29, 10, 0, 0, TimeSpan.Zero));
        back["parsed"]!["n"]!.GetValue<long>().ShouldBe(12345678901);
        back["parsed"]!["f"]!.GetValue<double>().ShouldBe(2.5);
        back["parsed"]!["z"].ShouldBeNull();
    }

    [Fact]
    public void Write_IntegerBeyond64Bits_ThrowsNamingPath()
    {
        var tree = new JsonObject { ["a"] = new JsonArray(JsonValue.Create(BigInteger.Pow(2, 70))) };

        var ex = Should.Throw<SerializationException>(() => Write(tree));

        ex.Path.ShouldBe("$.a[0]");
        ex.Message.ShouldContain("64 bits");
    }

    [Fact]
    public void Write_JsonNumberBeyond64Bits_ThrowsNamingPath()
    {
        var tree = JsonNode.Parse("""{"n": 123456789012345678901234567890}""");

        Should.Throw<SerializationException>(() => Write(tree)).Path.ShouldBe("$.n");
    }

    [Fact]
    public void Write_ExtensionInsideMaxDepthMap_DoesNotCountAsLevel()
    {
        var tree = new JsonObject { ["e"] = new JsonObject { ["$ext"] = 3, ["data"] = JsonValue.Create(new byte[] { 1 }) } };

        byte[] bytes = Write(tree, new SerializerOptions { MaxDepth = 1 });

        Format.Parse(bytes, new SerializerOptions { MaxDepth = 1 })!["e"]!["$ext"]!.GetValue<long>().ShouldBe(3);
    }

    [Theory]
    [InlineData(new byte[] { 0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0 })] // array32 claiming 2^32-1 items
    [InlineData(new byte[] { 0xdf, 0x10, 0x00, 0x00, 0x00, 0xc0 })] // map32 claiming 2^28 pairs
    [InlineData(new byte[] { 0xdb, 0x7f, 0xff, 0xff, 0xff, 0x41 })] // str32 claiming 2 GiB
    [InlineData(new byte[] { 0xc6, 0x00, 0x01, 0x00, 0x00, 0x00 })] // bin32 claiming 64 KiB
    [InlineData(new byte[] { 0xc9, 0xff, 0xff, 0xff, 0xff, 0x05 })] // ext32 claiming 4 GiB
    [InlineData(new byte[] { 0x92, 0x01 })] // truncated array
    [InlineData(new byte[] { 0xcb, 0x00 })] // truncated double
    [InlineData(new byte[] { 0xc1 })] // never-used code
    [InlineData(new byte[] { 0xa2, 0xc3, 0x28 })] // invalid UTF-8
    [InlineData(new byte[] { 0x01, 0x02 })] // trailing data
    public void Parse_MalformedInput_ThrowsSerializationException(byte[] bytes)
    {
        var ex = Should.Throw<SerializationException>(() => Format.Parse(bytes, Options));

        ex.FormatName.ShouldBe("msgpack");
    }

    [Fact]
    public void Parse_DeepNesting_ThrowsLimitWithoutStackGrowth()
    {
        byte[] deep = new byte[100_001];
        deep.AsSpan(0, 100_000).Fill(0x91);
        deep[^1] = 0xc0;

        Should.Throw<SerializationLimitException>(() => Format.Parse(deep, Options)).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_ExactlyMaxDepth_Succeeds()
    {
        byte[] bytes = new byte[65];
        bytes.AsSpan(0, 64).Fill(0x91);
        bytes[^1] = 0x01;

        Format.Parse(bytes, Options).ShouldNotBeNull();
        Should.Throw<SerializationLimitException>(() => Format.Parse(bytes, new SerializerOptions { MaxDepth = 63 }));
    }

    [Fact]
    public void Formats_FromNameAliasesAndExtensions_ResolveMessagePack()
    {
        Formats.MessagePack.ShouldBeOfType<MessagePackFormat>();
        Formats.FromName("messagepack").Name.ShouldBe("msgpack");
        Formats.FromName("mpk").Name.ShouldBe("msgpack");
        Formats.FromExtension(".mp").Name.ShouldBe("msgpack");
        Formats.FromMediaType("application/x-msgpack").Name.ShouldBe("msgpack");
    }

    [Fact]
    public void Detect_MessagePackMap_PicksMessagePack()
    {
        byte[] bytes = Write(new JsonObject { ["name"] = "demo", ["items"] = new JsonArray(1, 2, 3), ["ok"] = true });

        FormatMatch? match = Formats.Detect(bytes);

        match.ShouldNotBeNull();
        match.Value.Format.Name.ShouldBe("msgpack");
        match.Value.Confidence.ShouldBeLessThanOrEqualTo(0.6);
    }

    [Theory]
    [InlineData("""{"a": 1}""")]
    [InlineData("a: 1\n")]
    [InlineData("plain text")]
    public void Probe_Text_ScoresZero(string text) =>
        Format.Probe(System.Text.Encoding.UTF8.GetBytes(text)).ShouldBe(0);

    [Theory]
    [InlineData(new byte[] { 0x80, 0x04, 0x95, 0x00 })] // pickle protocol 4 header
    [InlineData(new byte[] { 0x92, 0x01 })] // cut array in whole content
    [InlineData(new byte[] { 0x81, 0xc1, 0x01 })] // never-used code
    public void Probe_NotMessagePack_ScoresBelowThreshold(byte[] bytes) =>
        Format.Probe(bytes).ShouldBeLessThan(Formats.MinimumConfidence);

    [Fact]
    public void Probe_Empty_ScoresZero() => Format.Probe([]).ShouldBe(0);
}
