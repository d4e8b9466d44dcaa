using System.Runtime.Versioning;
using System.Text;
using XSystem.IO.Internal;
using XSystem.IO.Tests.Infrastructure;

namespace XSystem.IO.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WriteAllBytes_NewFile_WritesContentAndLeavesNoTemp()
    {
        string path = _dir.File("data.bin");

        AtomicFile.WriteAllBytes(path, [1, 2, 3]);

        File.ReadAllBytes(path).ShouldBe(new byte[] { 1, 2, 3 });
        _dir.Entries().ShouldBe(["data.bin"]);
    }

    [Fact]
    public void WriteAllBytes_ExistingFile_ReplacesWholeContent()
    {
        string path = _dir.File("data.bin");
        File.WriteAllBytes(path, new byte[10_000]);

        AtomicFile.WriteAllBytes(path, [9, 8]);

        File.ReadAllBytes(path).ShouldBe(new byte[] { 9, 8 });
        _dir.Entries().ShouldBe(["data.bin"]);
    }

    [Fact]
    public void WriteAllBytes_EmptyContent_CreatesEmptyFile()
    {
        string path = _dir.File("empty");

        AtomicFile.WriteAllBytes(path, ReadOnlySpan<byte>.Empty);

        new FileInfo(path).Length.ShouldBe(0);
    }

    [Fact]
    public void WriteAllBytes_NotDurable_StillReplacesAtomically()
    {
        string path = _dir.File("fast.bin");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllBytes(path, "new"u8, new AtomicWriteOptions { Durable = false });

        File.ReadAllText(path).ShouldBe("new");
        _dir.Entries().ShouldBe(["fast.bin"]);
    }

    [Fact]
    public void WriteAllBytes_LongFileName_TruncatesTempNameAndSucceeds()
    {
        string name = new string('n', 250);
        string path = _dir.File(name);

        AtomicFile.WriteAllBytes(path, "x"u8);

        File.ReadAllText(path).ShouldBe("x");
        _dir.Entries().ShouldBe([name]);
    }

    [Fact]
    public void WriteAllText_DefaultEncoding_WritesUtf8WithoutBom()
    {
        string path = _dir.File("text.txt");

        AtomicFile.WriteAllText(path, "héllo €");

        File.ReadAllBytes(path).ShouldBe(Encoding.UTF8.GetBytes("héllo €"));
    }

    [Fact]
    public void WriteAllText_EncodingWithPreamble_WritesBomFirst()
    {
        string path = _dir.File("text.txt");

        AtomicFile.WriteAllText(path, "hi", Encoding.Unicode);

        File.ReadAllBytes(path).ShouldBe(new byte[] { 0xFF, 0xFE, (byte)'h', 0, (byte)'i', 0 });
    }

    [Fact]
    public void WriteAllText_NullContents_ThrowsArgumentNullException()
    {
        Should.Throw<ArgumentNullException>(() => AtomicFile.WriteAllText(_dir.File("x"), null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\0b")]
    public void WriteAllBytes_InvalidPath_ThrowsArgumentException(string path)
    {
        Should.Throw<ArgumentException>(() => AtomicFile.WriteAllBytes(path, "x"u8));
    }

    [Fact]
    public void WriteAllBytes_NullPath_ThrowsArgumentNullException()
    {
        Should.Throw<ArgumentNullException>(() => AtomicFile.WriteAllBytes(null!, "x"u8));
    }

    [Fact]
    public void WriteAllBytes_PathEndsWithSeparator_ThrowsArgumentException()
    {
        var ex = Should.Throw<ArgumentException>(() => AtomicFile.WriteAllBytes(_dir.File("sub") + Path.DirectorySeparatorChar, "x"u8));

        ex.Message.ShouldContain("separator");
    }

    [Fact]
    public void WriteAllBytes_TargetIsDirectory_ThrowsIOExceptionAndLeavesNoTemp()
    {
        string path = _dir.File("sub");
        Directory.CreateDirectory(path);

        var ex = Should.Throw<IOException>(() => AtomicFile.WriteAllBytes(path, "x"u8));

        ex.Message.ShouldContain("is a directory");
        _dir.Entries().ShouldBe(["sub"]);
    }

    [Fact]
    public void WriteAllBytes_MissingDirectory_ThrowsDirectoryNotFoundException()
    {
        Should.Throw<DirectoryNotFoundException>(() => AtomicFile.WriteAllBytes(_dir.File("missing/file.txt"), "x"u8));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void WriteAllBytes_ExistingFileMode_IsPreservedExactly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        string path = _dir.File("mode.txt");
        File.WriteAllText(path, "old");
        // 0666 is wider than the usual umask allows for new files, so keeping it proves the mode is copied.
        const UnixFileMode Wide = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
            | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        File.SetUnixFileMode(path, Wide);

        AtomicFile.WriteAllText(path, "new");

        File.GetUnixFileMode(path).ShouldBe(Wide);
        File.ReadAllText(path).ShouldBe("new");
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void WriteAllBytes_ExistingFileMode_WinsOverUnixModeOption()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        string path = _dir.File("mode.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        AtomicFile.WriteAllText(path, "new", options: new AtomicWriteOptions { UnixMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead });

        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void WriteAllBytes_NewFileWithUnixMode_AppliesModeExactly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        string path = _dir.File("secret.key");
        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

        AtomicFile.WriteAllBytes(path, "k"u8, new AtomicWriteOptions { UnixMode = Mode });

        File.GetUnixFileMode(path).ShouldBe(Mode);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void WriteAllBytes_NewFileWithoutUnixMode_GetsSameModeAsFileCreate()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        string path = _dir.File("atomic.txt");
        string plain = _dir.File("plain.txt");
        File.WriteAllText(plain, "p");

        AtomicFile.WriteAllText(path, "a");

        File.GetUnixFileMode(path).ShouldBe(File.GetUnixFileMode(plain));
    }

    [Fact]
    public void WriteAllBytes_FileOwnedByAnotherUser_KeepsOwnerWhenRunningAsRoot()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && PosixFileSystem.EffectiveUid == 0, "needs root on Linux to chown");
        string path = _dir.File("owned.txt");
        File.WriteAllText(path, "old");
        RunTool("chown", "12345:23456", path);

        AtomicFile.WriteAllText(path, "new");

        RunTool("stat", "-c", "%u:%g", path).ShouldBe("12345:23456");
        File.ReadAllText(path).ShouldBe("new");
    }

    [Fact]
    public void WriteAllBytes_KeepBackup_KeepsPreviousVersionNextToFile()
    {
        string path = _dir.File("config.json");
        var options = new AtomicWriteOptions { KeepBackup = true };
        AtomicFile.WriteAllText(path, "v1", options: options);

        AtomicFile.WriteAllText(path, "v2", options: options);
        File.ReadAllText(path + ".bak").ShouldBe("v1");
        AtomicFile.WriteAllText(path, "v3", options: options);

        File.ReadAllText(path).ShouldBe("v3");
        File.ReadAllText(path + ".bak").ShouldBe("v2");
        _dir.Entries().ShouldBe(["config.json", "config.json.bak"]);
    }

    [Fact]
    public void WriteAllBytes_KeepBackupOfNewFile_CreatesNoBackup()
    {
        string path = _dir.File("new.txt");

        AtomicFile.WriteAllText(path, "v1", options: new AtomicWriteOptions { KeepBackup = true });

        _dir.Entries().ShouldBe(["new.txt"]);
    }

    [Fact]
    public void WriteAllBytes_KeepBackupWithCustomSuffix_UsesSuffix()
    {
        string path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllText(path, "new", options: new AtomicWriteOptions { KeepBackup = true, BackupSuffix = "~" });

        File.ReadAllText(path + "~").ShouldBe("old");
        File.ReadAllText(path).ShouldBe("new");
    }

    [Fact]
    public void WriteAllBytes_BackupIsNotAffectedByLaterWrites()
    {
        string path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        AtomicFile.WriteAllText(path, "new", options: new AtomicWriteOptions { KeepBackup = true });

        AtomicFile.WriteAllText(path, "newer");

        File.ReadAllText(path + ".bak").ShouldBe("old");
    }

    [Fact]
    public void WriteAllBytes_BackupCannotBePublished_LeavesTargetUntouchedAndNoTemp()
    {
        string path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        Directory.CreateDirectory(path + ".bak"); // renaming a file over a directory fails

        Should.Throw<IOException>(() => AtomicFile.WriteAllText(path, "new", options: new AtomicWriteOptions { KeepBackup = true }));

        File.ReadAllText(path).ShouldBe("old");
        _dir.Entries().ShouldBe(["a.txt", "a.txt.bak"]);
    }

    [Fact]
    public void WriteAllBytes_Symlink_WritesThroughAndKeepsLink()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        string real = _dir.File("real.txt");
        string link = _dir.File("link.txt");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(link, "real.txt");

        AtomicFile.WriteAllText(link, "new");

        new FileInfo(link).LinkTarget.ShouldBe("real.txt");
        File.ReadAllText(real).ShouldBe("new");
        _dir.Entries().ShouldBe(["link.txt", "real.txt"]);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void WriteAllBytes_SymlinkChainIntoOtherDirectory_ReplacesFinalTarget()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        string sub = Directory.CreateDirectory(_dir.File("sub")).FullName;
        string real = Path.Combine(sub, "real.txt");
        File.WriteAllText(real, "old");
        File.SetUnixFileMode(real, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(_dir.File("hop.txt"), real);
        File.CreateSymbolicLink(_dir.File("link.txt"), "hop.txt");

        AtomicFile.WriteAllText(_dir.File("link.txt"), "new", options: new AtomicWriteOptions { KeepBackup = true });

        File.ReadAllText(real).ShouldBe("new");
        File.ReadAllText(real + ".bak").ShouldBe("old");
        File.GetUnixFileMode(real).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        new FileInfo(_dir.File("link.txt")).LinkTarget.ShouldBe("hop.txt");
    }

    [Fact]
    public void WriteAllBytes_DanglingSymlink_CreatesTheLinkTarget()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        string link = _dir.File("link.txt");
        File.CreateSymbolicLink(link, "later.txt");

        AtomicFile.WriteAllText(link, "created");

        File.ReadAllText(_dir.File("later.txt")).ShouldBe("created");
        new FileInfo(link).LinkTarget.ShouldBe("later.txt");
    }

    [Fact]
    public async Task WriteAllBytesAsync_NewFile_WritesContent()
    {
        string path = _dir.File("async.bin");
        byte[] payload = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();

        await AtomicFile.WriteAllBytesAsync(path, payload, cancellationToken: TestContext.Current.CancellationToken);

        File.ReadAllBytes(path).ShouldBe(payload);
        _dir.Entries().ShouldBe(["async.bin"]);
    }

    [Fact]
    public async Task WriteAllTextAsync_WithBackupNotDurable_WritesContentAndBackup()
    {
        string path = _dir.File("async.txt");
        File.WriteAllText(path, "old");

        await AtomicFile.WriteAllTextAsync(path, "new", options: new AtomicWriteOptions { KeepBackup = true, Durable = false }, cancellationToken: TestContext.Current.CancellationToken);

        File.ReadAllText(path).ShouldBe("new");
        File.ReadAllText(path + ".bak").ShouldBe("old");
    }

    [Fact]
    public async Task WriteAllBytesAsync_CancelledToken_ThrowsAndLeavesTargetUntouched()
    {
        string path = _dir.File("c.txt");
        File.WriteAllText(path, "old");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => AtomicFile.WriteAllBytesAsync(path, "new"u8.ToArray(), cancellationToken: cts.Token));
        await Should.ThrowAsync<OperationCanceledException>(() => AtomicFile.WriteAllTextAsync(path, "new", cancellationToken: cts.Token));

        File.ReadAllText(path).ShouldBe("old");
        _dir.Entries().ShouldBe(["c.txt"]);
    }

    [Fact]
    public void WriteAllBytes_EightThreadsHundredWritesEach_FileHoldsOneWholePayload()
    {
        string path = _dir.File("contended.bin");
        const int Threads = 8, Writes = 100, Size = 64 * 1024;
        byte[][] payloads = Enumerable.Range(0, Threads).Select(t => Enumerable.Repeat((byte)('a' + t), Size).ToArray()).ToArray();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                for (int i = 0; i < Writes; i++)
                {
                    AtomicFile.WriteAllBytes(path, payloads[t]);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Enqueue(ex);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        errors.ShouldBeEmpty();
        byte[] final = File.ReadAllBytes(path);
        final.Length.ShouldBe(Size);
        payloads.Any(p => p.AsSpan().SequenceEqual(final)).ShouldBeTrue("the final content is not one whole payload");
        _dir.Entries().ShouldBe(["contended.bin"]);
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new AtomicWriteOptions();

        options.Durable.ShouldBeTrue();
        options.KeepBackup.ShouldBeFalse();
        options.BackupSuffix.ShouldBe(".bak");
        options.UnixMode.ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("/bak")]
    [InlineData("\\bak")]
    [InlineData(".b\0k")]
    public void Options_InvalidBackupSuffix_ThrowsArgumentException(string suffix)
    {
        Should.Throw<ArgumentException>(() => new AtomicWriteOptions { BackupSuffix = suffix });
    }

    [Fact]
    public void Options_UnixModeWithFileTypeBits_ThrowsArgumentOutOfRange()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new AtomicWriteOptions { UnixMode = (UnixFileMode)0x8000 });
    }

    [Fact]
    public void BuildTempPath_Always_MatchesTheCleanupPattern()
    {
        string temp = AtomicWriteOperation.BuildTempPath(_dir.Path, "file.txt");

        Path.GetDirectoryName(temp).ShouldBe(_dir.Path);
        Path.GetFileName(temp).ShouldStartWith(".file.txt.");
        AtomicWriteOperation.IsTempName(Path.GetFileName(temp)).ShouldBeTrue();
    }

    /// <summary>Runs a short command-line tool (chown, stat) and returns its trimmed standard output.</summary>
    private static string RunTool(string fileName, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{fileName} {string.Join(' ', arguments)} failed: {error}");
        return output.Trim();
    }
}
