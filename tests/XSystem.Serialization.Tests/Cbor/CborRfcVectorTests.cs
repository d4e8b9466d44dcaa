using System.Buffers;
using System.Text.Json.Nodes;
using XSystem.Serialization.Tests.Plist;

namespace XSystem.Serialization.Tests.Cbor;

/// <summary>
/// The examples of RFC 8949 Appendix A as test vectors: every one decodes to the expected tree (in the typed description
/// of <see cref="TypedTree"/>), and every one in the preferred serialization encodes back to the same bytes.
/// </summary>
public sealed class CborRfcVectorTests
{
    private static readonly CborFormat Format = new();

    /// <summary>(hex, expected tree described, encodes back to the same hex).</summary>
    private static readonly (string Hex, string Expected, bool Preferred)[] Table =
    [
        ("00", "0", true),
        ("01", "1", true),
        ("0a", "10", true),
        ("17", "23", true),
        ("1818", "24", true),
        ("1819", "25", true),
        ("1864", "100", true),
        ("1903e8", "1000", true),
        ("1a000f4240", "1000000", true),
        ("1b000000e8d4a51000", "1000000000000", true),
        ("1bffffffffffffffff", """{"$bigint":"18446744073709551615"}""", true),
        ("c249010000000000000000", """{"$bigint":"18446744073709551616"}""", true),
        ("3bffffffffffffffff", """{"$bigint":"-18446744073709551616"}""", true),
        ("c349010000000000000000", """{"$bigint":"-18446744073709551617"}""", true),
        ("20", "-1", true),
        ("29", "-10", true),
        ("3863", "-100", true),
        ("3903e7", "-1000", true),
        ("f90000", """{"$real":0.0}""", true),
        ("f98000", """{"$real":-0.0}""", true),
        ("f93c00", """{"$real":1.0}""", true),
        ("fb3ff199999999999a", """{"$real":1.1}""", true),
        ("f93e00", """{"$real":1.5}""", true),
        ("f97bff", """{"$real":65504.0}""", true),
        ("fa47c35000", """{"$real":100000.0}""", true),
        ("fa7f7fffff", """{"$real":3.4028234663852886e+38}""", true),
        ("fb7e37e43c8800759c", """{"$real":1.0e+300}""", true),
        ("f90001", """{"$real":5.960464477539063e-8}""", true),
        ("f90400", """{"$real":0.00006103515625}""", true),
        ("f9c400", """{"$real":-4.0}""", true),
        ("fbc010666666666666", """{"$real":-4.1}""", true),
        ("f97c00", """{"$real":"inf"}""", true),
        ("f97e00", """{"$real":"nan"}""", true),
        ("f9fc00", """{"$real":"-inf"}""", true),
        ("fa7f800000", """{"$real":"inf"}""", false),
        ("fa7fc00000", """{"$real":"nan"}""", false),
        ("faff800000", """{"$real":"-inf"}""", false),
        ("fb7ff0000000000000", """{"$real":"inf"}""", false),
        ("fb7ff8000000000000", """{"$real":"nan"}""", false),
        ("fbfff0000000000000", """{"$real":"-inf"}""", false),
        ("f4", "false", true),
        ("f5", "true", true),
        ("f6", "null", true),
        ("f7", "null", false), // undefined reads as null (documented, lossy)
        ("f0", """{"$simple":16}""", true),
        ("f8ff", """{"$simple":255}""", true),
        ("c074323031332d30332d32315432303a30343a30305a", """{"$date":"2013-03-21T20:04:00Z"}""", true),
        ("c11a514b67b0", """{"$date":"2013-03-21T20:04:00Z"}""", false), // tag 1 reads as a date; dates are written as tag 0
        ("c1fb41d452d9ec200000", """{"$date":"2013-03-21T20:04:00.500000Z"}""", false),
        ("d74401020304", """{"$tag":23,"value":{"$data":"AQIDBA=="}}""", true),
        ("d818456449455446", """{"$tag":24,"value":{"$data":"ZElFVEY="}}""", true),
        ("d82076687474703a2f2f7777772e6578616d706c652e636f6d", """{"$tag":32,"value":"http://www.example.com"}""", true),
        ("40", """{"$data":""}""", true),
        ("4401020304", """{"$data":"AQIDBA=="}""", true),
        ("60", "\"\"", true),
        ("6161", "\"a\"", true),
        ("6449455446", "\"IETF\"", true),
        ("62225c", """ "\"\\" """, true),
        ("62c3bc", "\"\u00fc\"", true),
        ("63e6b0b4", "\"\u6c34\"", true),
        ("64f0908591", "\"\ud800\udd51\"", true),
        ("80", "[]", true),
        ("83010203", "[1,2,3]", true),
        ("8301820203820405", "[1,[2,3],[4,5]]", true),
        ("98190102030405060708090a0b0c0d0e0f101112131415161718181819", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]", true),
        ("a0", "{}", true),
        ("a201020304", """{"1":2,"3":4}""", false), // integer keys become strings (documented, lossy)
        ("a26161016162820203", """{"a":1,"b":[2,3]}""", true),
        ("826161a161626163", """["a",{"b":"c"}]""", true),
        ("a56161614161626142616361436164614461656145", """{"a":"A","b":"B","c":"C","d":"D","e":"E"}""", true),
        ("5f42010243030405ff", """{"$data":"AQIDBAU="}""", false),
        ("7f657374726561646d696e67ff", "\"streaming\"", false),
        ("9fff", "[]", false),
        ("9f018202039f0405ffff", "[1,[2,3],[4,5]]", false),
        ("9f01820203820405ff", "[1,[2,3],[4,5]]", false),
        ("83018202039f0405ff", "[1,[2,3],[4,5]]", false),
        ("83019f0203ff820405", "[1,[2,3],[4,5]]", false),
        ("9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]", false),
        ("bf61610161629f0203ffff", """{"a":1,"b":[2,3]}""", false),
        ("826161bf61626163ff", """["a",{"b":"c"}]""", false),
        ("bf6346756ef563416d7421ff", """{"Fun":true,"Amt":-2}""", false),
    ];

    public static TheoryData<string, string, bool> Vectors()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (hex, expected, preferred) in Table)
        {
            data.Add(hex, expected, preferred);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Parse_Rfc8949AppendixAVector_GivesExpectedTree(string hex, string expected, bool preferred)
    {
        _ = preferred;
        JsonNode? tree = Format.Parse(Convert.FromHexString(hex), SerializerOptions.Default);

        TypedTree.ShouldMatch(tree, JsonNode.Parse(expected), $"RFC 8949 vector {hex}");
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Write_Rfc8949AppendixAVectorTree_GivesSameBytes(string hex, string expected, bool preferred)
    {
        Assert.SkipUnless(preferred, $"{hex} is not the preferred serialization of {expected}, or reads lossily");
        JsonNode? tree = Format.Parse(Convert.FromHexString(hex), SerializerOptions.Default);
        var buffer = new ArrayBufferWriter<byte>();

        Format.Write(tree, buffer, SerializerOptions.Default);

        Convert.ToHexStringLower(buffer.WrittenSpan).ShouldBe(hex);
    }

    [Fact]
    public void Vectors_CoverAppendixA_AllDecoded()
    {
        int decoded = 0;
        foreach (var (hex, _, _) in Table)
        {
            Format.Parse(Convert.FromHexString(hex), SerializerOptions.Default);
            decoded++;
        }

        decoded.ShouldBe(81);
        Table.Count(row => row.Preferred).ShouldBe(60);
    }
}
