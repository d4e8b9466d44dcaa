using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Ini;

public sealed class IniFormatTests
{
    private static readonly IniFormat Format = new();

    private static SerializerOptions With(IniOptions ini) => new() { FormatOptions = [ini] };

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
    public void Parse_SectionsAndTopLevelKeys_MapToTwoLevels() =>
        AssertJson(Parse("name = demo\n[server]\nhost = example.org\nport = 8080\n"), """{"name":"demo","server":{"host":"example.org","port":"8080"}}""");

    [Theory]
    [InlineData("; semicolon comment\na = 1")]
    [InlineData("# hash comment\na = 1")]
    [InlineData("   ; indented comment\na = 1\n\n\n")]
    public void Parse_FullLineComments_Skipped(string text) => AssertJson(Parse(text), """{"a":"1"}""");

    [Fact]
    public void Parse_ColonSeparator_Accepted() => AssertJson(Parse("a: 1\nb : two"), """{"a":"1","b":"two"}""");

    [Fact]
    public void Parse_FirstSeparatorWins() => AssertJson(Parse("url = http://x:80/a=b"), """{"url":"http://x:80/a=b"}""");

    [Fact]
    public void Parse_WhiteSpaceAroundKeysAndValues_Trimmed() => AssertJson(Parse("  key   =   some value  \t"), """{"key":"some value"}""");

    [Fact]
    public void Parse_EmptyValue_IsEmptyString() => AssertJson(Parse("a =\nb="), """{"a":"","b":""}""");

    [Theory]
    [InlineData("a = \"  padded  \"", "  padded  ")]
    [InlineData("a = '  single  '", "  single  ")]
    [InlineData("a = 'C:\\temp\\new'", "C:\\temp\\new")]
    [InlineData("a = C:\\temp\\new", "C:\\temp\\new")]
    [InlineData("a = \"tab\\there\\nline \\\"q\\\" \\\\ \\u00e9\"", "tab\there\nline \"q\" \\ é")]
    [InlineData("a = \"\"", "")]
    [InlineData("a = it's", "it's")]
    public void Parse_QuotedValues_QuotesRemoved(string text, string expected) => Parse(text)!["a"]!.GetValue<string>().ShouldBe(expected);

    [Theory]
    [InlineData("a = \"open")]
    [InlineData("a = \"x\" trailing")]
    [InlineData("a = \"bad \\q escape\"")]
    public void Parse_BadQuotedValues_Throw(string text) => Should.Throw<SerializationException>(() => Parse(text));

    [Fact]
    public void Parse_InlineComments_OffByDefault() => AssertJson(Parse("a = 80 ; http"), """{"a":"80 ; http"}""");

    [Fact]
    public void Parse_InlineComments_WhenEnabled_Stripped() =>
        AssertJson(Parse("a = 80 ; http\nb = x#y\n[s] # c\nc = \"q;\" ; c", With(new IniOptions { InlineComments = true })), """{"a":"80","b":"x#y","s":{"c":"q;"}}""");

    [Fact]
    public void Parse_KeyWithoutSeparator_ThrowsWithLine()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("a = 1\n\njustakey\n"));
        ex.Line.ShouldBe(3);
        ex.Column.ShouldBe(1);
        ex.Message.ShouldContain("AllowKeysWithoutValue");
    }

    [Fact]
    public void Parse_KeyWithoutSeparator_WhenAllowed_IsNull() =>
        AssertJson(Parse("[s]\nflag\n", With(new IniOptions { AllowKeysWithoutValue = true })), """{"s":{"flag":null}}""");

    [Fact]
    public void Parse_DuplicateKey_ErrorByDefault()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("[s]\na = 1\na = 2"));
        ex.Line.ShouldBe(3);
        ex.Message.ShouldContain("[s]");
        ex.Message.ShouldContain("DuplicateKeys");
    }

    [Fact]
    public void Parse_DuplicateKey_LastWins() =>
        AssertJson(Parse("a = 1\nb = 0\na = 2", With(new IniOptions { DuplicateKeys = IniDuplicateKeys.LastWins })), """{"a":"2","b":"0"}""");

    [Fact]
    public void Parse_DuplicateKey_Array() =>
        AssertJson(Parse("a = 1\nb = 0\na = 2\na = 3", With(new IniOptions { DuplicateKeys = IniDuplicateKeys.Array })), """{"a":["1","2","3"],"b":"0"}""");

    [Fact]
    public void Parse_KeyCasePreserve_IsCaseSensitive() => AssertJson(Parse("Name = a\nname = b"), """{"Name":"a","name":"b"}""");

    [Fact]
    public void Parse_KeyCaseInsensitive_DetectsDuplicatesKeepsFirstSpelling()
    {
        var insensitive = new IniOptions { KeyCase = IniKeyCase.Insensitive };
        Should.Throw<SerializationException>(() => Parse("Name = a\nNAME = b", With(insensitive)));
        AssertJson(
            Parse("Name = a\nNAME = b\n[Sec]\nx = 1\n[SEC]\ny = 2", With(new IniOptions { KeyCase = IniKeyCase.Insensitive, DuplicateKeys = IniDuplicateKeys.LastWins })),
            """{"Name":"b","Sec":{"x":"1","y":"2"}}""");
    }

    [Fact]
    public void Parse_KeyCaseLower_LowersKeysAndSections() =>
        AssertJson(Parse("[Server]\nHost = X", With(new IniOptions { KeyCase = IniKeyCase.Lower })), """{"server":{"host":"X"}}""");

    [Fact]
    public void Parse_RepeatedSection_Merged() => AssertJson(Parse("[s]\na = 1\n[t]\nb = 2\n[s]\nc = 3"), """{"s":{"a":"1","c":"3"},"t":{"b":"2"}}""");

    [Fact]
    public void Parse_DottedSectionName_KeptFlat() => AssertJson(Parse("[a.b]\nx = 1"), """{"a.b":{"x":"1"}}""");

    [Fact]
    public void Parse_SectionNamedLikeTopLevelKey_Throws() =>
        Should.Throw<SerializationException>(() => Parse("s = 1\n[s]\nx = 2")).Line.ShouldBe(2);

    [Theory]
    [InlineData("[unclosed\na = 1")]
    [InlineData("[]\na = 1")]
    [InlineData("= value")]
    public void Parse_MalformedLines_Throw(string text) => Should.Throw<SerializationException>(() => Parse(text)).Line.ShouldBe(1);

    [Fact]
    public void Parse_CrLfAndBom_Handled() =>
        AssertJson(Format.Parse([0xEF, 0xBB, 0xBF, .. "a = 1\r\n[s]\r\nb = 2\r\n"u8], SerializerOptions.Default), """{"a":"1","s":{"b":"2"}}""");

    [Fact]
    public void Parse_InvalidUtf8_Throws() => Should.Throw<SerializationException>(() => Format.Parse([(byte)'a', (byte)'=', 0xC3], SerializerOptions.Default));

    [Fact]
    public void Write_TopLevelScalarsFirst_ThenSections()
    {
        var tree = new JsonObject { ["s"] = new JsonObject { ["x"] = 1 }, ["name"] = "demo", ["flag"] = true };
        Write(tree).ShouldBe("name = demo\nflag = true\n\n[s]\nx = 1\n");
    }

    [Theory]
    [InlineData("  padded  ")]
    [InlineData("\"starts with a quote")]
    [InlineData("'single")]
    [InlineData("semi;colon")]
    [InlineData("line\nbreak\r\nand \\ backslash")]
    [InlineData("control\u0001char")]
    [InlineData("lone \uD800 surrogate")]
    [InlineData("")]
    [InlineData("= and : inside")]
    public void Write_AwkwardValues_RoundTripExactly(string value)
    {
        var tree = new JsonObject { ["s"] = new JsonObject { ["v"] = value } };
        Parse(Write(tree))!["s"]!["v"]!.GetValue<string>().ShouldBe(value);
    }

    [Fact]
    public void Write_NestedObject_ThrowsWithPath() =>
        Should.Throw<SerializationException>(() => Write(JsonNode.Parse("""{"s":{"t":{"u":1}}}"""))).Path.ShouldBe("$.s.t");

    [Fact]
    public void Write_Null_ThrowsWithPath_OrWritesBareKeyWhenAllowed()
    {
        var tree = new JsonObject { ["s"] = new JsonObject { ["gone"] = null } };
        Should.Throw<SerializationException>(() => Write(tree)).Path.ShouldBe("$.s.gone");
        SerializerOptions allow = With(new IniOptions { AllowKeysWithoutValue = true });
        string text = Write(tree, allow);
        text.ShouldBe("[s]\ngone\n");
        AssertJson(Parse(text, allow), """{"s":{"gone":null}}""");
    }

    [Fact]
    public void Write_Array_ThrowsUnlessArrayPolicy()
    {
        JsonNode tree = JsonNode.Parse("""{"s":{"a":["1","2"]}}""")!;
        Should.Throw<SerializationException>(() => Write(tree)).Path.ShouldBe("$.s.a");
        SerializerOptions arrays = With(new IniOptions { DuplicateKeys = IniDuplicateKeys.Array });
        string text = Write(tree, arrays);
        text.ShouldBe("[s]\na = 1\na = 2\n");
        AssertJson(Parse(text, arrays), tree.ToJsonString());
    }

    [Fact]
    public void Write_SingleItemArray_ThrowsEvenWithArrayPolicy() =>
        Should.Throw<SerializationException>(() => Write(JsonNode.Parse("""{"a":["1"]}"""), With(new IniOptions { DuplicateKeys = IniDuplicateKeys.Array })));

    [Theory]
    [InlineData("a=b")]
    [InlineData("a:b")]
    [InlineData(" padded")]
    [InlineData("[x")]
    [InlineData(";x")]
    [InlineData("")]
    public void Write_UnwritableKey_ThrowsWithPath(string key) =>
        Should.Throw<SerializationException>(() => Write(new JsonObject { [key] = "v" })).Path.ShouldNotBeNull();

    [Fact]
    public void Write_KeysDifferingOnlyInCase_ThrowWhenCaseInsensitive() =>
        Should.Throw<SerializationException>(() => Write(new JsonObject { ["a"] = "1", ["A"] = "2" }, With(new IniOptions { KeyCase = IniKeyCase.Insensitive })));

    [Fact]
    public void Write_NonObjectRoot_Throws()
    {
        Should.Throw<SerializationException>(() => Write(new JsonArray(1))).Path.ShouldBe("$");
        Should.Throw<SerializationException>(() => Write(null)).Path.ShouldBe("$");
    }

    [Fact]
    public void Probe_Scores()
    {
        Format.Probe("; comment\n[section]\nkey = value\n"u8).ShouldBeGreaterThan(0.8);
        Format.Probe("name = demo\nother = thing\n"u8).ShouldBeGreaterThan(0.5);
        Format.Probe("title = \"TOML\"\n[owner]\nname = \"x\"\nport = 8080\n"u8).ShouldBeLessThan(0.5);
        Format.Probe("{\"a\": 1}"u8).ShouldBe(0);
        Format.Probe("<a/>"u8).ShouldBe(0);
        Format.Probe("name: demo\nlist:\n  - a\n"u8).ShouldBeLessThan(0.5);
        Format.Probe(""u8).ShouldBe(0);
    }

    [Fact]
    public void Formats_LookupsFindIni()
    {
        Formats.FromName("ini").ShouldBeOfType<IniFormat>();
        Formats.FromExtension("setup.cfg").ShouldBeOfType<IniFormat>();
        Formats.FromMediaType("text/x-ini").ShouldBeOfType<IniFormat>();
    }
}
