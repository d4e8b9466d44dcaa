using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using nietras.SeparatedValues;
using XSystem.Serialization.Csv.Internal;

namespace XSystem.Serialization.Csv.Tests;

/// <summary>
/// The fast paths for typed records (rows mapped a batch at a time, the all-string mapping, synchronous reading of
/// memory streams, the whole-document typed path) agree with the slow paths (rows through JSON text, the tree) on
/// seeded random tables, and report errors at the same line after the same records.
/// </summary>
public sealed class FastPathTests
{
    private static readonly CsvFormat Csv = new();

    public sealed class Person
    {
        public string Id { get; set; } = string.Empty;

        public string? First { get; set; }

        public string? Last { get; set; }

        public string City { get; set; } = "unset";

        public string? Note { get; set; }
    }

    /// <summary>A random table: quoted cells with delimiters, quotes and line breaks, empty cells, an extra column and no Note column.</summary>
    private static string RandomTable(int seed, int rows)
    {
        var random = new Random(seed);
        string[] cells = ["plain", "", "with, comma", "with \"quotes\"", "two\nlines", "crlf\r\nbreak", " spaced ", "ü ß €", "x"];
        var text = new StringBuilder("Id,First,Extra,Last,City\r\n");
        for (int i = 0; i < rows; i++)
        {
            text.Append('r').Append(i);
            for (int c = 0; c < 4; c++)
            {
                string cell = cells[random.Next(cells.Length)];
                text.Append(',');
                bool quote = cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 || random.Next(4) == 0;
                text.Append(quote ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell);
            }

            text.Append(random.Next(3) == 0 ? "\n" : "\r\n");
            if (random.Next(50) == 0)
            {
                text.Append("\r\n");
            }
        }

        return text.ToString();
    }

    private static async Task<List<T?>> ReadAsync<T>(Stream stream, bool forceJson = false, SerializerOptions? options = null)
    {
        var list = new List<T?>();
        await foreach (T? item in DelimitedReader.ReadTypedAsync<T>(stream, options ?? SerializerOptions.Default, Dialect.Csv, forceJson, TestContext.Current.CancellationToken))
        {
            list.Add(item);
        }

        return list;
    }

    private static string Show(IEnumerable<Person?> people) => JsonSerializer.Serialize(people);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 63)]
    [InlineData(3, 64)]
    [InlineData(4, 65)]
    [InlineData(5, 3000)]
    public async Task AllPaths_RandomTable_AgreeWithThePathThroughJson(int seed, int rows)
    {
        byte[] data = Encoding.UTF8.GetBytes(RandomTable(seed, rows));

        string expected = Show(await ReadAsync<Person>(new MemoryStream(data), forceJson: true));
        string inMemory = Show(await ReadAsync<Person>(new MemoryStream(data)));
        string trickled = Show(await ReadAsync<Person>(new TrickleStream(data, 7)));
        string list = Show(Serializer.Deserialize<List<Person>>(data, Csv)!);
        string array = Show(Serializer.Deserialize<Person[]>(data, Csv)!);
        string readOnly = Show(Serializer.Deserialize<IReadOnlyList<Person>>(data, Csv)!);
        string tree = Show(((JsonArray)Serializer.Parse(data, Csv)!).Deserialize<List<Person>>()!);

        JsonNode.Parse(expected)!.AsArray().Count.ShouldBe(rows);
        inMemory.ShouldBe(expected);
        trickled.ShouldBe(expected);
        list.ShouldBe(expected);
        array.ShouldBe(expected);
        readOnly.ShouldBe(expected);
        tree.ShouldBe(expected);
    }

    [Fact]
    public void Mapper_StringRecords_UseTheStringFastPath()
    {
        using var strings = new TypedRowMapper<Person>("csv", new CsvOptions(), new JsonSerializerOptions());
        using var inferred = new TypedRowMapper<Person>("csv", new CsvOptions { InferTypes = true }, new JsonSerializerOptions());
        using var rows = new SepReaderOptions(new Sep(',')) { HasHeader = false }.FromText("Id,City\nr1,Oslo\n");

        rows.MoveNext().ShouldBeTrue();
        strings.TryMap(rows, out _).ShouldBeFalse();
        inferred.TryMap(rows, out _).ShouldBeFalse();
        rows.MoveNext().ShouldBeTrue();
        strings.TryMap(rows, out Person? a).ShouldBeTrue();
        inferred.TryMap(rows, out Person? b).ShouldBeTrue();

        strings.UsesStringFactory.ShouldBeTrue();
        inferred.UsesStringFactory.ShouldBeFalse();
        a!.City.ShouldBe("Oslo");
        b!.City.ShouldBe("Oslo");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(2000)]
    public async Task AllPaths_RaggedRowAtAKnownLine_SameErrorAfterTheSameRecords(int goodRows)
    {
        var text = new StringBuilder("Id,City\n");
        for (int i = 0; i < goodRows; i++)
        {
            text.Append('r').Append(i).Append(",c\n");
        }

        text.Append("bad,row,extra\nr,c\n");
        byte[] data = Encoding.UTF8.GetBytes(text.ToString());
        long line = goodRows + 2;

        foreach (Func<Stream> open in new Func<Stream>[] { () => new MemoryStream(data), () => new TrickleStream(data, 5) })
        {
            int seen = 0;
            SerializationException streamed = await Should.ThrowAsync<SerializationException>(async () =>
            {
                await foreach (Person? person in Serializer.ReadRecordsAsync<Person>(open(), Csv, cancellationToken: TestContext.Current.CancellationToken))
                {
                    person!.Id.ShouldBe("r" + seen);
                    seen++;
                }
            });
            streamed.Line.ShouldBe(line);
            seen.ShouldBe(goodRows);
        }

        SerializationException whole = Should.Throw<SerializationException>(() => Serializer.Deserialize<List<Person>>(data, Csv));
        whole.Line.ShouldBe(line);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5000)]
    public async Task AllPaths_UnclosedQuoteInTheLastRow_Throws(int goodRows)
    {
        var text = new StringBuilder("Id,City\n");
        for (int i = 0; i < goodRows; i++)
        {
            text.Append('r').Append(i).Append(",\"c, \"\"q\"\"\"\n");
        }

        text.Append("r,\"never closed\nmore\n");
        byte[] data = Encoding.UTF8.GetBytes(text.ToString());

        (await Should.ThrowAsync<SerializationException>(() => ReadAsync<Person>(new MemoryStream(data))))
            .Problem.ShouldContain("not closed");
        (await Should.ThrowAsync<SerializationException>(() => ReadAsync<Person>(new TrickleStream(data, 11))))
            .Problem.ShouldContain("not closed");
        Should.Throw<SerializationException>(() => Serializer.Deserialize<Person[]>(data, Csv))
            .Problem.ShouldContain("not closed");
    }

    [Fact]
    public async Task ReadRecordsAsync_CancelledInsideABatch_StopsAtTheNextRecord()
    {
        byte[] data = Encoding.UTF8.GetBytes(RandomTable(7, 500));
        using var cts = new CancellationTokenSource();
        int count = 0;

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (Person? person in Serializer.ReadRecordsAsync<Person>(new MemoryStream(data), Csv, cancellationToken: cts.Token))
            {
                _ = person;
                if (++count == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });

        count.ShouldBe(3);
    }

    public sealed class Measurement
    {
        public string Name { get; set; } = string.Empty;

        public int Count { get; set; }

        public double? Value { get; set; }
    }

    [Fact]
    public void Deserialize_ListOfTypedRecords_CellsParsedByPropertyType()
    {
        byte[] data = "Name,Count,Value\r\na,1,2.5\r\nb,2,\r\n"u8.ToArray();

        List<Measurement> list = Serializer.Deserialize<List<Measurement>>(data, Csv)!;

        list.Count.ShouldBe(2);
        list[0].Count.ShouldBe(1);
        list[0].Value.ShouldBe(2.5);
        list[1].Value.ShouldBeNull();
    }

    [Fact]
    public void Deserialize_CellThatDoesNotConvert_ReportsLineAndPath()
    {
        byte[] data = "Name,Count\na,1\nb,many\n"u8.ToArray();

        SerializationException error = Should.Throw<SerializationException>(() => Serializer.Deserialize<Measurement[]>(data, Csv));

        error.Line.ShouldBe(3);
        error.Path.ShouldBe("$[1].Count");
    }

    [Fact]
    public void Deserialize_LargerThanMaxBytes_ThrowsLimit()
    {
        byte[] data = Encoding.UTF8.GetBytes(RandomTable(9, 100));

        Should.Throw<SerializationLimitException>(() => Serializer.Deserialize<List<Person>>(data, Csv, new SerializerOptions { MaxBytes = 100 }));
    }

    [Fact]
    public void Deserialize_EmptyInputOrInvalidUtf8_EmptyListOrErrorWithOffset()
    {
        Serializer.Deserialize<List<Person>>([], Csv)!.ShouldBeEmpty();
        Serializer.Deserialize<Person[]>("\uFEFF"u8.ToArray(), Csv)!.ShouldBeEmpty();

        SerializationException error = Should.Throw<SerializationException>(() => Serializer.Deserialize<List<Person>>([.. "Id\nab"u8, 0xFF, (byte)'\n'], Csv));
        error.Problem.ShouldContain("UTF-8");
    }

    [Fact]
    public void Deserialize_NotAListOfRecords_GoesThroughTheTree()
    {
        byte[] data = "Id,City\nr1,Oslo\n"u8.ToArray();

        List<Dictionary<string, string>> rows = Serializer.Deserialize<List<Dictionary<string, string>>>(data, Csv)!;
        JsonArray tree = Serializer.Deserialize<JsonArray>(data, Csv)!;

        rows[0]["City"].ShouldBe("Oslo");
        tree[0]!["Id"]!.GetValue<string>().ShouldBe("r1");
        Csv.Capabilities.HasFlag(FormatCapabilities.Typed).ShouldBeTrue();
    }

    [Fact]
    public void Serialize_ListOfRecords_RoundTripsThroughTheTypedPath()
    {
        var people = new List<Person> { new() { Id = "1", First = "a, b", Last = "q\"", City = "x", Note = "n" } };

        byte[] bytes = Serializer.Serialize(people, Csv);
        List<Person> back = Serializer.Deserialize<List<Person>>(bytes, Csv)!;

        Show(back).ShouldBe(Show(people));
    }
}
