using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using XSystem.IO;

namespace XSystem.Ipc;

/// <summary>
/// A named block of memory shared between processes on one machine, holding one typed value at a time.
/// </summary>
/// <remarks>
/// <para>Backing: a file <c>NAME.shm</c> in <see cref="SharedMemoryOptions.Directory"/> (on Linux
/// <c>/dev/shm/xsystem</c>, so the pages live in RAM), mapped with <see cref="MemoryMappedFile.CreateFromFile(FileStream, string?, long, MemoryMappedFileAccess, HandleInheritability, bool)"/>.
/// Any process that opens the same name maps the same pages.</para>
/// <para>Layout: a 64-byte header (magic <c>XSHM</c>, version, flags, capacity, creator pid, sequence, payload length,
/// CRC-32C of the payload) followed by the payload, encoded as MessagePack (contractless, untrusted-data security).</para>
/// <para>Consistency: writers are serialized by a <see cref="FileLock"/> (flock) on <c>NAME.shm.lock</c> and publish
/// with a seqlock: the sequence is made odd, the payload written, then the sequence made even again. Readers never
/// lock: they copy the payload and accept it only if the sequence was even and unchanged around the copy and the CRC
/// holds, so a reader never decodes a torn value, and retry (spinning, then yielding) while a write is in progress.
/// A writer killed mid-write leaves an odd sequence; a reader that sees the same odd sequence for 100 ms checks the
/// lock, and when no live writer holds it reports <see cref="SharedMemoryCorruptedException"/> (until the next
/// successful write repairs the segment). Bytes changed from outside (a stable sequence whose CRC fails) are reported
/// the same way. Writers that follow each other back to back could starve a reader forever; a reader that fails 16
/// attempts in a row stamps a 5 ms "reader waiting" deadline into the header, and writers hold back for up to 2 ms
/// while it is set.</para>
/// <para>Resizing (<see cref="SharedMemoryManager.Resize"/>) re-creates the file and marks the old mapping superseded;
/// instances that still map the old file notice and reopen by name on their next read or write.</para>
/// <para>Thread safety: all members are safe to call from any thread; calls on one instance are serialized.</para>
/// </remarks>
public sealed class SharedMemorySegment : IDisposable
{
    internal const int HeaderSize = 64;
    private const uint MagicValue = 0x4D485358; // "XSHM" little-endian
    private const ushort Version = 1;
    private const ushort SupersededFlag = 1;
    private const int OffMagic = 0;
    private const int OffVersion = 4;
    private const int OffFlags = 6;
    private const int OffCapacity = 8;
    private const int OffPid = 16;
    private const int OffSequence = 24;
    private const int OffLength = 32;
    private const int OffCrc = 36;
    private const int OffReaderWaiting = 40;
    private const int StarvingAttempts = 16;
    private static readonly TimeSpan StalledWriteCheck = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly SharedMemoryOptions _options;
    private Mapping _map;
    private bool _disposed;

    private SharedMemorySegment(string name, string path, SharedMemoryOptions options, Mapping map)
    {
        Name = name;
        FilePath = path;
        LockPath = path + ".lock";
        _options = options;
        _map = map;
    }

    /// <summary>The segment name.</summary>
    public string Name { get; }

    /// <summary>The full path of the backing file.</summary>
    public string FilePath { get; }

    /// <summary>The full path of the lock file that serializes writers.</summary>
    public string LockPath { get; }

    /// <summary>The most payload bytes the segment holds.</summary>
    public long Capacity
    {
        get
        {
            lock (_gate)
            {
                return _map.Capacity;
            }
        }
    }

    /// <summary>The seqlock sequence: 0 before the first write, then 2 more for every completed write.</summary>
    public long Sequence
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _map.ReadInt64(OffSequence);
            }
        }
    }

    /// <summary>Creates a new segment.</summary>
    /// <param name="name">Letters, digits, '.', '_' and '-', 1 to 100 characters, not starting with '.'.</param>
    /// <param name="capacity">The most payload bytes (1 byte to 1 GiB).</param>
    /// <param name="options">Options; default <see cref="SharedMemoryOptions.Default"/>.</param>
    /// <returns>The segment; dispose it to unmap (the segment stays until removed).</returns>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is out of range.</exception>
    /// <exception cref="IOException">A segment of that name already exists.</exception>
    public static SharedMemorySegment Create(string name, long capacity, SharedMemoryOptions? options = null)
    {
        options ??= SharedMemoryOptions.Default;
        string path = PathFor(name, options);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1L << 30);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using FileLock held = FileLock.Acquire(path + ".lock", options.LockTimeout);
        if (File.Exists(path))
        {
            throw new IOException($"A shared memory segment named '{name}' already exists at '{path}'. Open it, or remove it first.");
        }

        CreateFile(path, capacity);
        return new SharedMemorySegment(name, path, options, Mapping.Open(path));
    }

    /// <summary>Opens an existing segment.</summary>
    /// <param name="name">The segment name.</param>
    /// <param name="options">Options; default <see cref="SharedMemoryOptions.Default"/>.</param>
    /// <returns>The segment; dispose it to unmap.</returns>
    /// <exception cref="FileNotFoundException">No segment of that name exists.</exception>
    /// <exception cref="SharedMemoryCorruptedException">The file is not a segment.</exception>
    public static SharedMemorySegment Open(string name, SharedMemoryOptions? options = null)
    {
        options ??= SharedMemoryOptions.Default;
        string path = PathFor(name, options);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No shared memory segment named '{name}' exists (looked for '{path}'). Create it first.", path);
        }

        return new SharedMemorySegment(name, path, options, Mapping.Open(path));
    }

    /// <summary>Encodes <paramref name="value"/> as MessagePack and publishes it atomically for every reader.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    /// <exception cref="SharedMemoryCapacityException">The encoded value is larger than <see cref="Capacity"/>.</exception>
    /// <exception cref="FileLockTimeoutException">Another writer held the lock for <see cref="SharedMemoryOptions.LockTimeout"/>.</exception>
    public void Write<T>(T value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        IpcCodec.Serialize(value, buffer);
        WriteBytes(buffer.WrittenSpan);
    }

    /// <summary>Publishes raw bytes atomically for every reader.</summary>
    /// <param name="payload">The bytes (may be empty).</param>
    /// <exception cref="SharedMemoryCapacityException">The payload is larger than <see cref="Capacity"/>.</exception>
    public void WriteBytes(ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using FileLock held = FileLock.Acquire(LockPath, _options.LockTimeout);
            RefreshIfSuperseded();
            if (payload.Length > _map.Capacity)
            {
                throw new SharedMemoryCapacityException(
                    $"The value needs {payload.Length} bytes but shared memory segment '{Name}' holds at most {_map.Capacity}. Resize the segment (SharedMemoryManager.Resize) or write a smaller value.")
                {
                    RequiredBytes = payload.Length,
                    Capacity = _map.Capacity,
                };
            }

            YieldToStarvingReader();
            long sequence = _map.ReadInt64(OffSequence);
            long begin = (sequence & 1) == 0 ? sequence + 1 : sequence + 2; // odd: a write is in progress
            _map.WriteInt64(OffSequence, begin);
            Interlocked.MemoryBarrier();
            _map.WriteInt32(OffLength, payload.Length);
            _map.WriteInt32(OffCrc, (int)Crc32C.Compute(payload));
            _map.WriteBytes(HeaderSize, payload);
            Interlocked.MemoryBarrier();
            _map.WriteInt64(OffSequence, begin + 1);
        }
    }

    /// <summary>Reads and decodes the current value.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">Nothing was written yet.</exception>
    /// <exception cref="SharedMemoryCorruptedException">The last writer crashed mid-write.</exception>
    /// <exception cref="XSystem.Serialization.SerializationException">The value does not decode as <typeparamref name="T"/>.</exception>
    public T Read<T>() => TryRead(out T? value)
        ? value!
        : throw new InvalidOperationException($"Shared memory segment '{Name}' holds no value yet; write one first.");

    /// <summary>Reads and decodes the current value if one was written.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value, or default.</param>
    /// <returns>False when nothing was written yet.</returns>
    /// <exception cref="SharedMemoryCorruptedException">The last writer crashed mid-write.</exception>
    public bool TryRead<T>([MaybeNullWhen(false)] out T value)
    {
        byte[]? payload = ReadBytes();
        if (payload is null)
        {
            value = default;
            return false;
        }

        value = IpcCodec.Deserialize<T>(payload);
        return true;
    }

    /// <summary>Reads the current raw payload: a consistent copy of one complete write.</summary>
    /// <returns>The bytes, or null when nothing was written yet.</returns>
    /// <exception cref="SharedMemoryCorruptedException">The last writer crashed mid-write.</exception>
    public byte[]? ReadBytes()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            RefreshIfSuperseded();
            var spin = default(SpinWait);
            long watchedOdd = -1;
            long oddSince = 0;
            long mismatchSequence = -1;
            int mismatches = 0;
            int failures = 0;
            while (true)
            {
                ReadResult result = TryReadOnce(out byte[]? payload, out long sequence);
                if (++failures > StarvingAttempts && result != ReadResult.Ok)
                {
                    // Writers keep overlapping our copy: ask them to pause for a moment (see YieldToStarvingReader).
                    _map.WriteInt64(OffReaderWaiting, Environment.TickCount64 + 5);
                }

                switch (result)
                {
                    case ReadResult.Ok:
                    case ReadResult.Empty:
                        if (failures > StarvingAttempts)
                        {
                            _map.WriteInt64(OffReaderWaiting, 0);
                        }

                        return payload;
                    case ReadResult.Odd:
                        // A write is in progress. If the same write stays unfinished for long, its writer may have died:
                        // a free lock proves it (the kernel releases the flock of a dead process).
                        if (sequence != watchedOdd)
                        {
                            watchedOdd = sequence;
                            oddSince = Stopwatch.GetTimestamp();
                        }
                        else if (Stopwatch.GetElapsedTime(oddSince) > StalledWriteCheck)
                        {
                            ThrowIfWriterDied();
                            oddSince = Stopwatch.GetTimestamp();
                        }

                        break;
                    case ReadResult.Mismatch:
                        // Stable sequence but the bytes do not match their CRC: damaged from outside, not a race.
                        mismatches = sequence == mismatchSequence ? mismatches + 1 : 1;
                        mismatchSequence = sequence;
                        if (mismatches >= 3)
                        {
                            throw new SharedMemoryCorruptedException(
                                $"Shared memory segment '{Name}' ('{FilePath}') holds a value whose CRC-32C does not match; the memory was changed outside the segment API. Write a new value to repair it.");
                        }

                        break;
                    default:
                        break;
                }

                spin.SpinOnce();
            }
        }
    }

    /// <summary>Unmaps the segment. The segment itself stays until removed (<see cref="SharedMemoryManager.Remove"/>).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _map.Dispose();
            }
        }
    }

    internal static string PathFor(string name, SharedMemoryOptions options)
    {
        ValidateName(name);
        return Path.Combine(options.ResolveDirectory(), name + ".shm");
    }

    internal static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        bool valid = name.Length <= 100 && name[0] != '.';
        foreach (char c in name)
        {
            valid &= char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
        }

        if (!valid)
        {
            throw new ArgumentException($"'{name}' is not a valid segment name: use 1 to 100 letters, digits, '.', '_' or '-', not starting with '.'.", nameof(name));
        }
    }

    internal static void CreateFile(string path, long capacity)
    {
        var header = new byte[HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(OffMagic), MagicValue);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(OffVersion), Version);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(OffCapacity), capacity);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(OffPid), Environment.ProcessId);
        string temp = path + ".new";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            stream.SetLength(HeaderSize + capacity);
            stream.Write(header);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads the creator pid from a segment file's header, or null when it is not a segment.</summary>
    internal static int? ReadCreatorPid(string path)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(header) != MagicValue)
        {
            return null;
        }

        return BinaryPrimitives.ReadInt32LittleEndian(header[OffPid..]);
    }

    /// <summary>Marks the mapping superseded so other openers reopen by name. Caller holds the lock.</summary>
    internal void MarkSuperseded()
    {
        lock (_gate)
        {
            ushort flags = (ushort)_map.ReadInt16(OffFlags);
            _map.WriteInt16(OffFlags, (short)(flags | SupersededFlag));
        }
    }

    private void RefreshIfSuperseded()
    {
        if ((_map.ReadInt16(OffFlags) & SupersededFlag) == 0)
        {
            return;
        }

        Mapping fresh = Mapping.Open(FilePath);
        _map.Dispose();
        _map = fresh;
    }

    /// <summary>
    /// A reader that failed many optimistic attempts in a row stamps a short deadline into the header; writers then
    /// hold back (at most 2 ms) so it can copy one complete value. A reader that dies leaves a stamp that expires by itself.
    /// </summary>
    private void YieldToStarvingReader()
    {
        long until = _map.ReadInt64(OffReaderWaiting);
        if (until == 0 || Environment.TickCount64 >= until)
        {
            return;
        }

        long start = Stopwatch.GetTimestamp();
        var spin = default(SpinWait);
        while (Stopwatch.GetElapsedTime(start) < TimeSpan.FromMilliseconds(2))
        {
            until = _map.ReadInt64(OffReaderWaiting);
            if (until == 0 || Environment.TickCount64 >= until)
            {
                return;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void ThrowIfWriterDied()
    {
        if (!FileLock.TryAcquire(LockPath, out FileLock? held))
        {
            return; // a live writer holds the lock
        }

        using (held)
        {
            if ((_map.ReadInt64(OffSequence) & 1) != 0)
            {
                throw new SharedMemoryCorruptedException(
                    $"Shared memory segment '{Name}' ('{FilePath}') holds a torn value: its last writer stopped mid-write (the process probably crashed). Write a new value to repair it.");
            }
        }
    }

    private ReadResult TryReadOnce(out byte[]? payload, out long sequence)
    {
        payload = null;
        long before = _map.ReadInt64(OffSequence);
        sequence = before;
        if (before == 0)
        {
            return ReadResult.Empty;
        }

        if ((before & 1) != 0)
        {
            return ReadResult.Odd;
        }

        Interlocked.MemoryBarrier();
        int length = _map.ReadInt32(OffLength);
        uint crc = (uint)_map.ReadInt32(OffCrc);
        bool lengthValid = length >= 0 && length <= _map.Capacity;
        byte[] copy = lengthValid ? new byte[length] : [];
        if (lengthValid)
        {
            _map.ReadBytes(HeaderSize, copy);
        }

        Interlocked.MemoryBarrier();
        long after = _map.ReadInt64(OffSequence);
        if (after != before)
        {
            return ReadResult.Busy;
        }

        if (!lengthValid || Crc32C.Compute(copy) != crc)
        {
            return ReadResult.Mismatch;
        }

        payload = copy;
        return ReadResult.Ok;
    }

    private enum ReadResult
    {
        Ok,
        Empty,
        Busy,
        Odd,
        Mismatch,
    }

    /// <summary>One mapping of the file, with a raw base address for volatile header access and bulk copies.</summary>
    private sealed class Mapping : IDisposable
    {
        private readonly MemoryMappedFile _file;
        private readonly MemoryMappedViewAccessor _view;
        private readonly IntPtr _base;
        private bool _released;

        private Mapping(MemoryMappedFile file, MemoryMappedViewAccessor view, long capacity)
        {
            _file = file;
            _view = view;
            Capacity = capacity;
            bool added = false;
            view.SafeMemoryMappedViewHandle.DangerousAddRef(ref added);
            _base = view.SafeMemoryMappedViewHandle.DangerousGetHandle() + (nint)view.PointerOffset;
        }

        public long Capacity { get; }

        public static Mapping Open(string path)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            try
            {
                long length = stream.Length;
                Span<byte> header = stackalloc byte[HeaderSize];
                if (length < HeaderSize || stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize
                    || BinaryPrimitives.ReadUInt32LittleEndian(header) != MagicValue
                    || BinaryPrimitives.ReadUInt16LittleEndian(header[OffVersion..]) != Version)
                {
                    throw new SharedMemoryCorruptedException($"'{path}' is not an XSystem shared memory segment (bad magic or version). Remove it and create the segment again.");
                }

                long capacity = BinaryPrimitives.ReadInt64LittleEndian(header[OffCapacity..]);
                if (capacity < 1 || capacity != length - HeaderSize)
                {
                    throw new SharedMemoryCorruptedException($"Shared memory segment '{path}' says it holds {capacity} bytes but the file has {length - HeaderSize}; it is damaged. Remove it and create the segment again.");
                }

                MemoryMappedFile file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
                try
                {
                    return new Mapping(file, file.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite), capacity);
                }
                catch
                {
                    file.Dispose();
                    throw;
                }
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        // Header fields are 8-byte aligned; the callers place full fences around the seqlock accesses.
        public long ReadInt64(int offset) => Marshal.ReadInt64(_base, offset);

        public void WriteInt64(int offset, long value) => Marshal.WriteInt64(_base, offset, value);

        public int ReadInt32(int offset) => Marshal.ReadInt32(_base, offset);

        public void WriteInt32(int offset, int value) => Marshal.WriteInt32(_base, offset, value);

        public short ReadInt16(int offset) => Marshal.ReadInt16(_base, offset);

        public void WriteInt16(int offset, short value) => Marshal.WriteInt16(_base, offset, value);

        public void ReadBytes(int offset, byte[] destination) => Marshal.Copy(_base + offset, destination, 0, destination.Length);

        public void WriteBytes(int offset, ReadOnlySpan<byte> source)
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, source.Length));
            try
            {
                source.CopyTo(rented);
                Marshal.Copy(rented, 0, _base + offset, source.Length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        public void Dispose()
        {
            if (!_released)
            {
                _released = true;
                _view.SafeMemoryMappedViewHandle.DangerousRelease();
                _view.Dispose();
                _file.Dispose();
            }
        }
    }
}
