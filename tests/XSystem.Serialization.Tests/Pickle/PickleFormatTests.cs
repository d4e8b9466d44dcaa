using System.Buffers;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Pickle;

public sealed class PickleFormatTests
{
    private static readonly PickleFormat Format = new();

    private static JsonNode? Parse(byte[] data, SerializerOptions? options = null) => Format.Parse(data, options ?? SerializerOptions.Default);

    private static byte[] Write(JsonNode? tree)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, SerializerOptions.Default);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    [Fact]
    public void Formats_NameAliasExtensionAndMediaType_ResolveToPickle()
    {
        Formats.FromName("pkl").ShouldBeOfType<PickleFormat>();
        Formats.FromExtension(".pickle").ShouldBeOfType<PickleFormat>();
        Formats.Pickle.Capabilities.HasFlag(FormatCapabilities.Text).ShouldBeFalse();
    }

    [Fact]
    public void Parse_SelfReferencingList_ThrowsCycleError()
    {
        // a = []; a.append(a)
        var ex = Should.Throw<SerializationException>(() => Parse(Bytes("\u0080\u0002]q\u0000h\u0000a.")));

        ex.Message.ShouldContain("cyclic");
        ex.ShouldNotBeOfType<UnsafePickleException>();
    }

    [Fact]
    public void Parse_SharedReferenceExplosion_ThrowsItemLimit()
    {
        // Each list holds the previous one twice: 2^40 nodes once expanded.
        var data = new List<byte> { 0x80, 0x02, (byte)']', (byte)'q', 0 };
        for (int i = 1; i <= 40; i++)
        {
            data.AddRange([(byte)']', (byte)'(', (byte)'h', (byte)(i - 1), (byte)'h', (byte)(i - 1), (byte)'e', (byte)'q', (byte)i]);
        }

        data.Add((byte)'.');

        var options = new SerializerOptions { FormatOptions = [new PickleOptions { MaxItems = 100_000 }] };

        var ex = Should.Throw<SerializationLimitException>(() => Parse([.. data], options));

        ex.LimitName.ShouldBe("PickleOptions.MaxItems");
    }

    [Fact]
    public void Parse_MoreItemsThanMaxItems_ThrowsLimit()
    {
        byte[] data = Write(new JsonArray(Enumerable.Range(0, 100).Select(i => (JsonNode)JsonValue.Create(i)).ToArray()));
        var options = new SerializerOptions { FormatOptions = [new PickleOptions { MaxItems = 50 }] };

        Should.Throw<SerializationLimitException>(() => Parse(data, options)).Message.ShouldContain("MaxItems");
    }

    [Fact]
    public void Parse_DeeperThanMaxDepth_ThrowsLimitWithPath()
    {
        byte[] data = [0x80, 0x02, .. Enumerable.Repeat((byte)']', 10), .. Enumerable.Repeat((byte)'a', 9), (byte)'.'];

        var ex = Should.Throw<SerializationLimitException>(() => Parse(data, new SerializerOptions { MaxDepth = 5 }));

        ex.LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_EveryPrefixOfAValidPickle_ThrowsSerializationException()
    {
        byte[] valid = File.ReadAllBytes(PickleExpectation.Fixture("small_protocol4.pkl"));

        for (int length = 0; length < valid.Length; length++)
        {
            Should.Throw<SerializationException>(() => Parse(valid[..length]), $"prefix of {length} bytes");
        }
    }

    [Theory]
    [InlineData("\u0080\u0004\u008d\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u007f", "claims")] // BINUNICODE8 with a 2^63 length
    [InlineData("\u0080\u0004\u008e\u0000\u0000\u0000\u0000\u0001\u0000\u0000\u0000", "claims")] // BINBYTES8 with 4 GiB
    [InlineData("\u0080\u0003X\u00ff\u00ff\u00ff\u00ff", "claims")] // BINUNICODE with 4 GiB
    [InlineData("\u0080\u0004\u0095\u00ff\u00ff\u00ff\u00ff\u0000\u0000\u0000\u0000N.", "FRAME")]
    [InlineData("\u0080\u0002\u008b\u00ff\u00ff\u00ff\u007f", "LONG4")]
    public void Parse_LengthPastTheEnd_ThrowsWithoutAllocating(string latin1, string expected)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Should.Throw<SerializationException>(() => Parse(Bytes(latin1)));

        ex.Message.ShouldContain(expected);
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(1_000_000);
    }

    [Theory]
    [InlineData("\u0080\u0006N.", "protocol 6")]
    [InlineData("\u0080\u0002\u00ffN.", "unknown opcode")]
    [InlineData("\u0080\u0002a.", "stack is empty")]
    [InlineData("\u0080\u0002h\u0005.", "memo entry 5")]
    [InlineData("\u0080\u0002e.", "MARK")]
    [InlineData("\u0080\u0002N", "STOP")]
    [InlineData("\u0080\u0005\u0097.", "out-of-band")]
    [InlineData("\u0080\u0002K\u0001P1\n.", "persistent")]
    [InlineData("\u0080\u0002(K\u0001d.", "odd number")]
    [InlineData("\u0080\u0002]K\u0001K\u0002s.", "SETITEM applies to a dict")]
    public void Parse_MalformedPickle_ThrowsSerializationExceptionSayingWhat(string latin1, string expected)
    {
        var ex = Should.Throw<SerializationException>(() => Parse(Bytes(latin1)));

        ex.Message.ShouldContain(expected);
        ex.FormatName.ShouldBe("pickle");
    }

    [Fact]
    public void Parse_ExtensionCode_ThrowsUnsafePickleException() =>
        Should.Throw<UnsafePickleException>(() => Parse(Bytes("\u0080\u0002\u0082\u0001)\u0081."))).GlobalName.ShouldBe("copyreg extension code 1");

    [Theory]
    [InlineData("datetime", "datetime.__class__")]
    [InlineData("datetime", "sys")]
    [InlineData("builtins", "getattr")]
    [InlineData("builtins", "__import__")]
    [InlineData("collections", "OrderedDict.fromkeys")]
    [InlineData("copyreg", "_reconstructor")]
    [InlineData("decimal", "getcontext")]
    public void Parse_StackGlobalNearTheAllowList_IsRejectedByExactName(string module, string name)
    {
        byte[] data = [0x80, 0x04, .. ShortUnicode(module), .. ShortUnicode(name), 0x93, (byte)')', (byte)'R', (byte)'.'];

        var ex = Should.Throw<UnsafePickleException>(() => Parse(data));

        ex.GlobalName.ShouldBe(module + "." + name);
        ex.Offset.ShouldNotBeNull();
    }

    private static byte[] ShortUnicode(string text) => [0x8C, (byte)text.Length, .. Encoding.ASCII.GetBytes(text)];

    [Fact]
    public void Parse_GlobalAloneAsResult_ThrowsSerializationException() =>
        Should.Throw<SerializationException>(() => Parse([0x80, 0x04, .. ShortUnicode("datetime"), .. ShortUnicode("date"), 0x93, (byte)'.']))
            .Message.ShouldContain("callable");

    [Fact]
    public void Parse_StrKeyAndIntKeyWithTheSameText_ThrowsInsteadOfLosingOne()
    {
        // {1: 'a', '1': 'b'}
        var ex = Should.Throw<SerializationException>(() => Parse(Bytes("\u0080\u0002}(K\u0001X\u0001\u0000\u0000\u0000aX\u0001\u0000\u0000\u00001X\u0001\u0000\u0000\u0000bu.")));

        ex.Message.ShouldContain("'1'");
    }

    [Fact]
    public void Parse_SameStrKeyTwice_LastValueWinsAsInPython()
    {
        JsonNode? tree = Parse(Bytes("\u0080\u0002}(X\u0001\u0000\u0000\u0000kK\u0001X\u0001\u0000\u0000\u0000kK\u0002u."));

        tree!.ToJsonString().ShouldBe("""{"k":2}""");
    }

    [Fact]
    public void Parse_BytesKey_ThrowsSayingKeysMustBeScalars() =>
        Should.Throw<SerializationException>(() => Parse(Bytes("\u0080\u0003}C\u0001xK\u0001s."))).Message.ShouldContain("bytes");

    [Fact]
    public void Parse_TrailingBytesAfterStop_AreIgnoredAsInPython() =>
        Parse(Bytes("\u0080\u0002K\u0007.garbage"))!.GetValue<long>().ShouldBe(7);

    [Fact]
    public void Parse_DatetimeFromConstructorArguments_Accepted()
    {
        // datetime.datetime(2024, 1, 2, 3, 4, 5) called with ints rather than the byte state.
        byte[] data = [0x80, 0x04, .. ShortUnicode("datetime"), .. ShortUnicode("datetime"), 0x93, (byte)'(', (byte)'M', 0xE8, 0x07, (byte)'K', 1, (byte)'K', 2, (byte)'K', 3, (byte)'K', 4, (byte)'K', 5, (byte)'t', (byte)'R', (byte)'.'];

        Parse(data)!.GetValue<DateTime>().ShouldBe(new DateTime(2024, 1, 2, 3, 4, 5));
    }

    [Fact]
    public void Parse_InvalidDatetimeState_ThrowsSerializationException()
    {
        byte[] data = [0x80, 0x04, .. ShortUnicode("datetime"), .. ShortUnicode("date"), 0x93, (byte)'C', 4, 0x07, 0xE8, 13, 40, 0x85, (byte)'R', (byte)'.'];

        Should.Throw<SerializationException>(() => Parse(data)).Message.ShouldContain("invalid date");
    }

    [Fact]
    public void RoundTrip_TypedValues_KeepTheirTypes()
    {
        var tree = new JsonObject
        {
            ["big"] = JsonValue.Create(BigInteger.Pow(-3, 301)),
            ["min"] = long.MinValue,
            ["nan"] = double.NaN,
            ["bytes"] = JsonValue.Create(new byte[] { 1, 2, 3 }),
            ["naive"] = JsonValue.Create(new DateTime(2001, 2, 3, 4, 5, 6, 789)),
            ["aware"] = JsonValue.Create(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.FromMinutes(330))),
            ["date"] = JsonValue.Create(new DateOnly(1, 1, 1)),
            ["time"] = JsonValue.Create(new TimeOnly(12, 0)),
            ["span"] = JsonValue.Create(TimeSpan.FromMilliseconds(-1500)),
            ["decimal"] = JsonValue.Create(-79228162514264337593543950335m),
            ["emptyObject"] = new JsonObject(),
        };

        JsonNode back = Parse(Write(tree))!;

        back["big"]!.GetValue<BigInteger>().ShouldBe(BigInteger.Pow(-3, 301));
        back["min"]!.GetValue<long>().ShouldBe(long.MinValue);
        double.IsNaN(back["nan"]!.GetValue<double>()).ShouldBeTrue();
        back["bytes"]!.GetValue<byte[]>().ShouldBe(new byte[] { 1, 2, 3 });
        back["naive"]!.GetValue<DateTime>().ShouldBe(new DateTime(2001, 2, 3, 4, 5, 6, 789));
        back["aware"]!.GetValue<DateTimeOffset>().Offset.ShouldBe(TimeSpan.FromMinutes(330));
        back["date"]!.GetValue<DateOnly>().ShouldBe(new DateOnly(1, 1, 1));
        back["time"]!.GetValue<TimeOnly>().ShouldBe(new TimeOnly(12, 0));
        back["span"]!.GetValue<TimeSpan>().ShouldBe(TimeSpan.FromMilliseconds(-1500));
        back["decimal"]!.GetValue<decimal>().ShouldBe(-79228162514264337593543950335m);
        back["emptyObject"].ShouldBeOfType<JsonObject>().Count.ShouldBe(0);
    }

    [Fact]
    public void Write_UtcDateTime_ReadsBackAsDateTimeOffsetAtZero() =>
        Parse(Write(JsonValue.Create(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc))))!.GetValue<DateTimeOffset>()
            .ShouldBe(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Write_SubMicrosecondTicks_AreTruncatedToMicroseconds() =>
        Parse(Write(JsonValue.Create(new TimeOnly(1, 2, 3).Add(TimeSpan.FromTicks(1_234_567)))))!.GetValue<TimeOnly>()
            .ShouldBe(new TimeOnly(1, 2, 3).Add(TimeSpan.FromTicks(1_234_560)));

    [Fact]
    public void Write_LargeTree_UsesProtocol4AndFrames()
    {
        var list = new JsonArray(Enumerable.Range(0, 50_000).Select(i => (JsonNode)JsonValue.Create("item " + i)).ToArray());

        byte[] bytes = Write(list);

        bytes[..3].ShouldBe(new byte[] { 0x80, 4, 0x95 });
        ulong firstFrame = BitConverter.ToUInt64(bytes, 3);
        firstFrame.ShouldBeLessThan((ulong)bytes.Length);
        JsonNode.DeepEquals(Parse(bytes), list).ShouldBeTrue();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Probe_ProtocolHeader_ScoresHigh(int protocol) =>
        Format.Probe(File.ReadAllBytes(PickleExpectation.Fixture($"small_protocol{protocol}.pkl"))).ShouldBeGreaterThan(0.9);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Probe_Protocol0And1_ScoreLow(int protocol)
    {
        double score = Format.Probe(File.ReadAllBytes(PickleExpectation.Fixture($"small_protocol{protocol}.pkl")));

        score.ShouldBeGreaterThan(0);
        score.ShouldBeLessThan(0.5);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"a\": 1}")]
    [InlineData("a = 1\n")]
    [InlineData("\u0080")]
    [InlineData("\u0080\u0004\u0000")]
    [InlineData("\u0080\u0009}")]
    public void Probe_OtherContent_ScoresLow(string latin1) => Format.Probe(Bytes(latin1)).ShouldBeLessThan(0.3);

    [Fact]
    public void Serializer_SaveAndLoadByExtension_RoundTripsTypedObject()
    {
        string directory = Directory.CreateTempSubdirectory("xsystem-pickle-").FullName;
        try
        {
            string path = Path.Combine(directory, "point.pkl");
            Serializer.Save(path, new Point(3, "p", [1.5, 2.5]));

            Serializer.Load<Point>(path).ShouldBe(new Point(3, "p", [1.5, 2.5]), new PointComparer());
            Formats.Detect(path)!.Value.Format.Name.ShouldBe("pickle");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public sealed record Point(int X, string Name, double[] Values);

    private sealed class PointComparer : IEqualityComparer<Point>
    {
        public bool Equals(Point? x, Point? y) => x!.X == y!.X && x.Name == y.Name && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(Point obj) => obj.X;
    }

    [Fact]
    public void Detect_Protocol5Pickle_IsPickle() =>
        Formats.Detect(File.ReadAllBytes(PickleExpectation.Fixture("protocol5.pkl")))!.Value.Format.Name.ShouldBe("pickle");
}
