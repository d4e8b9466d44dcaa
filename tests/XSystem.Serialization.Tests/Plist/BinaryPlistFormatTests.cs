using System.Buffers;
using System.Numerics;
using System.Text.Json.Nodes;
using XSystem.Serialization.Tests.Cbor;

namespace XSystem.Serialization.Tests.Plist;

public sealed class BinaryPlistFormatTests
{
    private static readonly BinaryPlistFormat Format = new();

    private static byte[] Write(JsonNode? tree)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, SerializerOptions.Default);
        return buffer.WrittenSpan.ToArray();
    }

    private static JsonNode? Parse(byte[] bytes, SerializerOptions? options = null) => Format.Parse(bytes, options ?? SerializerOptions.Default);

    [Fact]
    public void Parse_SelfReferencingArray_RejectedAsCycle()
    {
        byte[] bytes = BinaryPlistBuilder.Build([[0xA1, 0x00]], 1);

        Should.Throw<SerializationException>(() => Parse(bytes)).Message.ShouldContain("cycle");
    }

    [Fact]
    public void Parse_IndirectCycle_Rejected()
    {
        // 0 = {"k": 1}, 1 = [0], 2 = "k"
        byte[] bytes = BinaryPlistBuilder.Build([[0xD1, 0x02, 0x01], [0xA1, 0x00], [0x51, (byte)'k']], 1);

        Should.Throw<SerializationException>(() => Parse(bytes)).Message.ShouldContain("cycle");
    }

    [Fact]
    public void Parse_SharedContainerTwice_Allowed()
    {
        // 0 = [1, 1], 1 = ["x"], 2 = "x": a shared (not cyclic) container reads as two equal arrays.
        byte[] bytes = BinaryPlistBuilder.Build([[0xA2, 0x01, 0x01], [0xA1, 0x02], [0x51, (byte)'x']], 1);

        Parse(bytes)!.ToJsonString().ShouldBe("""[["x"],["x"]]""");
    }

    [Fact]
    public void Parse_ExponentialSharing_HitsExpansionLimit()
    {
        // Object i = [i + 1, i + 1] for 60 levels: 2^60 nodes if expanded; must stop fast.
        var objects = new List<byte[]>();
        for (int i = 0; i < 60; i++)
        {
            objects.Add([0xA2, (byte)(i + 1), (byte)(i + 1)]);
        }

        objects.Add([0x09]);
        var options = new SerializerOptions { MaxDepth = 100 };

        Should.Throw<SerializationLimitException>(() => Parse(BinaryPlistBuilder.Build(objects, 1), options));
    }

    [Theory]
    [InlineData(new byte[] { 0xA1, 0x05 })] // reference past the object count
    [InlineData(new byte[] { 0xAF, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 })] // array claiming 2^32 items
    [InlineData(new byte[] { 0x4F, 0x12, 0x7F, 0xFF, 0xFF, 0xFF })] // data claiming 2 GiB
    [InlineData(new byte[] { 0x6F, 0x12, 0x7F, 0xFF, 0xFF, 0xFF })] // UTF-16 string claiming 4 GiB
    [InlineData(new byte[] { 0x15, 0x00 })] // 32-byte integer
    [InlineData(new byte[] { 0x13, 0x00 })] // truncated 8-byte integer
    [InlineData(new byte[] { 0x21, 0x00, 0x00 })] // 2-byte real
    [InlineData(new byte[] { 0x52, 0xC3, 0xA9 })] // non-ASCII in an ASCII string
    [InlineData(new byte[] { 0x61, 0xD8, 0x00 })] // unpaired surrogate
    [InlineData(new byte[] { 0x33, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0 })] // date at infinity
    [InlineData(new byte[] { 0x0F })] // fill byte as a value
    [InlineData(new byte[] { 0x70 })] // unknown marker
    [InlineData(new byte[] { 0xD1, 0x00, 0x00 })] // dict whose key is itself
    public void Parse_HostileObject_ThrowsSerializationException(byte[] obj)
    {
        byte[] bytes = BinaryPlistBuilder.Build([obj], 1);

        Should.Throw<SerializationException>(() => Parse(bytes)).FormatName.ShouldBe("bplist");
    }

    [Fact]
    public void Parse_TrailerClaimsTooManyObjects_Rejected()
    {
        byte[] bytes = BinaryPlistBuilder.Build([[0x09]], 1, objectCount: 1UL << 40);

        Should.Throw<SerializationException>(() => Parse(bytes)).Message.ShouldContain("trailer");
    }

    [Fact]
    public void Parse_OffsetTableOutsideFile_Rejected()
    {
        byte[] bytes = BinaryPlistBuilder.Build([[0x09]], 1, tableOffsetOverride: 1L << 40);

        Should.Throw<SerializationException>(() => Parse(bytes)).Message.ShouldContain("trailer");
    }

    [Fact]
    public void Parse_TopObjectOutOfRange_Rejected()
    {
        Should.Throw<SerializationException>(() => Parse(BinaryPlistBuilder.Build([[0x09]], 1, top: 5)));
    }

    [Theory]
    [InlineData("bplist15")]
    [InlineData("bpl")]
    [InlineData("")]
    public void Parse_NotBplist00_Rejected(string header)
    {
        Should.Throw<SerializationException>(() => Parse(System.Text.Encoding.ASCII.GetBytes(header)));
    }

    [Fact]
    public void Parse_SixteenByteAndUnsignedIntegers_Read()
    {
        byte[] sixteen = [0x14, .. new byte[7], 0x01, .. new byte[8]]; // 2^64
        byte[] negative = [0x14, .. Enumerable.Repeat((byte)0xFF, 16)]; // -1
        byte[] unsigned = [0x12, 0xFF, 0xFF, 0xFF, 0xFF]; // 4-byte integers are unsigned
        byte[] bytes = BinaryPlistBuilder.Build([[0xA3, 0x01, 0x02, 0x03], sixteen, negative, unsigned], 1);

        JsonArray array = Parse(bytes)!.AsArray();

        array[0]!.GetValue<BigInteger>().ShouldBe(BigInteger.Pow(2, 64));
        array[1]!.GetValue<long>().ShouldBe(-1);
        array[2]!.GetValue<long>().ShouldBe(uint.MaxValue);
    }

    [Fact]
    public void Write_ManyObjects_UsesTwoByteReferencesAndReadsBack()
    {
        var items = new JsonArray();
        for (int i = 0; i < 1000; i++)
        {
            items.Add("item " + i);
        }

        byte[] bytes = Write(new JsonObject { ["items"] = items });

        bytes[bytes.Length - 32 + 7].ShouldBe((byte)2);
        JsonNode.DeepEquals(Parse(bytes), new JsonObject { ["items"] = items.DeepClone() }).ShouldBeTrue();
    }

    [Fact]
    public void Write_RepeatedKeys_StoredOnce()
    {
        var rows = new JsonArray();
        for (int i = 0; i < 100; i++)
        {
            rows.Add(new JsonObject { ["a_rather_long_key_name"] = i });
        }

        byte[] bytes = Write(rows);

        System.Text.Encoding.ASCII.GetString(bytes).Split("a_rather_long_key_name").Length.ShouldBe(2);
    }

    [Fact]
    public void RoundTrip_AllTypes_Preserved()
    {
        var tree = new JsonObject
        {
            ["ascii"] = "plain",
            ["unicode"] = "Grüße 日本語 🎉",
            ["long"] = new string('x', 300),
            ["ints"] = new JsonArray(0, 255, 256, 65536, -1, long.MaxValue, long.MinValue),
            ["big"] = JsonValue.Create(BigInteger.Pow(2, 126)),
            ["negbig"] = JsonValue.Create(-BigInteger.Pow(2, 127)),
            ["real"] = 1.25,
            ["date"] = JsonValue.Create(new DateTimeOffset(2020, 1, 2, 3, 4, 5, 250, TimeSpan.Zero)),
            ["data"] = JsonValue.Create(Enumerable.Range(0, 40).Select(i => (byte)i).ToArray()),
            ["uids"] = new JsonArray(new JsonObject { ["$uid"] = 1 }, new JsonObject { ["$uid"] = 70_000 }, new JsonObject { ["$uid"] = 1L << 40 }),
            ["flags"] = new JsonArray(true, false),
            ["empty"] = new JsonObject(),
        };

        JsonNode back = Parse(Write(tree))!;

        TypedTree.ShouldMatch(back, TypedTree.Describe(tree), "binary plist round trip");
    }

    [Fact]
    public void Probe_Signature_Certain()
    {
        byte[] bytes = Write(new JsonObject { ["a"] = 1 });

        Format.Probe(bytes).ShouldBe(1.0);
        Formats.Detect(bytes)?.Format.Name.ShouldBe("bplist");
        new PlistFormat().Probe(bytes).ShouldBe(0);
    }

    [Fact]
    public void Parse_RandomMutations_OnlySerializationExceptions()
    {
        var tree = new JsonObject
        {
            ["text"] = "hello",
            ["unicode"] = "wörld ✓",
            ["ints"] = new JsonArray(1, 300, 70_000, -5, long.MaxValue),
            ["big"] = JsonValue.Create(BigInteger.Pow(2, 70)),
            ["real"] = 2.5,
            ["date"] = JsonValue.Create(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            ["data"] = JsonValue.Create(new byte[] { 1, 2, 3 }),
            ["uid"] = new JsonObject { ["$uid"] = 3 },
            ["nested"] = new JsonArray(new JsonObject { ["k"] = new JsonArray(true, false) }, new JsonArray()),
        };
        byte[] valid = Write(tree);
        var random = new Random(20_240_301);
        int rejected = 0;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] mutated = CborFormatTests.Mutate(valid, random);
            try
            {
                Format.Parse(mutated, SerializerOptions.Default);
            }
            catch (SerializationException)
            {
                rejected++;
            }
        }

        rejected.ShouldBeGreaterThan(1000);
    }
}
