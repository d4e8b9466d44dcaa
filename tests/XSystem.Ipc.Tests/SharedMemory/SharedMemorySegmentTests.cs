using System.Buffers.Binary;
using XSystem.Ipc.Tests.Queues;

namespace XSystem.Ipc.Tests.SharedMemory;

public sealed class SharedMemorySegmentTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SharedMemoryOptions _options;

    public SharedMemorySegmentTests() => _options = new SharedMemoryOptions { Directory = _dir.Path };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_AfterWrite_ReturnsTheValue()
    {
        using var segment = SharedMemorySegment.Create("roundtrip", 4096, _options);

        segment.Write(new Point { X = 3, Name = "p" });
        Point read = segment.Read<Point>();

        read.X.ShouldBe(3);
        read.Name.ShouldBe("p");
        segment.Sequence.ShouldBe(2);
    }

    [Fact]
    public void TryRead_NothingWritten_ReturnsFalseAndReadThrows()
    {
        using var segment = SharedMemorySegment.Create("empty", 64, _options);

        segment.TryRead(out int _).ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => segment.Read<int>()).Message.ShouldContain("no value yet");
    }

    [Fact]
    public void Read_OtherInstanceOfSameName_SeesTheWrite()
    {
        using var writer = SharedMemorySegment.Create("shared", 1024, _options);
        using var reader = SharedMemorySegment.Open("shared", _options);

        writer.Write(new[] { 1, 2, 3 });
        reader.Read<int[]>().ShouldBe([1, 2, 3]);
        writer.Write(new[] { 4 });

        reader.Read<int[]>().ShouldBe([4]);
    }

    [Fact]
    public void Write_ValueLargerThanCapacity_ThrowsCapacityErrorAndKeepsOldValue()
    {
        using var segment = SharedMemorySegment.Create("small", 16, _options);
        segment.Write("ok");

        var error = Should.Throw<SharedMemoryCapacityException>(() => segment.Write(new string('x', 100)));

        error.Capacity.ShouldBe(16);
        error.RequiredBytes.ShouldBeGreaterThan(100);
        error.Message.ShouldContain("Resize");
        segment.Read<string>().ShouldBe("ok");
    }

    [Fact]
    public void Create_ExistingName_ThrowsIOException()
    {
        using var segment = SharedMemorySegment.Create("twice", 64, _options);

        Should.Throw<IOException>(() => SharedMemorySegment.Create("twice", 64, _options)).Message.ShouldContain("already exists");
    }

    [Fact]
    public void Open_MissingName_ThrowsFileNotFound() =>
        Should.Throw<FileNotFoundException>(() => SharedMemorySegment.Open("missing", _options));

    [Theory]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Create_InvalidName_ThrowsArgumentException(string name) =>
        Should.Throw<ArgumentException>(() => SharedMemorySegment.Create(name, 64, _options));

    [Fact]
    public void Open_FileThatIsNotASegment_ThrowsCorrupted()
    {
        File.WriteAllBytes(_dir.Combine("junk.shm"), new byte[200]);

        Should.Throw<SharedMemoryCorruptedException>(() => SharedMemorySegment.Open("junk", _options)).Message.ShouldContain("not an XSystem shared memory segment");
    }

    [Fact]
    public void ReadBytes_WriterDiedMidWrite_ThrowsCorruptedUntilNextWrite()
    {
        using var segment = SharedMemorySegment.Create("torn", 64, _options);
        segment.Write(7);
        segment.Dispose();
        PatchInt64(_dir.Combine("torn.shm"), 24, 3); // odd sequence: a write began and never finished

        using var reopened = SharedMemorySegment.Open("torn", _options);
        Should.Throw<SharedMemoryCorruptedException>(() => reopened.Read<int>()).Message.ShouldContain("mid-write");
        reopened.Write(8);

        reopened.Read<int>().ShouldBe(8);
        (reopened.Sequence % 2).ShouldBe(0);
    }

    [Fact]
    public void ReadBytes_PayloadFlippedWithoutWriter_ThrowsCorrupted()
    {
        using (var segment = SharedMemorySegment.Create("flipped", 64, _options))
        {
            segment.Write("hello");
        }

        string path = _dir.Combine("flipped.shm");
        byte[] bytes = File.ReadAllBytes(path);
        bytes[64 + 1] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        using var reopened = SharedMemorySegment.Open("flipped", _options);
        Should.Throw<SharedMemoryCorruptedException>(() => reopened.ReadBytes());
    }

    [Fact]
    public void Manager_ListRemoveAndOpenOrCreate_ManageSegments()
    {
        using var manager = new SharedMemoryManager(_options);
        manager.Create("b", 64).Write(1);
        manager.OpenOrCreate("a", 64).Write(2);

        manager.List().ShouldBe(["a", "b"]);
        manager.OpenOrCreate("b", 999).Read<int>().ShouldBe(1);
        manager.Remove("a").ShouldBeTrue();
        manager.Remove("a").ShouldBeFalse();
        manager.List().ShouldBe(["b"]);
        manager.Exists("b").ShouldBeTrue();
    }

    [Fact]
    public void Resize_LargerCapacity_KeepsValueAndOtherInstancesFollow()
    {
        using var manager = new SharedMemoryManager(_options);
        SharedMemorySegment original = manager.Create("grow", 32);
        original.Write("small");
        using var other = SharedMemorySegment.Open("grow", _options);

        SharedMemorySegment bigger = manager.Resize("grow", 4096);

        bigger.Capacity.ShouldBe(4096);
        bigger.Read<string>().ShouldBe("small");
        other.Write(new string('y', 1000)); // the old mapping was superseded: this instance reopens the new file
        other.Capacity.ShouldBe(4096);
        bigger.Read<string>().ShouldBe(new string('y', 1000));
        original.Read<string>().ShouldBe(new string('y', 1000));
    }

    [Fact]
    public void Resize_ValueDoesNotFitNewCapacity_ThrowsAndKeepsSegment()
    {
        using var manager = new SharedMemoryManager(_options);
        manager.Create("shrink", 1024).Write(new string('z', 500));

        Should.Throw<SharedMemoryCapacityException>(() => manager.Resize("shrink", 100));

        manager.Open("shrink").Read<string>().Length.ShouldBe(500);
    }

    [Fact]
    public void CleanupOrphans_CreatorProcessGone_RemovesOnlyThatSegment()
    {
        using var manager = new SharedMemoryManager(_options);
        manager.Create("mine", 64).Dispose();
        manager.Create("orphan", 64).Dispose();
        PatchInt32(_dir.Combine("orphan.shm"), 16, int.MaxValue - 7); // a pid no process has

        int removed = manager.CleanupOrphans();

        removed.ShouldBe(1);
        manager.List().ShouldBe(["mine"]);
    }

    [Fact]
    public void Create_DefaultDirectory_UsesDevShmOnLinux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/dev/shm is Linux-only");
        string name = $"test-{Guid.NewGuid():N}";
        using var manager = new SharedMemoryManager();
        try
        {
            using SharedMemorySegment segment = manager.Create(name, 128);
            segment.Write(42);

            segment.FilePath.ShouldStartWith("/dev/shm/xsystem/");
            SharedMemorySegment.Open(name).Read<int>().ShouldBe(42);
        }
        finally
        {
            manager.Remove(name);
        }
    }

    private static void PatchInt64(string path, int offset, long value)
    {
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset), value);
        File.WriteAllBytes(path, bytes);
    }

    private static void PatchInt32(string path, int offset, int value)
    {
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
        File.WriteAllBytes(path, bytes);
    }

    public sealed class Point
    {
        public int X { get; set; }

        public string Name { get; set; } = "";
    }
}
