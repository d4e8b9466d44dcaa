using System.Text;
using System.Text.Json.Serialization;
using XSystem.Serialization.Csv.Internal;

namespace XSystem.Serialization.Csv.Tests;

/// <summary>
/// The UTF-8 reader under the CSV parser: decodes exactly what <see cref="Encoding.UTF8"/> decodes whatever the buffer
/// and request sizes (sequences cut by the buffer's end, supplementary characters handed out one char at a time), and
/// reports the offset of the first invalid byte.
/// </summary>
public sealed class StrictUtf8ReaderTests
{
    private static readonly CsvFormat Csv = new();

    /// <summary>Text with one-, two-, three- and four-byte characters (and CSV punctuation) in random order.</summary>
    private static string RandomText(Random random, int length)
    {
        string[] pieces = ["a", "Z", ",", "\"", "\r\n", "\n", "é", "ß", "€", "中", "\uFFFD", "😀", "𝄞", " "];
        var text = new StringBuilder();
        while (text.Length < length)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return text.ToString();
    }

    private static string ReadAllSync(TextReader reader, Random random)
    {
        var text = new StringBuilder();
        var buffer = new char[64];
        int read;
        while ((read = reader.Read(buffer.AsSpan(0, random.Next(1, buffer.Length + 1)))) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private static async Task<string> ReadAllAsync(TextReader reader, Random random)
    {
        var text = new StringBuilder();
        var buffer = new char[64];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(0, random.Next(1, buffer.Length + 1)), TestContext.Current.CancellationToken)) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(StrictUtf8Reader.DefaultBufferBytes)]
    public async Task Read_AnyBufferAndRequestSize_DecodesLikeEncodingUtf8(int bufferBytes)
    {
        var random = new Random(bufferBytes);
        for (int round = 0; round < 40; round++)
        {
            string expected = RandomText(random, random.Next(0, 400));
            byte[] bytes = Encoding.UTF8.GetBytes(expected);

            using (var reader = new StrictUtf8Reader(new TrickleStream(bytes, random.Next(1, 9)), bufferBytes: bufferBytes))
            {
                ReadAllSync(reader, random).ShouldBe(expected);
            }

            using (var reader = new StrictUtf8Reader(new TrickleStream(bytes, random.Next(1, 9)), bufferBytes: bufferBytes))
            {
                (await ReadAllAsync(reader, random)).ShouldBe(expected);
            }
        }
    }

    [Fact]
    public void Read_OneCharAtATime_HandsOutBothHalvesOfASurrogatePair()
    {
        using var reader = new StrictUtf8Reader(new MemoryStream(Encoding.UTF8.GetBytes("a😀b")));
        var chars = new List<int>();
        int next;
        while ((next = reader.Read()) >= 0)
        {
            chars.Add(next);
        }

        chars.ShouldBe(['a', 0xD83D, 0xDE00, 'b']);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x62, 0xFF, 0x63 }, 2)]
    [InlineData(new byte[] { 0x61, 0x80 }, 1)]
    [InlineData(new byte[] { 0x61, 0x62, 0x63, 0xC0, 0xAF }, 3)]
    [InlineData(new byte[] { 0x61, 0xED, 0xA0, 0x80 }, 1)]
    [InlineData(new byte[] { 0x61, 0x62, 0xE2, 0x82 }, 2)]
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98 }, 0)]
    public void Read_InvalidUtf8_ThrowsWithTheOffsetOfTheFirstBadByte(byte[] bytes, long offset)
    {
        foreach (int bufferBytes in new[] { 4, 5, 1024 })
        {
            using var reader = new StrictUtf8Reader(new TrickleStream(bytes, 1), startOffset: 3, bufferBytes: bufferBytes);

            InvalidUtf8Exception error = Should.Throw<InvalidUtf8Exception>(() => ReadAllSync(reader, new Random(1)));

            error.ByteOffset.ShouldBe(offset + 3);
            error.Message.ShouldContain("byte offset " + (offset + 3));
        }
    }

    [Fact]
    public void Dispose_LeavesTheStreamOpen_AndIsIdempotent()
    {
        var stream = new MemoryStream("abc"u8.ToArray());
        var reader = new StrictUtf8Reader(stream);

        reader.Dispose();
        reader.Dispose();

        stream.CanRead.ShouldBeTrue();
        Should.Throw<ObjectDisposedException>(() => reader.Read(new char[4], 0, 4));
    }

    [Fact]
    public async Task ReadRecordsAsync_InvalidUtf8AfterABom_ReportsTheOffsetInTheInput()
    {
        // 3 bytes of BOM, then "a,b\n1," (6 bytes): the bad byte is at offset 9 of the input.
        var stream = new MemoryStream([0xEF, 0xBB, 0xBF, .. "a,b\n1,"u8, 0xFF, .. "\n"u8]);

        SerializationException error = await Should.ThrowAsync<SerializationException>(async () =>
        {
            await foreach (Pair? row in Serializer.ReadRecordsAsync<Pair>(stream, Csv, cancellationToken: TestContext.Current.CancellationToken))
            {
                row.ShouldNotBeNull();
            }
        });

        error.Problem.ShouldContain("byte offset 9");
    }

    [Fact]
    public async Task ReadRecordsAsync_ManyColumnOrders_EachMappedByName()
    {
        // More layouts than the generated-factory cache keeps: every one still maps by name.
        string[] names = ["A", "B", "C", "D", "E"];
        var random = new Random(7);
        for (int layout = 0; layout < 90; layout++)
        {
            string[] order = [.. names.OrderBy(_ => random.Next()).Take(random.Next(2, 6))];
            string csv = string.Join(',', order) + "\n" + string.Join(',', order.Select(n => n.ToLowerInvariant() + layout)) + "\n";

            var rows = new List<Letters?>();
            await foreach (Letters? row in Serializer.ReadRecordsAsync<Letters>(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Csv, cancellationToken: TestContext.Current.CancellationToken))
            {
                rows.Add(row);
            }

            Letters single = rows.ShouldHaveSingleItem()!;
            foreach (string name in names)
            {
                string? value = name switch { "A" => single.A, "B" => single.B, "C" => single.C, "D" => single.D, _ => single.E };
                value.ShouldBe(order.Contains(name) ? name.ToLowerInvariant() + layout : "unset", $"layout {string.Join(',', order)}, column {name}");
            }
        }
    }

    [Fact]
    public void Deserialize_NonPublicTypeWithFieldsAndInitOnlyMembers_SetsEveryColumn()
    {
        byte[] csv = "Key,field,Init,Renamed,Ignored\nk1,f1,i1,r1,x1\nk2,f2,i2,r2,x2\n"u8.ToArray();

        List<Hidden> rows = Serializer.Deserialize<List<Hidden>>(csv, Csv, new SerializerOptions { JsonSerializerOptions = new() { IncludeFields = true, PropertyNameCaseInsensitive = true } })!;

        rows.Select(r => (r.Key, r.Field, r.Init, r.Other)).ShouldBe([("k1", "f1", "i1", "r1"), ("k2", "f2", "i2", "r2")]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TypedStringRecords_QuotesAndTrim_MatchTheTree(bool trim)
    {
        // Cells Sep unescapes and (with Trim) trims before the generated code turns them into strings.
        byte[] csv = "A,B\n  x ,\"  y \"\"q\"\" \"\n\"a,b\" ,  \n\"\",\"two\nlines\"\n"u8.ToArray();
        var options = new SerializerOptions { FormatOptions = [new CsvOptions { Trim = trim }] };
        var tree = (System.Text.Json.Nodes.JsonArray)Serializer.Parse(csv, Csv, options)!;
        var expected = tree.Select(row => (row!.AsObject().Select(p => p.Value!.GetValue<string>()).ToArray())).ToList();

        var streamed = new List<string[]>();
        await foreach (TrimPair? row in Serializer.ReadRecordsAsync<TrimPair>(new MemoryStream(csv), Csv, options, TestContext.Current.CancellationToken))
        {
            streamed.Add([row!.A, row.B]);
        }

        List<TrimPair> whole = Serializer.Deserialize<List<TrimPair>>(csv, Csv, options)!;

        expected.Count.ShouldBe(3);
        expected[2].ShouldBe(["", "two\nlines"]);
        expected[0].ShouldBe(trim ? ["x", "y \"q\""] : ["  x ", "  y \"q\" "]);

        streamed.ShouldBe(expected);
        whole.Select(r => new[] { r.A, r.B }).ToList().ShouldBe(expected);
    }

    /// <summary>Two string columns.</summary>
    public sealed class TrimPair
    {
        public string A { get; set; } = "unset";

        public string B { get; set; } = "unset";
    }

    /// <summary>A record type only this test reads, so its rows are mapped by a factory generated for these layouts.</summary>
    public sealed class Letters
    {
        public string A { get; set; } = "unset";

        public string B { get; set; } = "unset";

        public string C { get; set; } = "unset";

        public string D { get; set; } = "unset";

        public string E { get; set; } = "unset";
    }

    /// <summary>A two-column record for the streaming test.</summary>
    public sealed class Pair
    {
        public string? A { get; set; }

        public string? B { get; set; }
    }

    private sealed class Hidden
    {
        public string Field = "unset";

        public string Key { get; set; } = "unset";

        public string Init { get; init; } = "unset";

        [JsonPropertyName("Renamed")]
        public string Other { get; set; } = "unset";
    }
}
