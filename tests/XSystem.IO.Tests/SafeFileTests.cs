using System.Text;
using XSystem.IO.Tests.Infrastructure;

namespace XSystem.IO.Tests;

public sealed class SafeFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, byte[]> BomFiles() => new()
    {
        { "UTF-8 BOM", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("héllo 𝄞")] },
        { "UTF-16 LE", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("héllo 𝄞")] },
        { "UTF-16 BE", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes("héllo 𝄞")] },
        { "UTF-32 LE", [0xFF, 0xFE, 0x00, 0x00, .. new UTF32Encoding(false, false).GetBytes("héllo 𝄞")] },
        { "UTF-32 BE", [0x00, 0x00, 0xFE, 0xFF, .. new UTF32Encoding(true, false).GetBytes("héllo 𝄞")] },
        { "no BOM = UTF-8", Encoding.UTF8.GetBytes("héllo 𝄞") },
    };

    [Theory]
    [MemberData(nameof(BomFiles))]
    public void ReadAllText_ByteOrderMark_DetectsEncodingAndStripsMark(string label, byte[] content)
    {
        string path = _dir.File("text.txt");
        File.WriteAllBytes(path, content);

        string text = SafeFile.ReadAllText(path);

        text.ShouldBe("héllo 𝄞", label);
    }

    [Theory]
    [MemberData(nameof(BomFiles))]
    public async Task ReadAllTextAsync_ByteOrderMark_DetectsEncodingAndStripsMark(string label, byte[] content)
    {
        string path = _dir.File("text.txt");
        File.WriteAllBytes(path, content);

        string text = await SafeFile.ReadAllTextAsync(path, cancellationToken: TestContext.Current.CancellationToken);

        text.ShouldBe("héllo 𝄞", label);
    }

    [Fact]
    public void ReadAllText_EmptyFile_ReturnsEmptyString()
    {
        string path = _dir.File("empty.txt");
        File.WriteAllBytes(path, []);

        SafeFile.ReadAllText(path).ShouldBe(string.Empty);
    }

    [Fact]
    public void ReadAllText_LargeFile_MatchesFileReadAllText()
    {
        string path = _dir.File("large.txt");
        string content = string.Concat(Enumerable.Repeat("line with ünïcödé and ascii text 0123456789\n", 30_000));
        File.WriteAllText(path, content);

        SafeFile.ReadAllText(path).ShouldBe(File.ReadAllText(path));
    }

    [Fact]
    public void ReadAllText_ForcedEncoding_DecodesWithIt()
    {
        string path = _dir.File("latin1.txt");
        File.WriteAllBytes(path, [0x63, 0x61, 0x66, 0xE9]); // "café" in Latin-1, invalid as UTF-8

        string text = SafeFile.ReadAllText(path, new SafeReadOptions { Encoding = Encoding.Latin1 });

        text.ShouldBe("café");
    }

    [Fact]
    public void ReadAllText_ForcedEncodingWithMatchingBom_SkipsBom()
    {
        string path = _dir.File("bom.txt");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i']);

        SafeFile.ReadAllText(path, new SafeReadOptions { Encoding = Encoding.UTF8 }).ShouldBe("hi");
    }

    [Fact]
    public void ReadAllText_ForcedEncodingInvalidBytes_Throws()
    {
        string path = _dir.File("bad.txt");
        File.WriteAllBytes(path, [(byte)'o', (byte)'k', 0xC3, 0x28]);

        var ex = Should.Throw<FileDecodingException>(() => SafeFile.ReadAllText(path, new SafeReadOptions { Encoding = new UTF8Encoding(false) }));

        ex.ByteOffset.ShouldBe(2);
    }

    [Fact]
    public void ReadAllText_InvalidUtf8_ThrowsWithPathAndOffset()
    {
        string path = _dir.File("bad.txt");
        File.WriteAllBytes(path, [(byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0xFF, (byte)'!']);

        var ex = Should.Throw<FileDecodingException>(() => SafeFile.ReadAllText(path));

        ex.ShouldBeAssignableTo<IOException>();
        ex.Path.ShouldBe(path);
        ex.ByteOffset.ShouldBe(5);
        ex.EncodingName.ShouldBe("UTF-8");
        ex.Message.ShouldContain(path);
        ex.Message.ShouldContain("byte offset 5");
        ex.Message.ShouldContain("FF");
        ex.InnerException.ShouldBeOfType<DecoderFallbackException>();
    }

    [Fact]
    public void ReadAllText_InvalidUtf8AfterBom_OffsetCountsTheBom()
    {
        string path = _dir.File("bad.txt");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, (byte)'a', 0xC0, 0x80]);

        var ex = Should.Throw<FileDecodingException>(() => SafeFile.ReadAllText(path));

        ex.ByteOffset.ShouldBe(4);
    }

    [Fact]
    public void ReadAllText_InvalidUtf8DeepInLargeFile_ReportsExactOffset()
    {
        string path = _dir.File("bad.txt");
        byte[] content = Enumerable.Repeat((byte)'a', 200_000).ToArray();
        content[123_456] = 0xFE;
        File.WriteAllBytes(path, content);

        var ex = Should.Throw<FileDecodingException>(() => SafeFile.ReadAllText(path));

        ex.ByteOffset.ShouldBe(123_456);
    }

    [Fact]
    public void ReadAllText_LoneSurrogateInUtf16_Throws()
    {
        string path = _dir.File("bad16.txt");
        File.WriteAllBytes(path, [0xFF, 0xFE, (byte)'a', 0x00, 0x00, 0xD8, (byte)'b', 0x00]); // 'a', U+D800 alone, 'b'

        var ex = Should.Throw<FileDecodingException>(() => SafeFile.ReadAllText(path));

        ex.EncodingName.ShouldBe("UTF-16 LE");
    }

    [Fact]
    public void ReadAllText_ReplaceInvalid_ReturnsReplacementCharacters()
    {
        string path = _dir.File("bad.txt");
        File.WriteAllBytes(path, [(byte)'a', 0xFF, (byte)'b']);

        string text = SafeFile.ReadAllText(path, new SafeReadOptions { ReplaceInvalid = true });

        text.ShouldBe("a\uFFFDb");
    }

    [Fact]
    public void ReadAllText_ForcedEncodingReplaceInvalid_ReturnsReplacementCharacters()
    {
        string path = _dir.File("bad.txt");
        File.WriteAllBytes(path, [(byte)'a', 0xFF, (byte)'b']);

        string text = SafeFile.ReadAllText(path, new SafeReadOptions { Encoding = Encoding.UTF8, ReplaceInvalid = true });

        text.ShouldBe("a\uFFFDb");
    }

    [Fact]
    public async Task ReadAllTextAsync_InvalidUtf8_ThrowsFileDecodingException()
    {
        string path = _dir.File("bad.txt");
        File.WriteAllBytes(path, [0xFF]);

        var ex = await Should.ThrowAsync<FileDecodingException>(() => SafeFile.ReadAllTextAsync(path, cancellationToken: TestContext.Current.CancellationToken));

        ex.ByteOffset.ShouldBe(0);
    }

    [Fact]
    public void ReadAllBytes_ExactlyMaxBytes_Succeeds()
    {
        string path = _dir.File("limit.bin");
        File.WriteAllBytes(path, new byte[1000]);

        SafeFile.ReadAllBytes(path, new SafeReadOptions { MaxBytes = 1000 }).Length.ShouldBe(1000);
        SafeFile.ReadAllText(path, new SafeReadOptions { MaxBytes = 1000 }).Length.ShouldBe(1000);
    }

    [Fact]
    public void ReadAllBytes_OneByteOverMaxBytes_ThrowsFileTooLargeBeforeReading()
    {
        string path = _dir.File("limit.bin");
        File.WriteAllBytes(path, new byte[1001]);
        var options = new SafeReadOptions { MaxBytes = 1000 };

        var ex = Should.Throw<FileTooLargeException>(() => SafeFile.ReadAllBytes(path, options));
        Should.Throw<FileTooLargeException>(() => SafeFile.ReadAllText(path, options));

        ex.ShouldBeAssignableTo<IOException>();
        ex.Path.ShouldBe(path);
        ex.Length.ShouldBe(1001);
        ex.MaxBytes.ShouldBe(1000);
        ex.Message.ShouldContain("MaxBytes");
    }

    [Fact]
    public async Task ReadAllBytesAsync_BoundaryAroundMaxBytes_AcceptsEqualRejectsLarger()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string ok = _dir.File("ok.bin");
        string big = _dir.File("big.bin");
        File.WriteAllBytes(ok, new byte[4096]);
        File.WriteAllBytes(big, new byte[4097]);
        var options = new SafeReadOptions { MaxBytes = 4096 };

        (await SafeFile.ReadAllBytesAsync(ok, options, ct)).Length.ShouldBe(4096);
        (await SafeFile.ReadAllTextAsync(ok, options, ct)).Length.ShouldBe(4096);
        await Should.ThrowAsync<FileTooLargeException>(() => SafeFile.ReadAllBytesAsync(big, options, ct));
        await Should.ThrowAsync<FileTooLargeException>(() => SafeFile.ReadAllTextAsync(big, options, ct));
    }

    [Fact]
    public void ReadAllBytes_ZeroMaxBytesEmptyFile_Succeeds()
    {
        string path = _dir.File("empty.bin");
        File.WriteAllBytes(path, []);

        SafeFile.ReadAllBytes(path, new SafeReadOptions { MaxBytes = 0 }).ShouldBeEmpty();
    }

    [Fact]
    public void ReadAllBytes_FileWithUnknownLengthLargerThanLimit_StopsAtLimit()
    {
        // Files under /proc report length 0 and are produced while read: the limit must hold while reading.
        Assert.SkipUnless(OperatingSystem.IsLinux(), "needs /proc");

        var ex = Should.Throw<FileTooLargeException>(() => SafeFile.ReadAllBytes("/proc/self/maps", new SafeReadOptions { MaxBytes = 100 }));
        Should.Throw<FileTooLargeException>(() => SafeFile.ReadAllText("/proc/self/maps", new SafeReadOptions { MaxBytes = 100 }));

        ex.Length.ShouldBe(101); // read exactly one byte past the limit, never more
        ex.Message.ShouldContain("grew");
    }

    [Fact]
    public async Task ReadAllBytes_FileWithUnknownLengthWithinLimit_ReadsAll()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "needs /proc");

        string text = SafeFile.ReadAllText("/proc/self/status");
        byte[] bytes = await SafeFile.ReadAllBytesAsync("/proc/self/status", cancellationToken: TestContext.Current.CancellationToken);

        text.ShouldContain("Pid:");
        bytes.Length.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void ReadAllBytes_LargeFile_ReturnsExactContent()
    {
        string path = _dir.File("big.bin");
        byte[] content = Enumerable.Range(0, 1_500_000).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, content);

        SafeFile.ReadAllBytes(path).ShouldBe(content);
    }

    [Fact]
    public void ReadAllText_MissingFile_ThrowsFileNotFoundException()
    {
        Should.Throw<FileNotFoundException>(() => SafeFile.ReadAllText(_dir.File("missing.txt")));
        Should.Throw<FileNotFoundException>(() => SafeFile.ReadAllBytes(_dir.File("missing.txt")));
    }

    [Fact]
    public async Task ReadAllTextAsync_CancelledToken_ThrowsOperationCanceled()
    {
        string path = _dir.File("t.txt");
        File.WriteAllText(path, "x");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => SafeFile.ReadAllTextAsync(path, cancellationToken: cts.Token));
        await Should.ThrowAsync<OperationCanceledException>(() => SafeFile.ReadAllBytesAsync(path, cancellationToken: cts.Token));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void ReadAllText_InvalidPath_ThrowsArgumentException(string path)
    {
        Should.Throw<ArgumentException>(() => SafeFile.ReadAllText(path));
        Should.Throw<ArgumentException>(() => SafeFile.ReadAllBytes(path));
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new SafeReadOptions();

        options.MaxBytes.ShouldBe(100L * 1024 * 1024);
        options.Encoding.ShouldBeNull();
        options.ReplaceInvalid.ShouldBeFalse();
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void Options_MaxBytesOutOfRange_ThrowsArgumentOutOfRange(long maxBytes)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new SafeReadOptions { MaxBytes = maxBytes });
    }

    [Fact]
    public void WriteAllText_ThenReadAllText_RoundTripsAtomically()
    {
        string path = _dir.File("note.txt");
        File.WriteAllText(path, "old");

        SafeFile.WriteAllText(path, "new ✓", options: new AtomicWriteOptions { KeepBackup = true });

        SafeFile.ReadAllText(path).ShouldBe("new ✓");
        SafeFile.ReadAllText(path + ".bak").ShouldBe("old");
        _dir.Entries().ShouldBe(["note.txt", "note.txt.bak"]);
    }

    [Fact]
    public void WriteAllBytes_ThenReadAllBytes_RoundTrips()
    {
        string path = _dir.File("data.bin");

        SafeFile.WriteAllBytes(path, [1, 2, 3]);

        SafeFile.ReadAllBytes(path).ShouldBe(new byte[] { 1, 2, 3 });
    }

    [Fact]
    public async Task WriteAllTextAsync_ThenReadAllTextAsync_RoundTrips()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string path = _dir.File("async.txt");

        await SafeFile.WriteAllTextAsync(path, "text", Encoding.BigEndianUnicode, cancellationToken: ct);
        await SafeFile.WriteAllBytesAsync(path + "2", new byte[] { 4, 5 }, cancellationToken: ct);

        (await SafeFile.ReadAllTextAsync(path, cancellationToken: ct)).ShouldBe("text");
        (await SafeFile.ReadAllBytesAsync(path + "2", cancellationToken: ct)).ShouldBe(new byte[] { 4, 5 });
        _dir.Entries().ShouldBe(["async.txt", "async.txt2"]);
    }
}
