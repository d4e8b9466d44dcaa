using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Csv.Tests;

public sealed class CsvFormatTests
{
    private static readonly CsvFormat Csv = new();
    private static readonly TsvFormat Tsv = new();

    private static SerializerOptions With(CsvOptions csv) => new() { FormatOptions = [csv] };

    private static JsonNode? Parse(string text, SerializerOptions? options = null, IFormat? format = null) =>
        (format ?? Csv).Parse(Encoding.UTF8.GetBytes(text), options ?? SerializerOptions.Default);

    private static string Write(JsonNode? tree, SerializerOptions? options = null, IFormat? format = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        (format ?? Csv).Write(tree, buffer, options ?? SerializerOptions.Default);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void ShouldBeJson(JsonNode? actual, string expectedJson) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expectedJson)).ShouldBeTrue($"got {actual?.ToJsonString()}");

    [Fact]
    public void Parse_HeaderAndRows_ArrayOfObjectsInHeaderOrder()
    {
        JsonNode? tree = Parse("b,a,c\n1,2,3\n4,5,6\n");

        ShouldBeJson(tree, """[{"b":"1","a":"2","c":"3"},{"b":"4","a":"5","c":"6"}]""");
        tree![0]!.AsObject().Select(p => p.Key).ShouldBe(["b", "a", "c"]);
    }

    [Theory]
    [InlineData("a,b\r\n1,2\r\n")]
    [InlineData("a,b\n1,2\n")]
    [InlineData("a,b\r1,2\r")]
    [InlineData("a,b\n1,2")]
    [InlineData("\uFEFFa,b\n1,2\n")]
    [InlineData("a,b\n\n1,2\n\n\n")]
    public void Parse_LineEndingsBomTrailingAndBlankLines_SameTable(string text) =>
        ShouldBeJson(Parse(text), """[{"a":"1","b":"2"}]""");

    [Fact]
    public void Parse_Rfc4180QuotedFields_Unescaped()
    {
        JsonNode? tree = Parse("name,quote,lines\r\n\"Doe, Jane\",\"she said \"\"hi\"\"\",\"one\r\ntwo\nthree\"\r\n");

        ShouldBeJson(tree, """[{"name":"Doe, Jane","quote":"she said \"hi\"","lines":"one\r\ntwo\nthree"}]""");
    }

    [Fact]
    public void Parse_EmptyFields_EmptyStrings()
    {
        ShouldBeJson(Parse("a,b,c\n,,\n\"\",x,\n"), """[{"a":"","b":"","c":""},{"a":"","b":"x","c":""}]""");
    }

    [Fact]
    public void Parse_HeaderOnly_EmptyArray() => ShouldBeJson(Parse("a,b\n"), "[]");

    [Fact]
    public void Parse_EmptyOrBomOnly_EmptyArray()
    {
        ShouldBeJson(Parse(""), "[]");
        ShouldBeJson(Parse("\uFEFF"), "[]");
    }

    [Fact]
    public void Parse_RowWithTooFewFields_ThrowsWithLineAndPath()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("a,b,c\n1,2,3\n4,5\n"));

        ex.FormatName.ShouldBe("csv");
        ex.Line.ShouldBe(3);
        ex.Path.ShouldBe("$[1]");
        ex.Message.ShouldContain("2 fields but the header has 3");
    }

    [Fact]
    public void Parse_RowWithTooManyFields_ThrowsWithLine()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("a,b\n\"x\ny\",2\n1,2,3\n"));

        ex.Line.ShouldBe(4);
    }

    [Fact]
    public void Parse_DuplicateHeaderNames_ThrowsNamingTheColumn()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("id,name,id\n1,2,3\n"));

        ex.Line.ShouldBe(1);
        ex.Message.ShouldContain("'id' twice");
    }

    [Fact]
    public void Parse_UnterminatedQuote_ThrowsWithLineOfTheRow()
    {
        var ex = Should.Throw<SerializationException>(() => Parse("a,b\n1,2\n3,\"never closed\n4,5\n"));

        ex.Line.ShouldBe(3);
        ex.Message.ShouldContain("not closed");
    }

    [Fact]
    public void Parse_InvalidUtf8_ThrowsWithPosition()
    {
        byte[] bytes = [.. "a,b\n1,"u8, 0xC3, 0x28, .. "\n"u8];

        var ex = Should.Throw<SerializationException>(() => Csv.Parse(bytes, SerializerOptions.Default));

        ex.Message.ShouldContain("UTF-8");
        ex.Line.ShouldBe(2);
        ex.Column.ShouldBe(3);
    }

    [Fact]
    public void Parse_WithoutHeader_ArraysOfFieldsAllowingRaggedRows()
    {
        JsonNode? tree = Parse("1,2,3\n4,5\n", With(new CsvOptions { HasHeader = false }));

        ShouldBeJson(tree, """[["1","2","3"],["4","5"]]""");
    }

    [Fact]
    public void Parse_Trim_RemovesSpacesInsideAndOutsideQuotes()
    {
        JsonNode? tree = Parse("a , b\n  1 ,\"  2  \"\n", With(new CsvOptions { Trim = true }));

        ShouldBeJson(tree, """[{"a":"1","b":"2"}]""");
    }

    [Fact]
    public void Parse_NoTrimByDefault_KeepsSpaces() =>
        ShouldBeJson(Parse("a\n  1  \n"), """[{"a":"  1  "}]""");

    [Theory]
    [InlineData("a;b\n1;2\n", ';')]
    [InlineData("a|b\n1|2\n", '|')]
    [InlineData("a\tb\n1\t2\n", '\t')]
    [InlineData("a,b\n1,2\n", ',')]
    [InlineData("name;note\nx;\"1,5 and 2,5\"\ny;\"a,b,c\"\n", ';')]
    public void Parse_DelimiterNotSet_Detected(string text, char expected)
    {
        JsonNode? tree = Parse(text);

        tree![0]!.AsObject().Count.ShouldBe(2, $"delimiter {expected} was not detected: {tree.ToJsonString()}");
    }

    [Fact]
    public void Parse_DecimalCommasInSemicolonFile_SemicolonWins() =>
        ShouldBeJson(Parse("price;qty\n1,50;2\n3,25;4\n"), """[{"price":"1,50","qty":"2"},{"price":"3,25","qty":"4"}]""");

    [Fact]
    public void Parse_ExplicitDelimiter_Used() =>
        ShouldBeJson(Parse("a;b,c\n1;2,3\n", With(new CsvOptions { Delimiter = ';' })), """[{"a":"1","b,c":"2,3"}]""");

    [Fact]
    public void Parse_Tsv_AlwaysSplitsOnTabs() =>
        ShouldBeJson(Parse("a,x\tb\n1,2\t3\n", format: Tsv), """[{"a,x":"1,2","b":"3"}]""");

    [Fact]
    public void Parse_InferTypes_TypedValuesByTheDocumentedRules()
    {
        const string Text = "i,neg,big,huge,real,exp,t,f,empty,zip,plus,nan,text\n" +
            "42,-7,123456789012345678901,123456789012345678901234567890123,1.5,-2e10,true,FALSE,,007,+1,NaN,hi\n";

        JsonNode row = Parse(Text, With(new CsvOptions { InferTypes = true }))![0]!;

        row["i"]!.GetValue<long>().ShouldBe(42);
        row["neg"]!.GetValue<long>().ShouldBe(-7);
        row["big"]!.GetValue<decimal>().ShouldBe(123456789012345678901m);
        row["huge"]!.ToJsonString().ShouldBe("123456789012345678901234567890123");
        row["real"]!.GetValue<double>().ShouldBe(1.5);
        row["exp"]!.GetValue<double>().ShouldBe(-2e10);
        row["t"]!.GetValue<bool>().ShouldBeTrue();
        row["f"]!.GetValue<bool>().ShouldBeFalse();
        row.AsObject().ContainsKey("empty").ShouldBeTrue();
        row["empty"].ShouldBeNull();
        row["zip"]!.GetValue<string>().ShouldBe("007");
        row["plus"]!.GetValue<string>().ShouldBe("+1");
        row["nan"]!.GetValue<string>().ShouldBe("NaN");
        row["text"]!.GetValue<string>().ShouldBe("hi");
    }

    [Fact]
    public void Parse_InferTypesOff_EverythingStaysString() =>
        ShouldBeJson(Parse("a,b,c\n1,true,\n"), """[{"a":"1","b":"true","c":""}]""");

    [Fact]
    public void Parse_OverMaxBytes_LimitExceptionBeforeParsing()
    {
        var ex = Should.Throw<SerializationLimitException>(() => Parse("a\n" + new string('x', 500), new SerializerOptions { MaxBytes = 100 }));

        ex.LimitName.ShouldBe("MaxBytes");
    }

    [Fact]
    public void Write_Table_HeaderThenRowsWithCrlf() =>
        Write(JsonNode.Parse("""[{"id":1,"name":"Ada"},{"id":2,"name":"Linus"}]""")).ShouldBe("id,name\r\n1,Ada\r\n2,Linus\r\n");

    [Fact]
    public void Write_FieldsNeedingQuotes_QuotedWithDoubledQuotes() =>
        Write(JsonNode.Parse("""[{"a":"x,y","b":"say \"hi\"","c":"two\nlines","d":"plain"}]"""))
            .ShouldBe("a,b,c,d\r\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",plain\r\n");

    [Fact]
    public void Write_NewLineLf_UsedAfterEveryRow() =>
        Write(JsonNode.Parse("""[{"a":"1"}]"""), With(new CsvOptions { NewLine = "\n" })).ShouldBe("a\n1\n");

    [Fact]
    public void Write_QuoteAll_EveryFieldQuoted() =>
        Write(JsonNode.Parse("""[{"a":"1","b":2}]"""), With(new CsvOptions { QuoteAll = true })).ShouldBe("\"a\",\"b\"\r\n\"1\",\"2\"\r\n");

    [Fact]
    public void Write_ExplicitDelimiter_UsedAndQuotedAround() =>
        Write(JsonNode.Parse("""[{"a":"1;2","b":"3,4"}]"""), With(new CsvOptions { Delimiter = ';' })).ShouldBe("a;b\r\n\"1;2\";3,4\r\n");

    [Fact]
    public void Write_Tsv_TabsAndQuotedTabInField() =>
        Write(JsonNode.Parse("""[{"a":"x\ty","b":"1,2"}]"""), format: Tsv).ShouldBe("a\tb\r\n\"x\ty\"\t1,2\r\n");

    [Fact]
    public void Write_SingleColumnEmptyValue_QuotedSoTheRowSurvives()
    {
        var tree = JsonNode.Parse("""[{"a":""},{"a":"x"}]""");

        string text = Write(tree);

        text.ShouldBe("a\r\n\"\"\r\nx\r\n");
        ShouldBeJson(Parse(text), """[{"a":""},{"a":"x"}]""");
    }

    [Fact]
    public void Write_RowsWithDifferentKeys_HeaderIsUnionInFirstSeenOrder()
    {
        var tree = JsonNode.Parse("""[{"a":"1"},{"b":"2","a":"3"}]""");

        string text = Write(tree, With(new CsvOptions { NullAs = "" }));

        text.ShouldBe("a,b\r\n1,\r\n3,2\r\n");
    }

    [Fact]
    public void Write_MissingKeyWithoutNullAs_ThrowsNamingThePath()
    {
        var ex = Should.Throw<SerializationException>(() => Write(JsonNode.Parse("""[{"a":"1"},{"b":"2"}]""")));

        ex.Path.ShouldBe("$[0].b");
        ex.Message.ShouldContain("NullAs");
    }

    [Fact]
    public void Write_NullWithNullAs_WrittenAsGivenAndReadBackAsNullWithInferTypes()
    {
        var options = With(new CsvOptions { NullAs = "", InferTypes = true });
        var tree = JsonNode.Parse("""[{"a":null,"b":1}]""");

        string text = Write(tree, options);

        text.ShouldBe("a,b\r\n,1\r\n");
        ShouldBeJson(Parse(text, options), """[{"a":null,"b":1}]""");
    }

    [Fact]
    public void Write_NestedValue_ThrowsNamingThePath()
    {
        var ex = Should.Throw<SerializationException>(() => Write(JsonNode.Parse("""[{"a":"1","tags":["x","y"]}]""")));

        ex.Path.ShouldBe("$[0].tags");
        ex.Message.ShouldContain("NestedAsJson");
    }

    [Fact]
    public void Write_NestedAsJson_CellHoldsCompactJson()
    {
        string text = Write(JsonNode.Parse("""[{"a":"1","tags":["x","y"]}]"""), With(new CsvOptions { NestedAsJson = true }));

        text.ShouldBe("a,tags\r\n1,\"[\"\"x\"\",\"\"y\"\"]\"\r\n");
        Parse(text)![0]!["tags"]!.GetValue<string>().ShouldBe("""["x","y"]""");
    }

    [Theory]
    [InlineData("""{"a":"1"}""", "$")]
    [InlineData("\"text\"", "$")]
    [InlineData("""[{"a":"1"},"loose"]""", "$[1]")]
    [InlineData("""[["1","2"]]""", "$[0]")]
    public void Write_NotATable_ThrowsNamingThePath(string json, string path)
    {
        var ex = Should.Throw<SerializationException>(() => Write(JsonNode.Parse(json)));

        ex.Path.ShouldBe(path);
    }

    [Fact]
    public void Write_NullTree_Throws() => Should.Throw<SerializationException>(() => Write(null));

    [Fact]
    public void Write_EmptyArray_EmptyOutputThatReadsBackEmpty()
    {
        string text = Write(new JsonArray());

        text.ShouldBeEmpty();
        ShouldBeJson(Parse(text), "[]");
    }

    [Fact]
    public void Write_WithoutHeader_ArraysAndObjectsAsPlainRows()
    {
        var options = With(new CsvOptions { HasHeader = false });

        string text = Write(JsonNode.Parse("""[["1","2","3"],{"a":"x","b":"y"}]"""), options);

        text.ShouldBe("1,2,3\r\nx,y\r\n");
        ShouldBeJson(Parse(text, options), """[["1","2","3"],["x","y"]]""");
    }

    [Fact]
    public void Write_TypedValues_InvariantText()
    {
        var row = new JsonObject
        {
            ["long"] = long.MinValue,
            ["double"] = 0.1,
            ["nan"] = double.NaN,
            ["inf"] = double.NegativeInfinity,
            ["date"] = new DateTimeOffset(2024, 2, 29, 13, 45, 0, TimeSpan.FromHours(2)),
            ["bytes"] = JsonValue.Create(new byte[] { 1, 2, 3 }),
            ["bool"] = false,
        };

        string text = Write(new JsonArray(row), With(new CsvOptions { GuardFormulas = false }));

        text.ShouldBe("long,double,nan,inf,date,bytes,bool\r\n-9223372036854775808,0.1,NaN,-Infinity,2024-02-29T13:45:00+02:00,AQID,false\r\n");
    }

    [Theory]
    [InlineData("=SUM(A1:A2)", "'=SUM(A1:A2)")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("-5", "-5")]
    [InlineData("-1.5e3", "-1.5e3")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void Write_GuardFormulasDefault_NeutralisesFormulaCellsButNotNumbers(string cell, string written)
    {
        string text = Write(new JsonArray(new JsonObject { ["h"] = cell, ["n"] = -3 }));

        text.ShouldBe($"h,n\r\n{written},-3\r\n");
    }

    [Fact]
    public void Write_GuardFormulasOff_CellsVerbatim() =>
        Write(JsonNode.Parse("""[{"f":"=1+1"}]"""), With(new CsvOptions { GuardFormulas = false })).ShouldBe("f\r\n=1+1\r\n");

    [Fact]
    public void Write_GuardFormulas_AppliesToHeaderNames() =>
        Write(JsonNode.Parse("""[{"=x":"1"}]""")).ShouldBe("'=x\r\n1\r\n");

    [Fact]
    public void RoundTrip_TrickyFields_Preserved()
    {
        var tree = new JsonArray(
            new JsonObject { ["a"] = "\"quoted\"", ["b"] = "x,\r\ny", ["c"] = " spaced ", ["d"] = "日本 🎉" },
            new JsonObject { ["a"] = "", ["b"] = "\"", ["c"] = ",", ["d"] = "\n" });

        foreach (IFormat format in new IFormat[] { Csv, Tsv })
        {
            JsonNode? back = format.Parse(Encoding.UTF8.GetBytes(Write(tree, format: format)), SerializerOptions.Default);
            JsonNode.DeepEquals(back, tree).ShouldBeTrue($"{format.Name}: {back?.ToJsonString()}");
        }
    }

    [Fact]
    public void Options_InvalidDelimiterOrNewLine_Rejected()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new CsvOptions { Delimiter = '"' });
        Should.Throw<ArgumentOutOfRangeException>(() => new CsvOptions { Delimiter = '\n' });
        Should.Throw<ArgumentOutOfRangeException>(() => new CsvOptions { Delimiter = '#' });
        Should.Throw<ArgumentOutOfRangeException>(() => new CsvOptions { NewLine = "\r" });
        new CsvOptions { Delimiter = '\t' }.Delimiter.ShouldBe('\t');
    }

    [Fact]
    public void Formats_NamesExtensionsAndMediaTypes_Resolve()
    {
        Formats.Csv.ShouldBeOfType<CsvFormat>();
        Formats.Tsv.ShouldBeOfType<TsvFormat>();
        Formats.FromName("tab").ShouldBeOfType<TsvFormat>();
        Formats.FromExtension(".tab").ShouldBeOfType<TsvFormat>();
        Formats.FromMediaType("text/tab-separated-values").ShouldBeOfType<TsvFormat>();
    }
}
