using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Json;

/// <summary>Runs alone: the constant-memory check reads the process-wide heap size, which parallel tests would inflate.</summary>
[CollectionDefinition(nameof(JsonLinesRunsAlone), DisableParallelization = true)]
public sealed class JsonLinesRunsAlone
{
}

[Collection(nameof(JsonLinesRunsAlone))]
public class JsonLinesFormatTests
{
    [Fact]
    public void Parse_BadLine_ReportsItsLineNumber()
    {
        byte[] data = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"a\":2}\n{\"a\":\n{\"a\":4}\n");
        var ex = Should.Throw<SerializationException>(() => Formats.JsonLines.Parse(data, SerializerOptions.Default));
        ex.Line.ShouldBe(3);
        ex.FormatName.ShouldBe("jsonl");
    }

    [Fact]
    public void Parse_BlankLinesAndCrLf_AreTolerated()
    {
        byte[] data = Encoding.UTF8.GetBytes("1\r\n\r\n2\r\n  \n3");
        JsonNode.DeepEquals(Formats.JsonLines.Parse(data, SerializerOptions.Default), new JsonArray(1, 2, 3)).ShouldBeTrue();
    }

    [Fact]
    public async Task ReadRecordsAsync_BadLine_ReportsItsLineNumber()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("1\n2\n[3\n4\n"));
        var seen = new List<JsonNode?>();
        var ex = await Should.ThrowAsync<SerializationException>(async () =>
        {
            await foreach (JsonNode? node in ((IRecordFormat)Formats.JsonLines).ReadRecordsAsync(stream, SerializerOptions.Default, TestContext.Current.CancellationToken))
            {
                seen.Add(node);
            }
        });
        ex.Line.ShouldBe(3);
        seen.Count.ShouldBe(2);
    }

    [Fact]
    public async Task ReadRecordsAsync_LineOverMaxBytes_ThrowsLimit()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("\"" + new string('x', 5000) + "\"\n1\n"));
        var options = new SerializerOptions { MaxBytes = 1000 };
        await Should.ThrowAsync<SerializationLimitException>(async () =>
        {
            await foreach (JsonNode? _ in ((IRecordFormat)Formats.JsonLines).ReadRecordsAsync(stream, options, TestContext.Current.CancellationToken))
            {
            }
        });
    }

    public sealed record Row(int Id, string Name);

    [Fact]
    public async Task Records_TypedRoundTrip_ThroughSerializer()
    {
        using var stream = new MemoryStream();
        Row[] rows = [new(1, "a"), new(2, "b"), new(3, "ü")];
        await Serializer.WriteRecordsAsync(stream, rows, Formats.JsonLines, cancellationToken: TestContext.Current.CancellationToken);
        Encoding.UTF8.GetString(stream.ToArray()).ShouldBe("{\"Id\":1,\"Name\":\"a\"}\n{\"Id\":2,\"Name\":\"b\"}\n{\"Id\":3,\"Name\":\"ü\"}\n");

        stream.Position = 0;
        var back = new List<Row?>();
        await foreach (Row? row in Serializer.ReadRecordsAsync<Row>(stream, Formats.JsonLines, cancellationToken: TestContext.Current.CancellationToken))
        {
            back.Add(row);
        }

        back.ShouldBe(rows);
    }

    /// <summary>Produces <c>count</c> JSON Lines records on the fly, so a huge input never exists in memory.</summary>
    private sealed class GeneratedLines(long count) : Stream
    {
        private long _line;
        private byte[] _pending = [];
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count1)
        {
            int written = 0;
            while (written < count1)
            {
                if (_offset == _pending.Length)
                {
                    if (_line == count)
                    {
                        break;
                    }

                    _pending = Encoding.UTF8.GetBytes($"{{\"id\":{_line},\"name\":\"record number {_line}\",\"tags\":[\"a\",\"b\",\"c\"]}}\n");
                    _offset = 0;
                    _line++;
                }

                int n = Math.Min(count1 - written, _pending.Length - _offset);
                Array.Copy(_pending, _offset, buffer, offset + written, n);
                _offset += n;
                written += n;
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count1) => throw new NotSupportedException();
    }

    [Fact]
    public async Task ReadRecordsAsync_LargeStream_UsesConstantMemory()
    {
        // About 150 MB of input; the reader must not hold it.
        const long Lines = 2_000_000;
        using var stream = new GeneratedLines(Lines);
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long count = 0;
        long peak = 0;
        await foreach (JsonNode? node in ((IRecordFormat)Formats.JsonLines).ReadRecordsAsync(stream, SerializerOptions.Default, TestContext.Current.CancellationToken))
        {
            count++;
            if (count % 250_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        count.ShouldBe(Lines);
        peak.ShouldBeLessThan(16L * 1024 * 1024);
    }
}
