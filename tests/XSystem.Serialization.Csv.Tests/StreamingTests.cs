using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Csv.Tests;

/// <summary>Runs alone: the constant-memory checks read process-wide heap size, which other tests would disturb.</summary>
[CollectionDefinition(nameof(RunsAloneForMemoryChecks), DisableParallelization = true)]
public sealed class RunsAloneForMemoryChecks
{
}

[Collection(nameof(RunsAloneForMemoryChecks))]
public sealed class StreamingTests
{
    private static readonly CsvFormat Csv = new();
    private static readonly TsvFormat Tsv = new();

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task<List<JsonNode?>> ReadAll(IRecordFormat format, Stream stream, SerializerOptions? options = null)
    {
        var list = new List<JsonNode?>();
        await foreach (JsonNode? record in format.ReadRecordsAsync(stream, options ?? SerializerOptions.Default, TestContext.Current.CancellationToken))
        {
            list.Add(record);
        }

        return list;
    }

    private static async IAsyncEnumerable<JsonNode?> Records(IEnumerable<JsonNode?> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (JsonNode? item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return item;
        }
    }

    [Fact]
    public async Task ReadRecordsAsync_Rows_OneObjectEach()
    {
        List<JsonNode?> records = await ReadAll(Csv, Stream("\uFEFFa;b\r\n1;\"x\ny\"\r\n\r\n3;4"));

        records.Count.ShouldBe(2);
        JsonNode.DeepEquals(records[0], JsonNode.Parse("""{"a":"1","b":"x\ny"}""")).ShouldBeTrue(records[0]!.ToJsonString());
        JsonNode.DeepEquals(records[1], JsonNode.Parse("""{"a":"3","b":"4"}""")).ShouldBeTrue(records[1]!.ToJsonString());
    }

    [Fact]
    public async Task ReadRecordsAsync_StreamLeftOpen()
    {
        var stream = Stream("a\n1\n");

        await ReadAll(Csv, stream);

        stream.CanRead.ShouldBeTrue();
    }

    [Fact]
    public async Task ReadRecordsAsync_RaggedRow_ThrowsWithLine()
    {
        var ex = await Should.ThrowAsync<SerializationException>(() => ReadAll(Tsv, Stream("a\tb\n1\t2\n3\n")));

        ex.Line.ShouldBe(3);
        ex.FormatName.ShouldBe("tsv");
    }

    [Fact]
    public async Task ReadRecordsAsync_InvalidUtf8_SerializationException()
    {
        var stream = new MemoryStream([.. "a,b\n1,"u8, 0xFF, .. "\n"u8]);

        var ex = await Should.ThrowAsync<SerializationException>(() => ReadAll(Csv, stream));

        ex.Message.ShouldContain("UTF-8");
    }

    [Fact]
    public async Task ReadRecordsAsync_MaxBytesAppliesPerRecord_ManySmallRecordsPass()
    {
        var options = new SerializerOptions { MaxBytes = 100 };

        List<JsonNode?> records = await ReadAll(Csv, new GeneratedCsvStream(100_000), options);

        records.Count.ShouldBeGreaterThan(1000);
    }

    [Fact]
    public async Task ReadRecordsAsync_RecordOverMaxBytes_LimitExceptionWithLine()
    {
        string text = "a,b\n1,2\n3," + new string('x', 5000) + "\n";

        var ex = await Should.ThrowAsync<SerializationLimitException>(() => ReadAll(Csv, Stream(text), new SerializerOptions { MaxBytes = 1000 }));

        ex.LimitName.ShouldBe("MaxBytes");
        ex.Line.ShouldBe(3);
    }

    [Fact]
    public async Task ReadRecordsAsync_UnclosedQuoteOnHugeInput_StopsAtMaxBytes()
    {
        var text = new StringBuilder("a,b\n1,\"open\n");
        for (int i = 0; i < 10_000; i++)
        {
            text.Append("line ").Append(i).Append(",more\n");
        }

        var ex = await Should.ThrowAsync<SerializationLimitException>(() => ReadAll(Csv, Stream(text.ToString()), new SerializerOptions { MaxBytes = 4096 }));

        ex.Line.ShouldBe(2);
    }

    [Fact]
    public async Task ReadRecordsAsync_UnclosedQuoteAtEnd_SerializationException()
    {
        var ex = await Should.ThrowAsync<SerializationException>(() => ReadAll(Csv, Stream("a,b\n1,2\n\"open,3\n")));

        ex.Line.ShouldBe(3);
    }

    [Fact]
    public async Task ReadRecordsAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        var stream = new GeneratedCsvStream(10_000_000);
        int count = 0;

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (JsonNode? record in Csv.ReadRecordsAsync(stream, SerializerOptions.Default, cts.Token))
            {
                _ = record;
                if (++count == 10)
                {
                    await cts.CancelAsync();
                }
            }
        });

        count.ShouldBe(10);
    }

    [Fact]
    public async Task WriteRecordsAsync_Records_HeaderFromFirstThenRows()
    {
        var stream = new MemoryStream();
        JsonNode?[] records =
        [
            JsonNode.Parse("""{"id":1,"name":"Ada"}"""),
            JsonNode.Parse("""{"name":"Linus, T.","id":2}"""),
        ];

        await Csv.WriteRecordsAsync(stream, Records(records, TestContext.Current.CancellationToken), SerializerOptions.Default, TestContext.Current.CancellationToken);

        Encoding.UTF8.GetString(stream.ToArray()).ShouldBe("id,name\r\n1,Ada\r\n2,\"Linus, T.\"\r\n");
    }

    [Fact]
    public async Task WriteRecordsAsync_KeyNotInFirstRecord_ThrowsNamingRecord()
    {
        var stream = new MemoryStream();
        JsonNode?[] records = [JsonNode.Parse("""{"a":"1"}"""), JsonNode.Parse("""{"a":"2","extra":"x"}""")];

        var ex = await Should.ThrowAsync<SerializationException>(() =>
            Csv.WriteRecordsAsync(stream, Records(records, TestContext.Current.CancellationToken), SerializerOptions.Default, TestContext.Current.CancellationToken).AsTask());

        ex.Path.ShouldBe("$[1].extra");
    }

    [Fact]
    public async Task WriteRecordsAsync_NotAnObject_ThrowsNamingRecord()
    {
        var ex = await Should.ThrowAsync<SerializationException>(() =>
            Csv.WriteRecordsAsync(new MemoryStream(), Records([JsonNode.Parse("""{"a":"1"}"""), JsonValue.Create(5)], TestContext.Current.CancellationToken), SerializerOptions.Default, TestContext.Current.CancellationToken).AsTask());

        ex.Path.ShouldBe("$[1]");
    }

    [Fact]
    public async Task WriteThenRead_ThousandsOfRecords_RoundTrip()
    {
        var stream = new MemoryStream();
        var source = Enumerable.Range(0, 20_000).Select(i => (JsonNode?)new JsonObject { ["id"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["text"] = "row \"" + i + "\"\n" }).ToList();

        await Tsv.WriteRecordsAsync(stream, Records(source, TestContext.Current.CancellationToken), SerializerOptions.Default, TestContext.Current.CancellationToken);
        stream.Position = 0;
        List<JsonNode?> back = await ReadAll(Tsv, stream);

        back.Count.ShouldBe(source.Count);
        for (int i = 0; i < source.Count; i += 997)
        {
            JsonNode.DeepEquals(back[i], source[i]).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task ReadRecordsAsync_200MBGeneratedStream_ConstantMemory()
    {
        await ReadHugeStreamInConstantMemory(200L * 1024 * 1024);
    }

    [Fact]
    [Trait("Category", "Soak")]
    public async Task ReadRecordsAsync_1GiBGeneratedStream_ConstantMemory()
    {
        await ReadHugeStreamInConstantMemory(1024L * 1024 * 1024);
    }

    private static async Task ReadHugeStreamInConstantMemory(long bytes)
    {
        var stream = new GeneratedCsvStream(bytes);
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        long records = 0;
        long lastId = -1;
        var clock = Stopwatch.StartNew();

        await foreach (JsonNode? record in Csv.ReadRecordsAsync(stream, new SerializerOptions { MaxBytes = 1024 }, TestContext.Current.CancellationToken))
        {
            lastId = long.Parse(record!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            if (++records % 500_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        clock.Stop();
        records.ShouldBe(stream.Rows);
        lastId.ShouldBe(stream.Rows - 1);
        records.ShouldBeGreaterThan(bytes / 100);

        // Live memory after a full collection stays far below the input size: buffers only, no accumulation.
        peak.ShouldBeLessThan(16L * 1024 * 1024, $"live memory grew by {peak / 1024} KiB while reading {bytes / (1024 * 1024)} MiB");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{bytes / (1024 * 1024)} MiB, {records} records in {clock.Elapsed.TotalSeconds:F1} s ({bytes / clock.Elapsed.TotalSeconds / (1024 * 1024):F0} MiB/s); peak live growth {peak / 1024} KiB");
    }
}
