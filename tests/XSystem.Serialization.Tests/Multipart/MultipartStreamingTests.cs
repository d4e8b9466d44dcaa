using System.Diagnostics;
using System.Text;

namespace XSystem.Serialization.Tests.Multipart;

public sealed class MultipartStreamingTests
{
    private const string Boundary = "XSystemTestBoundary7f3a";

    private static readonly string SmallBody =
        $"preamble\r\n--{Boundary}\r\n" +
        "Content-Disposition: form-data; name=\"title\"\r\n\r\n" +
        "Hello\r\n--not-the-boundary\r\nstill content\r\n" +
        $"--{Boundary}\r\n" +
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n" +
        "0123456789\r\n" +
        $"--{Boundary}\r\n" +
        "Content-Disposition: form-data; name=\"last\"\r\n\r\n" +
        "end\r\n" +
        $"--{Boundary}--\r\nepilogue";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task ReadPartsAsync_ChunkedStream_PartsAndContent(int chunk)
    {
        await using var body = new ChunkedStream(Encoding.UTF8.GetBytes(SmallBody), chunk);
        var seen = new List<string>();

        await foreach (MultipartPart part in MultipartFormat.ReadPartsAsync(body, Boundary, cancellationToken: TestContext.Current.CancellationToken))
        {
            seen.Add($"{part.Name}|{part.FileName}|{part.ContentType}|{await part.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }

        seen.ShouldBe([
            "title|||Hello\r\n--not-the-boundary\r\nstill content",
            "file|a.bin|application/octet-stream|0123456789",
            "last|||end",
        ]);
    }

    [Fact]
    public async Task ReadPartsAsync_UnreadContent_SkippedAndOldStreamRefuses()
    {
        await using var body = new MemoryStream(Encoding.UTF8.GetBytes(SmallBody));
        var names = new List<string>();
        Stream? first = null;

        await foreach (MultipartPart part in MultipartFormat.ReadPartsAsync(body, Boundary, cancellationToken: TestContext.Current.CancellationToken))
        {
            first ??= part.Content;
            names.Add(part.Name);
        }

        names.ShouldBe(["title", "file", "last"]);
        Should.Throw<InvalidOperationException>(() => first!.ReadByte());
    }

    [Fact]
    public async Task ReadPartsAsync_SynchronousContentRead_Works()
    {
        await using var body = new ChunkedStream(Encoding.UTF8.GetBytes(SmallBody), 2);
        var contents = new List<string>();
        await foreach (MultipartPart part in MultipartFormat.ReadPartsAsync(body, Boundary, cancellationToken: TestContext.Current.CancellationToken))
        {
            using var copy = new MemoryStream();
#pragma warning disable CA1849 // The synchronous path is what this test checks.
            part.Content.CopyTo(copy);
#pragma warning restore CA1849
            contents.Add(Encoding.UTF8.GetString(copy.ToArray()));
        }

        contents[1].ShouldBe("0123456789");
        contents[2].ShouldBe("end");
    }

    [Fact]
    public async Task ReadPartsAsync_PartOverLimit_ThrowsWithoutBuffering()
    {
        var options = new MultipartOptions { MaxPartBytes = 5 };
        await using var body = new MemoryStream(Encoding.UTF8.GetBytes(SmallBody));

        var ex = await Should.ThrowAsync<SerializationLimitException>(async () =>
        {
            await foreach (MultipartPart part in MultipartFormat.ReadPartsAsync(body, Boundary, options, TestContext.Current.CancellationToken))
            {
                await part.Content.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken);
            }
        });

        ex.LimitName.ShouldBe("MaxPartBytes");
    }

    [Fact]
    public async Task ReadPartsAsync_BodyOverLimit_Throws()
    {
        await using var body = new MemoryStream(Encoding.UTF8.GetBytes(SmallBody));
        var ex = await Should.ThrowAsync<SerializationLimitException>(async () =>
        {
            await foreach (MultipartPart part in MultipartFormat.ReadPartsAsync(body, Boundary, new MultipartOptions { MaxBodyBytes = 100 }, TestContext.Current.CancellationToken))
            {
                _ = part.Name;
            }
        });

        ex.LimitName.ShouldBe("MaxBodyBytes");
    }

    [Theory]
    [InlineData("--b\r\nContent-Disposition: form-data; name=a\r\n\r\ntruncated")]
    [InlineData("no boundary here")]
    [InlineData("--b\r\nContent-Disposition: form-data; name=a")]
    public async Task ReadPartsAsync_Malformed_ThrowsSerializationException(string text)
    {
        await using var body = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var ex = await Should.ThrowAsync<SerializationException>(async () =>
        {
            await foreach (MultipartPart part in MultipartFormat.ReadPartsAsync(body, "b", cancellationToken: TestContext.Current.CancellationToken))
            {
                await part.Content.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken);
            }
        });

        ex.FormatName.ShouldBe("multipart");
    }

    [Fact]
    public void ReadPartsAsync_InvalidBoundary_ThrowsArgumentException() =>
        Should.Throw<ArgumentException>(() => MultipartFormat.ReadPartsAsync(Stream.Null, "bad\r\nboundary"));

    [Fact]
    public async Task ReadPartsAsync_200MiBUpload_ConstantMemory() =>
        await StreamLargeUploadAsync(200L * 1024 * 1024, TimeSpan.FromSeconds(10));

    [Fact]
    [Trait("Category", "Soak")]
    public async Task ReadPartsAsync_1GiBUpload_ConstantMemory() =>
        await StreamLargeUploadAsync(1024L * 1024 * 1024, TimeSpan.FromMinutes(3));

    private static async Task StreamLargeUploadAsync(long size, TimeSpan budget)
    {
        await using var body = new GeneratedUploadStream(Boundary, size);
        var options = new MultipartOptions { MaxPartBytes = size, MaxBodyBytes = size + 4096 };
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, total = 0, nextSample = 0;
        var buffer = new byte[81920];
        var clock = Stopwatch.StartNew();
        var names = new List<string>();

        await foreach (MultipartPart part in MultipartFormat.ReadPartsAsync(body, Boundary, options, TestContext.Current.CancellationToken))
        {
            names.Add(part.Name);
            int read;
            while ((read = await part.Content.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                total += read;
                if (total >= nextSample)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false) - baseline);
                    nextSample += 32L * 1024 * 1024;
                }
            }
        }

        names.ShouldBe(["note", "upload"]);
        total.ShouldBe(size + 2);
        peak.ShouldBeLessThan(64L * 1024 * 1024, "the reader must not buffer the part");
        clock.Elapsed.ShouldBeLessThan(budget);
    }

    /// <summary>Returns a fixed body a few bytes per read, to split boundaries across reads.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(chunk, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(chunk, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    /// <summary>
    /// A multipart body generated on the fly: a small field ("ok"), then a file part of <c>size</c> pseudo-random bytes full
    /// of near-delimiters (<c>\r\n--</c>, <c>\r\n--XSystemTest</c>), then the close delimiter. Nothing is held in memory.
    /// </summary>
    private sealed class GeneratedUploadStream : Stream
    {
        private readonly byte[] _head;
        private readonly byte[] _tail;
        private readonly byte[] _block = new byte[65536];
        private readonly long _size;
        private long _position;

        public GeneratedUploadStream(string boundary, long size)
        {
            _head = Encoding.ASCII.GetBytes(
                $"--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nok\r\n" +
                $"--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            _tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
            _size = size;
            new Random(99).NextBytes(_block);
            byte[] near = Encoding.ASCII.GetBytes("\r\n--XSystemTest");
            for (int at = 100; at + near.Length < _block.Length; at += 997)
            {
                near.AsSpan(0, 1 + (at % near.Length)).CopyTo(_block.AsSpan(at));
            }
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _head.Length + _size + _tail.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            int written = 0;
            while (written < buffer.Length && _position < Length)
            {
                Span<byte> target = buffer[written..];
                int n;
                if (_position < _head.Length)
                {
                    n = Copy(_head.AsSpan((int)_position), target);
                }
                else if (_position < _head.Length + _size)
                {
                    long offset = _position - _head.Length;
                    int inBlock = (int)(offset % _block.Length);
                    int length = (int)Math.Min(_block.Length - inBlock, _size - offset);
                    n = Copy(_block.AsSpan(inBlock, length), target);
                }
                else
                {
                    n = Copy(_tail.AsSpan((int)(_position - _head.Length - _size)), target);
                }

                written += n;
                _position += n;
            }

            return written;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static int Copy(ReadOnlySpan<byte> source, Span<byte> target)
        {
            int n = Math.Min(source.Length, target.Length);
            source[..n].CopyTo(target);
            return n;
        }
    }
}
