using Microsoft.Extensions.Time.Testing;
using XSystem.IO.Tests.Infrastructure;

namespace XSystem.IO.Tests;

public sealed class AtomicFileCleanupTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CleanupOrphans_MixedFiles_RemovesOnlyOldTempFiles()
    {
        Touch(".data.json.0123456789abcdef.xsystmp", Now.AddHours(-2)); // old orphan: removed
        Touch(".a.0000000000000000.xsystmp", Now.AddHours(-1)); // exactly at the cutoff: removed
        Touch(".data.json.fedcba9876543210.xsystmp", Now.AddMinutes(-5)); // too young: kept
        Touch(".data.json.0123456789ABCDEF.xsystmp", Now.AddDays(-1)); // upper-case hex is not ours: kept
        Touch("data.json.0123456789abcdef.xsystmp", Now.AddDays(-1)); // no leading dot: kept
        Touch(".data.json.0123456789abcde.xsystmp", Now.AddDays(-1)); // 15 hex digits: kept
        Touch("other.xsystmp", Now.AddDays(-1)); // kept
        Touch("data.json", Now.AddDays(-1)); // kept
        Directory.CreateDirectory(_dir.File(".dir.0123456789abcdef.xsystmp")); // directories are never touched

        int removed = AtomicFile.CleanupOrphans(_dir.Path, TimeSpan.FromHours(1), _time);

        removed.ShouldBe(2);
        _dir.Entries().ShouldBe(
        [
            ".data.json.0123456789ABCDEF.xsystmp",
            ".data.json.0123456789abcde.xsystmp",
            ".data.json.fedcba9876543210.xsystmp",
            ".dir.0123456789abcdef.xsystmp",
            "data.json",
            "data.json.0123456789abcdef.xsystmp",
            "other.xsystmp",
        ]);
    }

    [Fact]
    public void CleanupOrphans_TimeAdvances_RemovesFileOnceOldEnough()
    {
        Touch(".x.0123456789abcdef.xsystmp", Now);

        AtomicFile.CleanupOrphans(_dir.Path, TimeSpan.FromMinutes(10), _time).ShouldBe(0);
        _time.Advance(TimeSpan.FromMinutes(11));

        AtomicFile.CleanupOrphans(_dir.Path, TimeSpan.FromMinutes(10), _time).ShouldBe(1);
        _dir.Entries().ShouldBeEmpty();
    }

    [Fact]
    public void CleanupOrphans_AbandonedWriter_RemovesItsTempFile()
    {
        string path = _dir.File("target.txt");
        File.WriteAllText(path, "keep");
        using AtomicFileWriter writer = AtomicFile.Create(path); // as if its process were killed before the commit
        writer.Write("partial"u8);
        writer.Flush();
        _time.SetUtcNow(DateTimeOffset.UtcNow.AddHours(2));

        int removed = AtomicFile.CleanupOrphans(_dir.Path, TimeSpan.FromHours(1), _time);

        removed.ShouldBe(1);
        File.Exists(writer.TempPath).ShouldBeFalse();
        File.ReadAllText(path).ShouldBe("keep");
    }

    [Fact]
    public void CleanupOrphans_NegativeAge_ThrowsArgumentOutOfRange()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => AtomicFile.CleanupOrphans(_dir.Path, TimeSpan.FromSeconds(-1), _time));
    }

    [Fact]
    public void CleanupOrphans_NullTimeProvider_ThrowsArgumentNullException()
    {
        Should.Throw<ArgumentNullException>(() => AtomicFile.CleanupOrphans(_dir.Path, TimeSpan.Zero, null!));
    }

    [Fact]
    public void CleanupOrphans_MissingDirectory_ThrowsDirectoryNotFoundException()
    {
        Should.Throw<DirectoryNotFoundException>(() => AtomicFile.CleanupOrphans(_dir.File("missing"), TimeSpan.Zero));
    }

    [Fact]
    public void CleanupOrphans_SystemClockOverload_RemovesOldOrphans()
    {
        Touch(".y.0123456789abcdef.xsystmp", DateTimeOffset.UtcNow.AddDays(-1));

        AtomicFile.CleanupOrphans(_dir.Path, TimeSpan.FromHours(1)).ShouldBe(1);
    }

    private void Touch(string name, DateTimeOffset lastWrite)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, "x");
        File.SetLastWriteTimeUtc(path, lastWrite.UtcDateTime);
    }
}
