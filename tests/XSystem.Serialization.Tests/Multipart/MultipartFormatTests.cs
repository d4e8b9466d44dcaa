using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization.Internal;
using XSystem.Serialization.Tests.Form;

namespace XSystem.Serialization.Tests.Multipart;

public sealed class MultipartFormatTests
{
    private static readonly MultipartFormat Format = new();

    private static JsonObject Parse(string text, SerializerOptions? options = null) =>
        Format.Parse(Encoding.UTF8.GetBytes(text), options ?? SerializerOptions.Default).ShouldBeOfType<JsonObject>();

    private static byte[] Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, options ?? SerializerOptions.Default);
        return buffer.WrittenSpan.ToArray();
    }

    // RFC 7578 section 4.3 shape, with a file part as in section 4.4.
    private const string Rfc7578Body =
        "--AaB03x\r\n" +
        "content-disposition: form-data; name=\"field1\"\r\n" +
        "content-type: text/plain;charset=UTF-8\r\n" +
        "content-transfer-encoding: quoted-printable\r\n" +
        "\r\n" +
        "Joe owes =E2=82=AC100.\r\n" +
        "--AaB03x\r\n" +
        "Content-Disposition: form-data; name=\"pics\"; filename=\"file1.txt\"\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "...contents of file1.txt...\r\n" +
        "--AaB03x--\r\n";

    [Fact]
    public void Parse_Rfc7578Example_FieldsAndFiles()
    {
        JsonObject tree = Parse("preamble is ignored only with a known boundary\r\n" + Rfc7578Body, new SerializerOptions
        {
            FormatOptions = [new MultipartOptions { Boundary = "AaB03x" }],
        });

        tree["field1"]!.GetValue<string>().ShouldBe("Joe owes =E2=82=AC100.");
        tree["pics"]!["filename"]!.GetValue<string>().ShouldBe("file1.txt");
        tree["pics"]!["contentType"]!.GetValue<string>().ShouldBe("text/plain");
        tree["pics"]!["content"]!.GetValue<byte[]>().ShouldBe(Encoding.ASCII.GetBytes("...contents of file1.txt..."));
    }

    [Fact]
    public void Parse_BoundaryInferredFromFirstLine() => Parse(Rfc7578Body).Count.ShouldBe(2);

    [Fact]
    public void Parse_LfOnlyLineBreaks_Accepted()
    {
        JsonObject tree = Parse(Rfc7578Body.Replace("\r\n", "\n", StringComparison.Ordinal));
        tree["pics"]!["content"]!.GetValue<byte[]>().Length.ShouldBe(27);
        tree["field1"]!.GetValue<string>().ShouldBe("Joe owes =E2=82=AC100.");
    }

    [Fact]
    public void Parse_RepeatedNames_Array()
    {
        JsonObject tree = Parse("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n--b--");
        JsonNode.DeepEquals(tree, JsonNode.Parse("""{"a":["1","2"]}""")).ShouldBeTrue();
    }

    [Fact]
    public void Parse_FilenameStar_WinsAndDecodes()
    {
        JsonObject tree = Parse("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"fallback.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\nx\r\n--b--\r\n");
        tree["f"]!["filename"]!.GetValue<string>().ShouldBe("€ rates.txt");
        tree["f"]!["contentType"]!.GetValue<string>().ShouldBe("text/plain");
    }

    [Fact]
    public void Parse_QuotedNamesWithEscapes_Unescaped()
    {
        JsonObject tree = Parse("--b\r\nContent-Disposition: form-data; name=\"a\\\"b%22c%0Ad; e\"\r\n\r\nv\r\n--b--\r\n");
        tree.Single().Key.ShouldBe("a\"b\"c\nd; e");
    }

    [Fact]
    public void Parse_FieldCharset_Honoured() =>
        Format.Parse([.. "--b\r\nContent-Disposition: form-data; name=a\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n"u8, 0xE9, .. "\r\n--b--"u8], SerializerOptions.Default)!["a"]!
            .GetValue<string>().ShouldBe("é");

    [Fact]
    public void Parse_EmptyContentAndEpilogue_Handled()
    {
        JsonObject tree = Parse("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--b--\r\nepilogue --b\r\n");
        tree["a"]!.GetValue<string>().ShouldBe(string.Empty);
    }

    [Fact]
    public void Parse_BoundaryLookalikeInContent_KeptAsContent()
    {
        JsonObject tree = Parse("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--bz\r\ny\r\n--b--\r\n");
        tree["a"]!.GetValue<string>().ShouldBe("x\r\n--bz\r\ny");
    }

    [Theory]
    [InlineData("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nno close", "closing boundary")]
    [InlineData("--b\r\nContent-Disposition: form-data; name=a\r\n", "blank line")]
    [InlineData("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "Content-Disposition")]
    [InlineData("--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--", "form-data")]
    [InlineData("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--", "no name")]
    [InlineData("--b\r\nnot a header\r\n\r\nx\r\n--b--", "malformed header")]
    [InlineData("hello world", "boundary")]
    [InlineData("", "empty")]
    public void Parse_Malformed_ThrowsSerializationException(string body, string expected)
    {
        var ex = Should.Throw<SerializationException>(() => Parse(body));
        ex.FormatName.ShouldBe("multipart");
        ex.Message.ShouldContain(expected);
    }

    [Fact]
    public void Parse_Limits_Enforced()
    {
        string body = "--b\r\nContent-Disposition: form-data; name=a\r\nX-1: 1\r\nX-2: 2\r\n\r\n0123456789\r\n--b\r\nContent-Disposition: form-data; name=b\r\n\r\n1\r\n--b--\r\n";
        Should.Throw<SerializationLimitException>(() => Parse(body, With(new MultipartOptions { MaxPartBytes = 9 }))).LimitName.ShouldBe("MaxPartBytes");
        Should.Throw<SerializationLimitException>(() => Parse(body, With(new MultipartOptions { MaxParts = 1 }))).LimitName.ShouldBe("MaxParts");
        Should.Throw<SerializationLimitException>(() => Parse(body, With(new MultipartOptions { MaxHeaderCount = 2 }))).LimitName.ShouldBe("MaxHeaderCount");
        string longHeader = "--b\r\nContent-Disposition: form-data; name=a\r\nX: " + new string('x', 200) + "\r\n\r\n1\r\n--b--\r\n";
        Should.Throw<SerializationLimitException>(() => Parse(longHeader, With(new MultipartOptions { MaxHeaderLineLength = 100 }))).LimitName.ShouldBe("MaxHeaderLineLength");
        Parse(body).Count.ShouldBe(2);
    }

    [Fact]
    public void Write_FieldsFilesArrays_RoundTrip()
    {
        var tree = new JsonObject
        {
            ["title"] = "Grüße \"quoted\"",
            ["count"] = 3,
            ["tags"] = new JsonArray("a", "b"),
            ["upload"] = new JsonObject { ["filename"] = "na\"me\r\n.bin", ["contentType"] = "application/octet-stream", ["content"] = JsonValue.Create(new byte[] { 0, 13, 10, 45, 45, 255 }) },
            ["we\"ird\nname"] = "x",
        };

        byte[] body = Write(tree);
        Encoding.UTF8.GetString(body).ShouldContain("filename=\"na%22me%0D%0A.bin\"");
        JsonObject back = Format.Parse(body, SerializerOptions.Default).ShouldBeOfType<JsonObject>();
        back["title"]!.GetValue<string>().ShouldBe("Grüße \"quoted\"");
        back["count"]!.GetValue<string>().ShouldBe("3");
        JsonNode.DeepEquals(back["tags"], new JsonArray("a", "b")).ShouldBeTrue();
        back["upload"]!["filename"]!.GetValue<string>().ShouldBe("na\"me\r\n.bin");
        back["upload"]!["content"]!.GetValue<byte[]>().ShouldBe(new byte[] { 0, 13, 10, 45, 45, 255 });
        back["we\"ird\nname"]!.GetValue<string>().ShouldBe("x");
    }

    [Fact]
    public void Write_StringContentAndMissingContentType_Defaults()
    {
        byte[] body = Write(new JsonObject { ["f"] = new JsonObject { ["filename"] = "a.txt", ["content"] = "hello" } });
        JsonNode back = Format.Parse(body, SerializerOptions.Default)!;
        back["f"]!["contentType"]!.GetValue<string>().ShouldBe("application/octet-stream");
        back["f"]!["content"]!.GetValue<byte[]>().ShouldBe("hello"u8.ToArray());
    }

    [Fact]
    public void Write_BoundaryCollision_Regenerates()
    {
        var candidates = new Queue<string>(["collide", "collide", "fresh"]);
        var buffer = new ArrayBufferWriter<byte>();

        MultipartWriter.Write(new JsonObject { ["a"] = "text with collide inside" }, buffer, SerializerOptions.Default, candidates.Dequeue);

        MultipartFormat.ReadBoundary(buffer.WrittenSpan).ShouldBe("fresh");
        candidates.Count.ShouldBe(0);
    }

    [Fact]
    public void Write_FixedBoundaryCollision_ThrowsNamingPath()
    {
        var options = With(new MultipartOptions { Boundary = "collide" });
        Should.Throw<SerializationException>(() => Write(new JsonObject { ["a"] = "x collide y" }, options)).Path.ShouldBe("$.a");
        MultipartFormat.ReadBoundary(Write(new JsonObject { ["a"] = "x" }, options)).ShouldBe("collide");
    }

    [Theory]
    [InlineData("""{"f":{"filename":"a","content":"x","extra":1}}""")]
    [InlineData("""{"f":{"filename":"a"}}""")]
    [InlineData("""{"f":{"filename":"a","content":"x","contentType":"text/plain\r\nX-Injected: 1"}}""")]
    [InlineData("""{"f":null}""")]
    [InlineData("""{"f":[]}""")]
    public void Write_Unrepresentable_Throws(string json) =>
        Should.Throw<SerializationException>(() => Write(JsonNode.Parse(json))).Path!.ShouldStartWith("$.f");

    [Fact]
    public void Write_EmptyObject_ReadsBackEmpty()
    {
        byte[] body = Write(new JsonObject());
        Format.Parse(body, SerializerOptions.Default).ShouldBeOfType<JsonObject>().Count.ShouldBe(0);
    }

    [Fact]
    public void GetContentType_OwnOutput_NamesBoundary()
    {
        byte[] body = Write(new JsonObject { ["a"] = "1" });
        string contentType = MultipartFormat.GetContentType(body);
        contentType.ShouldStartWith("multipart/form-data; boundary=");
        MultipartFormat.TryGetBoundary(contentType, out string boundary).ShouldBeTrue();
        boundary.ShouldBe(MultipartFormat.ReadBoundary(body));
        MultipartFormat.TryGetBoundary("multipart/form-data; boundary=\"a b\"", out boundary).ShouldBeTrue();
        boundary.ShouldBe("a b");
        MultipartFormat.TryGetBoundary("text/plain", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Parse_BodyFromHttpClientMultipartFormDataContent_Read()
    {
        using var content = new MultipartFormDataContent("----boundary-from-httpclient");
        content.Add(new StringContent("Ada Lovelace"), "name");
        var file = new ByteArrayContent([1, 2, 3, 0, 255]);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "avatar", "pic ü.png");
        byte[] body = await content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        MultipartFormat.TryGetBoundary(content.Headers.ContentType!.ToString(), out string boundary).ShouldBeTrue();

        JsonNode tree = Format.Parse(body, With(new MultipartOptions { Boundary = boundary }))!;

        tree["name"]!.GetValue<string>().ShouldBe("Ada Lovelace");
        tree["avatar"]!["filename"]!.GetValue<string>().ShouldBe("pic ü.png");
        tree["avatar"]!["contentType"]!.GetValue<string>().ShouldBe("image/png");
        tree["avatar"]!["content"]!.GetValue<byte[]>().ShouldBe(new byte[] { 1, 2, 3, 0, 255 });
    }

    [Fact]
    public void Registry_NamesAndDetection_Resolve()
    {
        Formats.FromName("form-data").ShouldBeOfType<MultipartFormat>();
        Formats.FromName("multipart/form-data").ShouldBeOfType<MultipartFormat>();
        Formats.Multipart.Capabilities.HasFlag(FormatCapabilities.Text).ShouldBeFalse();
        Formats.Detect(Encoding.UTF8.GetBytes(Rfc7578Body))!.Value.Format.Name.ShouldBe("multipart");
        Format.Probe("---\nkey: value\n"u8).ShouldBeLessThan(Formats.MinimumConfidence);
        Format.Probe("--x\nhello"u8).ShouldBeLessThan(Formats.MinimumConfidence);
    }

    [Fact]
    public void Parse_10000SeededMutations_OnlySerializationExceptions()
    {
        var random = new Random(7578);
        byte[] valid = Encoding.UTF8.GetBytes(Rfc7578Body.Replace("name=\"pics\"", "name=\"pics\"; filename*=UTF-8''a%20b", StringComparison.Ordinal));
        var options = With(new MultipartOptions { BracketNesting = true });
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 10_000; i++)
        {
            try
            {
                Format.Parse(FormUrlEncodedFormatTests.Mutate(random, valid), options);
            }
            catch (SerializationException)
            {
                // A clean rejection; anything else fails the test.
            }
        }

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    internal static SerializerOptions With(MultipartOptions multipart) => new() { FormatOptions = [multipart] };
}
