using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using XSystem.Serialization.Bson;

namespace XSystem.Serialization.Bson.Tests;

public sealed class BsonFormatTests
{
    private static readonly BsonFormat Format = new();
    private static readonly SerializerOptions Options = SerializerOptions.Default;

    private static byte[] Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, options ?? Options);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A document holding every BSON type MongoDB.Bson writes, encoded by MongoDB.Bson itself.</summary>
    internal static byte[] EveryTypeDocument()
    {
        var doc = new BsonDocument
        {
            { "double", 1.5 },
            { "doubleWhole", 2.0 },
            { "negativeZero", -0.0 },
            { "nan", double.NaN },
            { "inf", double.PositiveInfinity },
            { "string", "héllo\0world" },
            { "document", new BsonDocument { { "inner", 1 }, { "deeper", new BsonDocument("x", "y") } } },
            { "array", new BsonArray { 1, "two", new BsonArray { 3L }, new BsonDocument() } },
            { "bin0", new BsonBinaryData([1, 2, 3], BsonBinarySubType.Binary) },
            { "bin1", new BsonBinaryData([4], BsonBinarySubType.Function) },
            { "bin3", new BsonBinaryData(new byte[16], BsonBinarySubType.UuidLegacy) },
            { "bin4", new BsonBinaryData(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff").ToByteArray(bigEndian: true), BsonBinarySubType.UuidStandard) },
            { "bin5", new BsonBinaryData(new byte[16], BsonBinarySubType.MD5) },
            { "bin6", new BsonBinaryData([9, 9], BsonBinarySubType.Encrypted) },
            { "bin7", new BsonBinaryData([0x10, 0, 0, 0, 0, 0, 0, 0], BsonBinarySubType.Column) },
            { "bin8", new BsonBinaryData([1], BsonBinarySubType.Sensitive) },
            { "binEmpty", new BsonBinaryData([], BsonBinarySubType.Binary) },
            { "bin80", new BsonBinaryData([7, 7, 7], BsonBinarySubType.UserDefined) },
            { "undefined", BsonUndefined.Value },
            { "oid", ObjectId.Parse("5f1b2c3d4e5f60718293a4b5") },
            { "true", true },
            { "false", false },
            { "date", new BsonDateTime(1_700_000_000_123) },
            { "dateWhole", new BsonDateTime(0) },
            { "datePre1970", new BsonDateTime(-86_400_000) },
            { "dateFar", new BsonDateTime(300_000_000_000_000) },
            { "null", BsonNull.Value },
            { "regex", new BsonRegularExpression("^a.*b$", "imx") },
            { "code", new BsonJavaScript("function() { return 1; }") },
            { "symbol", BsonSymbol.Create("sym") },
            { "codeWithScope", new BsonJavaScriptWithScope("x + y", new BsonDocument { { "x", 1 }, { "y", new BsonDocument("z", 2L) } }) },
            { "int32", int.MinValue },
            { "timestamp", new BsonTimestamp(1_600_000_000, 42) },
            { "int64", long.MaxValue },
            { "int64Small", 5L },
            { "decimal", Decimal128.Parse("1.10") },
            { "decimalBig", Decimal128.Parse("-1.234567890123456789012345678901234E+6000") },
            { "decimalNaN", Decimal128.QNaN },
            { "minKey", BsonMinKey.Value },
            { "maxKey", BsonMaxKey.Value },
        };
        return doc.ToBson();
    }

    /// <summary>The deprecated types MongoDB.Bson no longer writes (old binary subtype 2, DBPointer), built by hand.</summary>
    internal static byte[] DeprecatedTypesDocument()
    {
        var bytes = new List<byte> { 0, 0, 0, 0 };

        // "old": binary subtype 2 with its inner length.
        bytes.AddRange([0x05, (byte)'o', (byte)'l', (byte)'d', 0]);
        bytes.AddRange(LittleEndian(7));
        bytes.Add(0x02);
        bytes.AddRange(LittleEndian(3));
        bytes.AddRange([0xAA, 0xBB, 0xCC]);

        // "ptr": DBPointer (string namespace + 12-byte ObjectId).
        bytes.AddRange([0x0C, (byte)'p', (byte)'t', (byte)'r', 0]);
        bytes.AddRange(LittleEndian(5));
        bytes.AddRange("db.c"u8.ToArray());
        bytes.Add(0);
        bytes.AddRange(Convert.FromHexString("5f1b2c3d4e5f60718293a4b5"));
        bytes.Add(0);
        byte[] result = [.. bytes];
        BinaryPrimitives.WriteInt32LittleEndian(result, result.Length);
        return result;
    }

    private static byte[] LittleEndian(int value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    [Fact]
    public void RoundTrip_EveryBsonType_ByteForByte()
    {
        byte[] original = EveryTypeDocument();

        JsonNode? tree = Format.Parse(original, Options);
        byte[] back = Write(tree);

        back.ShouldBe(original);
    }

    [Fact]
    public void RoundTrip_DeprecatedTypes_ByteForByte()
    {
        byte[] original = DeprecatedTypesDocument();

        JsonNode? tree = Format.Parse(original, Options);

        tree!["old"]!["$binary"]!["base64"]!.GetValue<string>().ShouldBe(Convert.ToBase64String([0xAA, 0xBB, 0xCC]));
        tree["old"]!["$binary"]!["subType"]!.GetValue<string>().ShouldBe("02");
        tree["ptr"]!["$dbPointer"]!["$ref"]!.GetValue<string>().ShouldBe("db.c");
        tree["ptr"]!["$dbPointer"]!["$id"]!["$oid"]!.GetValue<string>().ShouldBe("5f1b2c3d4e5f60718293a4b5");
        Write(tree).ShouldBe(original);
    }

    [Fact]
    public void RoundTrip_EveryBsonTypeThroughJsonText_SameBytesExceptNumberWidths()
    {
        // Through JSON text the tree loses int32/double widths, but every Extended JSON shape survives.
        var source = new BsonDocument
        {
            { "oid", ObjectId.Parse("5f1b2c3d4e5f60718293a4b5") },
            { "date", new BsonDateTime(1_700_000_000_123) },
            { "bin", new BsonBinaryData(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(), BsonBinarySubType.UuidStandard) },
            { "ts", new BsonTimestamp(5, 6) },
            { "re", new BsonRegularExpression("a", "i") },
            { "dec", Decimal128.Parse("3.14") },
            { "min", BsonMinKey.Value },
            { "long", long.MaxValue },
        };
        byte[] original = source.ToBson();

        string json = Format.Parse(original, Options)!.ToJsonString();
        byte[] back = Write(JsonNode.Parse(json));

        back.ShouldBe(original);
    }

    [Fact]
    public void Parse_Types_MapToExtendedJsonRelaxed()
    {
        JsonNode tree = Format.Parse(EveryTypeDocument(), Options)!;

        tree["double"]!.GetValue<double>().ShouldBe(1.5);
        tree["int32"]!.GetValue<int>().ShouldBe(int.MinValue);
        tree["int64"]!.GetValue<long>().ShouldBe(long.MaxValue);
        tree["oid"]!["$oid"]!.GetValue<string>().ShouldBe("5f1b2c3d4e5f60718293a4b5");
        tree["date"]!["$date"]!.GetValue<string>().ShouldBe("2023-11-14T22:13:20.123Z");
        tree["dateWhole"]!["$date"]!.GetValue<string>().ShouldBe("1970-01-01T00:00:00Z");
        tree["datePre1970"]!["$date"]!["$numberLong"]!.GetValue<string>().ShouldBe("-86400000");
        tree["decimal"]!["$numberDecimal"]!.GetValue<string>().ShouldBe("1.10");
        tree["bin4"]!["$binary"]!["subType"]!.GetValue<string>().ShouldBe("04");
        tree["timestamp"]!["$timestamp"]!["t"]!.GetValue<long>().ShouldBe(1_600_000_000);
        tree["timestamp"]!["$timestamp"]!["i"]!.GetValue<long>().ShouldBe(42);
        tree["regex"]!["$regularExpression"]!["pattern"]!.GetValue<string>().ShouldBe("^a.*b$");
        tree["regex"]!["$regularExpression"]!["options"]!.GetValue<string>().ShouldBe("imx");
        tree["code"]!["$code"]!.GetValue<string>().ShouldBe("function() { return 1; }");
        tree["codeWithScope"]!["$scope"]!["y"]!["z"]!.GetValue<long>().ShouldBe(2);
        tree["symbol"]!["$symbol"]!.GetValue<string>().ShouldBe("sym");
        tree["undefined"]!["$undefined"]!.GetValue<bool>().ShouldBeTrue();
        tree["minKey"]!["$minKey"]!.GetValue<int>().ShouldBe(1);
        tree["maxKey"]!["$maxKey"]!.GetValue<int>().ShouldBe(1);
        tree["string"]!.GetValue<string>().ShouldBe("héllo\0world");
        tree["null"].ShouldBeNull();
    }

    [Fact]
    public void Parse_ExtendedJsonShapes_MatchMongoRelaxedOutput()
    {
        var doc = new BsonDocument
        {
            { "oid", ObjectId.Parse("5f1b2c3d4e5f60718293a4b5") },
            { "dec", Decimal128.Parse("1.10") },
            { "bin", new BsonBinaryData(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(), BsonBinarySubType.UuidStandard) },
            { "ts", new BsonTimestamp(7, 8) },
            { "re", new BsonRegularExpression("x", "i") },
            { "min", BsonMinKey.Value },
            { "max", BsonMaxKey.Value },
            { "long", 1234567890123L },
            { "str", "s" },
        };
        JsonNode mongo = JsonNode.Parse(doc.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.RelaxedExtendedJson }))!;

        JsonNode ours = Format.Parse(doc.ToBson(), Options)!;

        JsonNode.DeepEquals(ours, mongo).ShouldBeTrue($"ours {ours.ToJsonString()}\nmongo {mongo.ToJsonString()}");
    }

    [Fact]
    public void Write_NativeTreeValues_PickBsonTypes()
    {
        var tree = new JsonObject
        {
            ["int"] = 5,
            ["long"] = 5L,
            ["json"] = JsonNode.Parse("7"),
            ["double"] = 1.0,
            ["bytes"] = JsonValue.Create(new byte[] { 1, 2 }),
            ["when"] = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(1)),
            ["decimal"] = 12.50m,
            ["guid"] = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"),
        };

        BsonDocument doc = MongoDB.Bson.Serialization.BsonSerializer.Deserialize<BsonDocument>(Write(tree));

        doc["int"].BsonType.ShouldBe(BsonType.Int32);
        doc["long"].BsonType.ShouldBe(BsonType.Int64);
        doc["json"].BsonType.ShouldBe(BsonType.Int64);
        doc["double"].BsonType.ShouldBe(BsonType.Double);
        doc["bytes"].AsBsonBinaryData.Bytes.ShouldBe(new byte[] { 1, 2 });
        doc["bytes"].AsBsonBinaryData.SubType.ShouldBe(BsonBinarySubType.Binary);
        doc["when"].ToUniversalTime().ShouldBe(new DateTime(2024, 1, 2, 2, 4, 5, 678, DateTimeKind.Utc));
        doc["decimal"].AsDecimal128.ShouldBe(Decimal128.Parse("12.50"));
        doc["guid"].AsBsonBinaryData.SubType.ShouldBe(BsonBinarySubType.UuidStandard);
    }

    [Fact]
    public void Write_ExtendedJsonFromText_BecomesBsonTypes()
    {
        JsonNode tree = JsonNode.Parse("""
            {"id": {"$oid": "5f1b2c3d4e5f60718293a4b5"}, "at": {"$date": "2020-05-06T07:08:09.010Z"},
             "n": {"$numberLong": "42"}, "i": {"$numberInt": "7"}, "d": {"$numberDouble": "-Infinity"},
             "notShape": {"$oid": "nothex"}}
            """)!;

        BsonDocument doc = MongoDB.Bson.Serialization.BsonSerializer.Deserialize<BsonDocument>(Write(tree));

        doc["id"].AsObjectId.ShouldBe(ObjectId.Parse("5f1b2c3d4e5f60718293a4b5"));
        doc["at"].ToUniversalTime().ShouldBe(new DateTime(2020, 5, 6, 7, 8, 9, 10, DateTimeKind.Utc));
        doc["n"].AsInt64.ShouldBe(42);
        doc["i"].AsInt32.ShouldBe(7);
        doc["d"].AsDouble.ShouldBe(double.NegativeInfinity);
        doc["notShape"].BsonType.ShouldBe(BsonType.Document);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("5")]
    [InlineData("null")]
    public void Write_NonObjectRoot_Throws(string json) =>
        Should.Throw<SerializationException>(() => Write(JsonNode.Parse(json))).Message.ShouldContain("root");

    [Fact]
    public void Write_IntegerBeyond64Bits_ThrowsNamingPath()
    {
        var tree = new JsonObject { ["a"] = new JsonObject { ["b"] = JsonValue.Create(BigInteger.Pow(2, 64)) } };

        Should.Throw<SerializationException>(() => Write(tree)).Path.ShouldBe("$.a.b");
    }

    [Fact]
    public void Write_KeyWithZeroCharacter_Throws()
    {
        var tree = new JsonObject { ["a\0b"] = 1 };

        Should.Throw<SerializationException>(() => Write(tree)).Message.ShouldContain("zero character");
    }

    [Fact]
    public void Write_ExtendedShapesAtMaxDepth_DoNotCountAsLevels()
    {
        var tree = new JsonObject { ["when"] = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        var options = new SerializerOptions { MaxDepth = 1 };

        JsonNode? back = Format.Parse(Write(tree, options), options);

        back!["when"]!["$date"]!.GetValue<string>().ShouldBe("2024-01-01T00:00:00Z");
    }

    public static TheoryData<byte[]> MalformedDocuments() => new()
    {
        new byte[] { 5, 0, 0, 0 },                                  // shorter than 5 bytes
        new byte[] { 6, 0, 0, 0, 0 },                               // length prefix larger than input
        new byte[] { 5, 0, 0, 0, 1 },                               // missing terminator
        new byte[] { 0xff, 0xff, 0xff, 0x7f, 0 },                   // length prefix 2 GiB
        new byte[] { 12, 0, 0, 0, 0x02, (byte)'a', 0, 0xff, 0xff, 0xff, 0x7f, 0 }, // string length 2 GiB
        new byte[] { 13, 0, 0, 0, 0x03, (byte)'a', 0, 0xff, 0, 0, 0, 0, 0 }, // embedded document length past parent
        new byte[] { 13, 0, 0, 0, 0x05, (byte)'a', 0, 0xff, 0xff, 0xff, 0xff, 0, 0 }, // negative binary length
        new byte[] { 9, 0, 0, 0, 0x08, (byte)'a', 0, 2, 0 },        // boolean byte 2
        new byte[] { 8, 0, 0, 0, 0x42, (byte)'a', 0, 0 },           // unknown element type
        new byte[] { 8, 0, 0, 0, 0x0A, (byte)'a', (byte)'b', 0 },   // name without terminator inside the document
        new byte[] { 13, 0, 0, 0, 0x02, (byte)'a', 0, 2, 0, 0, 0, 0xc3, 0 }, // invalid UTF-8 string
    };

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public void Parse_Malformed_ThrowsSerializationException(byte[] bytes)
    {
        var ex = Should.Throw<SerializationException>(() => Format.Parse(bytes, Options));

        ex.FormatName.ShouldBe("bson");
    }

    [Fact]
    public void Parse_DuplicateNames_Throws()
    {
        byte[] bytes = [15, 0, 0, 0, 0x0A, (byte)'a', 0, 0x0A, (byte)'a', 0, 0x0A, (byte)'b', 0, 0, 0];
        bytes[0] = (byte)(bytes.Length - 2);
        bytes = bytes[..^2];

        Should.Throw<SerializationException>(() => Format.Parse(bytes, Options)).Message.ShouldContain("twice");
    }

    [Fact]
    public void Parse_Deep_ThrowsLimit()
    {
        byte[] deep = BsonFormatContractTests.DeepDocument(100);

        Should.Throw<SerializationLimitException>(() => Format.Parse(deep, Options)).LimitName.ShouldBe("MaxDepth");
        Format.Parse(BsonFormatContractTests.DeepDocument(63), Options).ShouldNotBeNull();
    }

    [Fact]
    public void Formats_NameExtensionMediaType_ResolveBson()
    {
        Formats.Bson.ShouldBeOfType<BsonFormat>();
        Formats.FromExtension(".bson").Name.ShouldBe("bson");
        Formats.FromMediaType("application/bson").Name.ShouldBe("bson");
    }

    [Fact]
    public void Detect_BsonDocument_PicksBsonWithHighConfidence()
    {
        // 0x8X length bytes would also look like a MessagePack fixmap; BSON must win.
        var doc = new BsonDocument { { "name", new string('x', 100) }, { "n", 1 } };
        byte[] bytes = doc.ToBson();

        FormatMatch? match = Formats.Detect(bytes);

        match.ShouldNotBeNull();
        match.Value.Format.Name.ShouldBe("bson");
        match.Value.Confidence.ShouldBeGreaterThan(0.9);
    }

    [Fact]
    public void Probe_CutSampleOfLargeDocument_StillPlausible()
    {
        var doc = new BsonDocument { { "blob", new BsonBinaryData(new byte[20_000]) } };
        byte[] bytes = doc.ToBson();

        Format.Probe(bytes.AsSpan(0, Formats.DetectionSampleSize)).ShouldBeGreaterThan(0.5);
    }

    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d })] // {"a":1}
    [InlineData(new byte[] { 0x81, 0xa1, 0x61, 0x01 })] // MessagePack map
    [InlineData(new byte[] { 9, 0, 0, 0, 0x42, (byte)'a', 0, 0, 0 })] // unknown first type
    public void Probe_OtherContent_ScoresZero(byte[] bytes) => Format.Probe(bytes).ShouldBe(0);
}
