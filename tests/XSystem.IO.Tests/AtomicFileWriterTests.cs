using System.Runtime.Versioning;
using System.Text;
using XSystem.IO.Tests.Infrastructure;

namespace XSystem.IO.Tests;

public sealed class AtomicFileWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Commit_AfterWrites_PublishesContentAndRemovesTemp()
    {
        string path = _dir.File("out.txt");
        File.WriteAllText(path, "old");
        using AtomicFileWriter writer = AtomicFile.Create(path);

        writer.Write("hello "u8);
        writer.Write("world"u8);
        File.ReadAllText(path).ShouldBe("old"); // nothing visible before the commit
        File.Exists(writer.TempPath).ShouldBeTrue();
        writer.Commit();

        File.ReadAllText(path).ShouldBe("hello world");
        writer.IsCommitted.ShouldBeTrue();
        File.Exists(writer.TempPath).ShouldBeFalse();
        _dir.Entries().ShouldBe(["out.txt"]);
    }

    [Fact]
    public void Create_Always_ExposesTargetAndTempPaths()
    {
        string path = _dir.File("out.txt");

        using AtomicFileWriter writer = AtomicFile.Create(path);

        writer.TargetPath.ShouldBe(path);
        Path.GetDirectoryName(writer.TempPath).ShouldBe(_dir.Path);
        Path.GetFileName(writer.TempPath).ShouldStartWith(".out.txt.");
        writer.TempPath.ShouldEndWith(".xsystmp");
    }

    [Fact]
    public void Dispose_WithoutCommit_DiscardsDataAndLeavesTargetUntouched()
    {
        string path = _dir.File("out.txt");
        File.WriteAllText(path, "old");

        using (AtomicFileWriter writer = AtomicFile.Create(path))
        {
            writer.Write("partial"u8);
        }

        File.ReadAllText(path).ShouldBe("old");
        _dir.Entries().ShouldBe(["out.txt"]);
    }

    [Fact]
    public void Dispose_WithoutCommitOfNewFile_CreatesNothing()
    {
        string path = _dir.File("never.txt");

        AtomicFile.Create(path).Dispose();

        _dir.Entries().ShouldBeEmpty();
    }

    [Fact]
    public void Write_SourceStreamThrowsMidway_TargetUntouchedAndTempDeleted()
    {
        string path = _dir.File("out.bin");
        File.WriteAllText(path, "old");
        using var source = new FailingStream(failAfterBytes: 100_000);

        Should.Throw<IOException>(() =>
        {
            using AtomicFileWriter writer = AtomicFile.Create(path);
            source.CopyTo(writer);
            writer.Commit();
        });

        File.ReadAllText(path).ShouldBe("old");
        _dir.Entries().ShouldBe(["out.bin"]);
    }

    [Fact]
    public async Task WriteAsync_TokenCancelledMidWrite_TargetUntouchedAndTempDeleted()
    {
        string path = _dir.File("out.bin");
        File.WriteAllText(path, "old");
        using var cts = new CancellationTokenSource();
        using var source = new FailingStream(failAfterBytes: long.MaxValue, cancelAfterBytes: 50_000, cts);

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await using AtomicFileWriter writer = AtomicFile.Create(path);
            await source.CopyToAsync(writer, 4096, cts.Token);
            await writer.CommitAsync(cts.Token);
        });

        File.ReadAllText(path).ShouldBe("old");
        _dir.Entries().ShouldBe(["out.bin"]);
    }

    [Fact]
    public void Write_AfterCommit_ThrowsObjectDisposedExceptionNamingCommit()
    {
        using AtomicFileWriter writer = AtomicFile.Create(_dir.File("out.txt"));
        writer.Write("x"u8);
        writer.Commit();

        var ex = Should.Throw<ObjectDisposedException>(() => writer.Write("y"u8));

        ex.Message.ShouldContain("already committed");
        writer.CanWrite.ShouldBeFalse();
    }

    [Fact]
    public void Commit_Twice_ThrowsInvalidOperationException()
    {
        using AtomicFileWriter writer = AtomicFile.Create(_dir.File("out.txt"));
        writer.Commit();

        var ex = Should.Throw<InvalidOperationException>(writer.Commit);

        ex.Message.ShouldContain("only once");
    }

    [Fact]
    public void Commit_AfterDispose_ThrowsObjectDisposedException()
    {
        AtomicFileWriter writer = AtomicFile.Create(_dir.File("out.txt"));
        writer.Dispose();

        var ex = Should.Throw<ObjectDisposedException>(writer.Commit);

        ex.Message.ShouldContain("discarded");
        File.Exists(_dir.File("out.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task CommitAsync_AfterAsyncWrites_PublishesContent()
    {
        string path = _dir.File("out.txt");
        await using AtomicFileWriter writer = AtomicFile.Create(path);

        await writer.WriteAsync(Encoding.UTF8.GetBytes("async content"), TestContext.Current.CancellationToken);
        await writer.CommitAsync(TestContext.Current.CancellationToken);

        File.ReadAllText(path).ShouldBe("async content");
        _dir.Entries().ShouldBe(["out.txt"]);
    }

    [Fact]
    public async Task CommitAsync_Cancelled_PublishesNothingAndWriterStaysOpen()
    {
        string path = _dir.File("out.txt");
        using AtomicFileWriter writer = AtomicFile.Create(path);
        writer.Write("data"u8);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => writer.CommitAsync(cts.Token));
        File.Exists(path).ShouldBeFalse();
        writer.CanWrite.ShouldBeTrue();
        writer.Commit();

        File.ReadAllText(path).ShouldBe("data");
    }

    [Fact]
    public void Seek_ThenOverwrite_ChangesPublishedContent()
    {
        string path = _dir.File("out.txt");
        using AtomicFileWriter writer = AtomicFile.Create(path);

        writer.Write("hello world"u8);
        writer.Length.ShouldBe(11);
        writer.Seek(0, SeekOrigin.Begin);
        writer.Write("HELLO"u8);
        writer.Position.ShouldBe(5);
        writer.Commit();

        File.ReadAllText(path).ShouldBe("HELLO world");
    }

    [Fact]
    public void Read_Always_ThrowsNotSupportedException()
    {
        using AtomicFileWriter writer = AtomicFile.Create(_dir.File("out.txt"));

        writer.CanRead.ShouldBeFalse();
        Should.Throw<NotSupportedException>(() => writer.Read(new byte[1], 0, 1));
    }

    [Fact]
    public void Commit_WithKeepBackup_KeepsPreviousVersion()
    {
        string path = _dir.File("out.txt");
        File.WriteAllText(path, "old");
        using AtomicFileWriter writer = AtomicFile.Create(path, new AtomicWriteOptions { KeepBackup = true });

        using (var text = new StreamWriter(writer, leaveOpen: true))
        {
            text.Write("new");
        }

        writer.Commit();

        File.ReadAllText(path).ShouldBe("new");
        File.ReadAllText(path + ".bak").ShouldBe("old");
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Create_ExistingFile_TempCarriesTargetMode()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        string path = _dir.File("out.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        using AtomicFileWriter writer = AtomicFile.Create(path);

        File.GetUnixFileMode(writer.TempPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        writer.Commit();
        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>A readable stream of 'x' bytes that throws an IOException, or cancels a token, after a given count.</summary>
    private sealed class FailingStream(long failAfterBytes, long cancelAfterBytes = long.MaxValue, CancellationTokenSource? cts = null) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfterBytes)
            {
                throw new IOException("simulated read failure");
            }

            if (_position >= cancelAfterBytes)
            {
                cts!.Cancel();
            }

            buffer.AsSpan(offset, count).Fill((byte)'x');
            _position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
