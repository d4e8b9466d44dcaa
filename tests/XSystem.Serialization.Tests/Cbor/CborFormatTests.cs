using System.Buffers;
using System.Formats.Cbor;
using System.Numerics;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Cbor;

public sealed class CborFormatTests
{
    private static readonly CborFormat Format = new();

    private static byte[] Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, options ?? SerializerOptions.Default);
        return buffer.WrittenSpan.ToArray();
    }

    private static JsonNode? Parse(string hex, SerializerOptions? options = null) =>
        Format.Parse(Convert.FromHexString(hex), options ?? SerializerOptions.Default);

    private static SerializerOptions With(CborOptions cbor) => new() { FormatOptions = [cbor] };

    [Fact]
    public void Write_Deterministic_SortsKeysByBytewiseOrderOfEncodings()
    {
        var tree = new JsonObject { ["bb"] = 1, ["a"] = 2, ["aaa"] = 3, ["b"] = 4, ["é"] = 5, ["z"] = new JsonObject { ["y"] = 1, ["x"] = 2 } };

        byte[] bytes = Write(tree, With(new CborOptions { Deterministic = true }));

        // Collect the encoded keys of the top-level map and check they are in bytewise order.
        var reader = new CborReader(bytes);
        int count = reader.ReadStartMap()!.Value;
        var encodedKeys = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            encodedKeys.Add(reader.ReadEncodedValue().ToArray());
            reader.SkipValue();
        }

        for (int i = 1; i < encodedKeys.Count; i++)
        {
            encodedKeys[i - 1].AsSpan().SequenceCompareTo(encodedKeys[i]).ShouldBeLessThan(0);
        }

        Convert.ToHexStringLower(bytes).ShouldStartWith("a6616102616204617a");
    }

    [Fact]
    public void Write_DeterministicEqualTreesInAnyKeyOrder_GiveIdenticalBytes()
    {
        var one = new JsonObject { ["name"] = "x", ["size"] = 1.5, ["tags"] = new JsonArray("a", "b") };
        var two = new JsonObject { ["tags"] = new JsonArray("a", "b"), ["size"] = 1.5, ["name"] = "x" };
        SerializerOptions options = With(new CborOptions { Deterministic = true });

        Write(one, options).ShouldBe(Write(two, options));
        Write(one).ShouldNotBe(Write(two));
    }

    [Fact]
    public void Write_Floats_UsePreferredShortestEncoding()
    {
        Convert.ToHexStringLower(Write(JsonValue.Create(1.5))).ShouldBe("f93e00");
        Convert.ToHexStringLower(Write(JsonValue.Create(100000.0))).ShouldBe("fa47c35000");
        Convert.ToHexStringLower(Write(JsonValue.Create(1.1))).ShouldBe("fb3ff199999999999a");
        Convert.ToHexStringLower(Write(JsonNode.Parse("1e300"))).ShouldBe("fb7e37e43c8800759c");
        Convert.ToHexStringLower(Write(JsonNode.Parse("24"))).ShouldBe("1818");
    }

    [Fact]
    public void Parse_DuplicateKeys_Rejected()
    {
        Should.Throw<SerializationException>(() => Parse("a2616101616102")).Message.ShouldContain("duplicate", Case.Insensitive);
        Should.Throw<SerializationException>(() => Parse("a2616101616102", With(new CborOptions { Strict = false }))).Message.ShouldContain("twice");
    }

    [Fact]
    public void Parse_IntegerKeyCollidingWithTextKey_Rejected()
    {
        // {1: "x", "1": "y"}: distinct in CBOR, the same key in the tree.
        var ex = Should.Throw<SerializationException>(() => Parse("a201617861316179", With(new CborOptions { Strict = false })));

        ex.Message.ShouldContain("'1'");
    }

    [Fact]
    public void Parse_InvalidUtf8_StrictRejectsLaxReplaces()
    {
        Should.Throw<SerializationException>(() => Parse("62c328"));

        Parse("62c328", With(new CborOptions { Strict = false }))!.GetValue<string>().ShouldBe("\ufffd(");
    }

    [Fact]
    public void Parse_ScalarKeys_BecomeInvariantStrings()
    {
        // {1: 1, -2: 2, true: 3, null: 4, 1.5: 5, h'01': 6}
        JsonNode tree = Parse("a601012102f503f604f93e0005410106")!;

        tree.AsObject().Select(p => p.Key).ShouldBe(["1", "-2", "true", "null", "1.5", "AQ=="]);
    }

    [Fact]
    public void Parse_ContainerKey_Rejected()
    {
        Should.Throw<SerializationException>(() => Parse("a18001")).Message.ShouldContain("array or a map");
    }

    [Fact]
    public void RoundTrip_TypedValues_Preserved()
    {
        var tree = new JsonObject
        {
            ["bytes"] = JsonValue.Create(new byte[] { 0, 1, 2, 255 }),
            ["when"] = JsonValue.Create(new DateTimeOffset(2024, 2, 29, 13, 45, 10, 123, TimeSpan.FromHours(2))),
            ["day"] = JsonValue.Create(new DateOnly(2024, 2, 29)),
            ["big"] = JsonValue.Create(BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture)),
            ["negbig"] = JsonValue.Create(-BigInteger.Pow(2, 100)),
            ["nan"] = double.NaN,
            ["tag"] = new JsonObject { ["$tag"] = 37, ["value"] = JsonValue.Create(new byte[16]) },
            ["simple"] = new JsonObject { ["$simple"] = 99 },
        };

        JsonNode back = Format.Parse(Write(tree), SerializerOptions.Default)!;

        back["bytes"]!.GetValue<byte[]>().ShouldBe(new byte[] { 0, 1, 2, 255 });
        back["when"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(2024, 2, 29, 13, 45, 10, 123, TimeSpan.FromHours(2)));
        back["when"]!.GetValue<DateTimeOffset>().Offset.ShouldBe(TimeSpan.FromHours(2));
        back["day"]!.GetValue<DateOnly>().ShouldBe(new DateOnly(2024, 2, 29));
        back["big"]!.GetValue<BigInteger>().ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("123456789012345678901234567890");
        back["negbig"]!.GetValue<BigInteger>().ShouldBe(-BigInteger.Pow(2, 100));
        double.IsNaN(back["nan"]!.GetValue<double>()).ShouldBeTrue();
        back["tag"]!["$tag"]!.GetValue<long>().ShouldBe(37);
        back["tag"]!["value"]!.GetValue<byte[]>().Length.ShouldBe(16);
        back["simple"]!["$simple"]!.GetValue<long>().ShouldBe(99);
    }

    [Fact]
    public void Parse_SelfDescribeTag_Skipped()
    {
        Parse("d9d9f7a1616101")!["a"]!.GetValue<long>().ShouldBe(1);
    }

    [Theory]
    [InlineData("9b0000000100000000")] // array claiming 2^32 items
    [InlineData("bb00000001000000000000")] // map claiming 2^32 pairs
    [InlineData("5b00000001000000000000")] // byte string claiming 4 GiB
    [InlineData("7affffffff61")] // text string claiming 4 GiB
    [InlineData("83010203ff")] // trailing byte
    [InlineData("8301")] // truncated
    [InlineData("c06161")] // tag 0 over a non-date
    [InlineData("c07818323031332d31332d32315432303a30343a30305a")] // month 13
    [InlineData("c1fb7ff0000000000000")] // tag 1 over infinity
    [InlineData("c26161")] // bignum over text
    [InlineData("ff")] // break outside an indefinite item
    [InlineData("")] // empty
    public void Parse_MalformedOrHostile_ThrowsSerializationException(string hex)
    {
        var ex = Should.Throw<SerializationException>(() => Parse(hex));

        ex.FormatName.ShouldBe("cbor");
    }

    [Fact]
    public void Parse_OversizedBignum_Rejected()
    {
        byte[] magnitude = new byte[20_000];
        magnitude[0] = 1;
        var writer = new CborWriter();
        writer.WriteTag(CborTag.UnsignedBigNum);
        writer.WriteByteString(magnitude);

        Should.Throw<SerializationException>(() => Format.Parse(writer.Encode(), SerializerOptions.Default)).Message.ShouldContain("bignum");
    }

    [Fact]
    public void Parse_DeepTags_LimitedByMaxDepth()
    {
        byte[] tags = new byte[10_001];
        tags.AsSpan(0, 10_000).Fill(0xC6); // tag 6, nested
        tags[^1] = 0x00;

        Should.Throw<SerializationLimitException>(() => Format.Parse(tags, SerializerOptions.Default)).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Probe_SelfDescribeTag_High()
    {
        Format.Probe(Convert.FromHexString("d9d9f7a1616101")).ShouldBeGreaterThanOrEqualTo(0.9);
        Formats.Detect(Convert.FromHexString("d9d9f7a1616101"))?.Format.Name.ShouldBe("cbor");
    }

    [Theory]
    [InlineData("{\"a\": 1}")]
    [InlineData("[1, 2]")]
    [InlineData("name: value")]
    public void Probe_Text_Zero(string text)
    {
        Format.Probe(System.Text.Encoding.UTF8.GetBytes(text)).ShouldBe(0);
    }

    [Fact]
    public void Probe_MalformedMapHeader_Zero()
    {
        Format.Probe(Convert.FromHexString("a2616101")).ShouldBe(0);
    }

    [Fact]
    public void Parse_RandomMutations_OnlySerializationExceptions()
    {
        // A document with every kind of item, mutated 10,000 times (seeded, reproducible).
        var tree = new JsonObject
        {
            ["text"] = "hello wörld",
            ["ints"] = new JsonArray(0, 23, 24, 255, 65536, -1, -1000, long.MaxValue, long.MinValue),
            ["reals"] = new JsonArray(1.5, 1.1, double.NaN, 1e300),
            ["bytes"] = JsonValue.Create(new byte[] { 1, 2, 3 }),
            ["date"] = JsonValue.Create(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            ["big"] = JsonValue.Create(BigInteger.Pow(10, 30)),
            ["nested"] = new JsonObject { ["a"] = new JsonArray(new JsonObject { ["b"] = null, ["c"] = true }) },
            ["tag"] = new JsonObject { ["$tag"] = 32, ["value"] = "http://example.com" },
        };
        byte[] valid = Write(tree);
        var random = new Random(20_240_229);
        int rejected = 0;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] mutated = Mutate(valid, random);
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

    internal static byte[] Mutate(byte[] valid, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                // Truncate.
                return valid[..random.Next(valid.Length)];
            case 1:
                {
                    // Insert random bytes.
                    int at = random.Next(valid.Length);
                    byte[] extra = new byte[1 + random.Next(8)];
                    random.NextBytes(extra);
                    return [.. valid[..at], .. extra, .. valid[at..]];
                }

            default:
                {
                    byte[] mutated = (byte[])valid.Clone();
                    int edits = 1 + random.Next(4);
                    for (int e = 0; e < edits; e++)
                    {
                        mutated[random.Next(mutated.Length)] = random.Next(3) == 0 ? (byte)0xFF : (byte)random.Next(256);
                    }

                    return mutated;
                }
        }
    }
}
