using System.Text;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.Csv.Tests;

/// <summary>
/// The direct CSV/TSV -> JSON Lines copy (no tree per record) must write what the general record path writes (byte for
/// byte, except that inferred numbers keep their cell's text), and fail the same way.
/// </summary>
public sealed class JsonLinesDirectTests
{
    public static TheoryData<string, string, bool> Inputs => new()
    {
        { "csv", "name,city,note\r\nAda,London,\"says \"\"hi\"\"\"\r\nGrace,\"New\nYork\",\r\n", false },
        { "csv", "\uFEFFa,b\n1,2\n\n3,4\n", false },
        { "csv", "n,price,flag,code,big,exp\n1,1.50,true,007,123456789012345678901234567890,1e3\n-0,,false,0x1F,-9223372036854775809,2.5E-3\n", true },
        { "csv", "n,price,flag,code,big,exp\n1,1.50,true,007,123456789012345678901234567890,1e3\n-0,,false,0x1F,-9223372036854775809,2.5E-3\n", false },
        { "csv", "emoji,ctrl\n\"😀 ok\",\"tab\there\"\n\"\u00e9\u00e8\",\"<tag> & 'q'\"\n", false },
        { "tsv", "a\tb\n1\tx y\n2\t\n", true },
        { "csv", "a;b\n1;2\n3;4\n", false },
    };

    private static SerializerOptions Options(bool inferTypes) =>
        new() { FormatOptions = [new CsvOptions { InferTypes = inferTypes }] };

    private static IRecordFormat FormatFor(string name) => (IRecordFormat)(name == "tsv" ? Formats.Tsv : Formats.Csv);

    private static async Task<byte[]> ThroughTree(string name, byte[] input, SerializerOptions options)
    {
        using var output = new MemoryStream();
        IRecordFormat format = FormatFor(name);
        await ((IRecordFormat)Formats.JsonLines).WriteRecordsAsync(output, format.ReadRecordsAsync(new MemoryStream(input), options, TestContext.Current.CancellationToken), options, TestContext.Current.CancellationToken);
        return output.ToArray();
    }

    private static async Task<byte[]> Direct(string name, byte[] input, SerializerOptions options)
    {
        using var output = new MemoryStream();
        await ((IJsonLinesSource)FormatFor(name)).WriteJsonLinesAsync(new MemoryStream(input), output, options, TestContext.Current.CancellationToken);
        return output.ToArray();
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task WriteJsonLinesAsync_SameBytesAsTheRecordPath(string format, string text, bool inferTypes)
    {
        byte[] input = Encoding.UTF8.GetBytes(text);
        SerializerOptions options = Options(inferTypes);

        byte[] expected = await ThroughTree(format, input, options);
        byte[] actual = await Direct(format, input, options);

        actual.ShouldNotBeEmpty();
        if (!inferTypes)
        {
            Encoding.UTF8.GetString(actual).ShouldBe(Encoding.UTF8.GetString(expected));
            return;
        }

        // With InferTypes, numbers keep the text of their cell ("1.50", "1e3", "-0"), as the whole-document reader
        // does; the tree path re-renders them ("1.5", "1000", "0"). The values are the same.
        string[] actualLines = Encoding.UTF8.GetString(actual).Split('\n');
        string[] expectedLines = Encoding.UTF8.GetString(expected).Split('\n');
        actualLines.Length.ShouldBe(expectedLines.Length);
        for (int i = 0; i < actualLines.Length; i++)
        {
            if (actualLines[i].Length == 0)
            {
                expectedLines[i].ShouldBeEmpty();
                continue;
            }

            System.Text.Json.Nodes.JsonNode.DeepEquals(
                System.Text.Json.Nodes.JsonNode.Parse(actualLines[i]),
                System.Text.Json.Nodes.JsonNode.Parse(expectedLines[i])).ShouldBeTrue($"line {i + 1}: {actualLines[i]} vs {expectedLines[i]}");
        }
    }

    [Fact]
    public async Task WriteJsonLinesAsync_RaggedRow_SameErrorAndLine()
    {
        byte[] input = "a,b\n1,2\n3\n"u8.ToArray();

        var viaTree = await Should.ThrowAsync<SerializationException>(() => ThroughTree("csv", input, SerializerOptions.Default));
        var direct = await Should.ThrowAsync<SerializationException>(() => Direct("csv", input, SerializerOptions.Default));

        direct.Line.ShouldBe(3);
        direct.Line.ShouldBe(viaTree.Line);
        direct.Message.ShouldBe(viaTree.Message);
    }

    [Fact]
    public async Task WriteJsonLinesAsync_RecordOverMaxBytes_LimitException()
    {
        byte[] input = Encoding.UTF8.GetBytes("a\nshort\n" + new string('x', 5000) + "\n");

        await Should.ThrowAsync<SerializationLimitException>(() => Direct("csv", input, new SerializerOptions { MaxBytes = 1000 }));
    }

    [Fact]
    public async Task ConvertAsync_CsvFileToJsonLinesFile_UsesTheDirectPathAndMatchesTheRecordPath()
    {
        string dir = Path.Combine(Path.GetTempPath(), "xsys-jsonl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var text = new StringBuilder("id,name,score\n");
            for (int i = 0; i < 5000; i++)
            {
                text.Append(i).Append(",\"name ").Append(i).Append(", jr\",").Append(i * 0.5).Append('\n');
            }

            byte[] input = Encoding.UTF8.GetBytes(text.ToString());
            string csvPath = Path.Combine(dir, "in.csv");
            string jsonlPath = Path.Combine(dir, "out.jsonl");
            await File.WriteAllBytesAsync(csvPath, input, TestContext.Current.CancellationToken);

            await Serializer.ConvertAsync(csvPath, jsonlPath, cancellationToken: TestContext.Current.CancellationToken);

            byte[] written = await File.ReadAllBytesAsync(jsonlPath, TestContext.Current.CancellationToken);
            written.ShouldBe(await ThroughTree("csv", input, SerializerOptions.Default));
            File.ReadLines(jsonlPath).Count().ShouldBe(5000);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
