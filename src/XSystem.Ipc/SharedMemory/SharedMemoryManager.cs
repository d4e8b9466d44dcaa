using System.Diagnostics;
using XSystem.IO;

namespace XSystem.Ipc;

/// <summary>
/// Creates, opens, lists, resizes and removes the <see cref="SharedMemorySegment"/>s of one directory, and removes
/// segments left behind by processes that are gone.
/// </summary>
/// <remarks>
/// <para>Disposing the manager unmaps the segments it handed out; the segments themselves stay until
/// <see cref="Remove"/> or <see cref="CleanupOrphans"/>.</para>
/// <para>Thread safety: all members are safe to call from any thread.</para>
/// </remarks>
public sealed class SharedMemoryManager : IDisposable
{
    private readonly SharedMemoryOptions _options;
    private readonly List<SharedMemorySegment> _opened = [];
    private readonly Lock _gate = new();

    /// <summary>Creates a manager for the segments in <see cref="SharedMemoryOptions.Directory"/>.</summary>
    /// <param name="options">Options; default <see cref="SharedMemoryOptions.Default"/>.</param>
    public SharedMemoryManager(SharedMemoryOptions? options = null)
    {
        _options = options ?? SharedMemoryOptions.Default;
        Directory = _options.ResolveDirectory();
    }

    /// <summary>The directory holding the segment files.</summary>
    public string Directory { get; }

    /// <summary>Creates a segment. See <see cref="SharedMemorySegment.Create"/>.</summary>
    /// <param name="name">The segment name.</param>
    /// <param name="capacity">The most payload bytes.</param>
    /// <returns>The segment.</returns>
    /// <exception cref="IOException">A segment of that name already exists.</exception>
    public SharedMemorySegment Create(string name, long capacity) => Track(SharedMemorySegment.Create(name, capacity, _options));

    /// <summary>Opens an existing segment. See <see cref="SharedMemorySegment.Open"/>.</summary>
    /// <param name="name">The segment name.</param>
    /// <returns>The segment.</returns>
    /// <exception cref="FileNotFoundException">No segment of that name exists.</exception>
    public SharedMemorySegment Open(string name) => Track(SharedMemorySegment.Open(name, _options));

    /// <summary>Opens the segment, creating it with <paramref name="capacity"/> when it does not exist.</summary>
    /// <param name="name">The segment name.</param>
    /// <param name="capacity">The capacity used when creating.</param>
    /// <returns>The segment.</returns>
    public SharedMemorySegment OpenOrCreate(string name, long capacity)
    {
        try
        {
            return Open(name);
        }
        catch (FileNotFoundException)
        {
            try
            {
                return Create(name, capacity);
            }
            catch (IOException) when (Exists(name))
            {
                return Open(name); // another process created it in between
            }
        }
    }

    /// <summary>Whether a segment of that name exists.</summary>
    /// <param name="name">The segment name.</param>
    /// <returns>True when it exists.</returns>
    public bool Exists(string name) => File.Exists(SharedMemorySegment.PathFor(name, _options));

    /// <summary>The names of the segments in the directory, sorted.</summary>
    /// <returns>The names.</returns>
    public IReadOnlyList<string> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return [.. System.IO.Directory.EnumerateFiles(Directory, "*.shm")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Re-creates the segment with a new capacity, keeping its current value when it fits. Other processes' open
    /// instances see the old mapping marked superseded and reopen by name on their next read or write.
    /// </summary>
    /// <param name="name">The segment name.</param>
    /// <param name="newCapacity">The new payload capacity.</param>
    /// <returns>The re-created segment.</returns>
    /// <exception cref="FileNotFoundException">No segment of that name exists.</exception>
    /// <exception cref="SharedMemoryCapacityException">The current value does not fit the new capacity.</exception>
    public SharedMemorySegment Resize(string name, long newCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(newCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(newCapacity, 1L << 30);
        string path = SharedMemorySegment.PathFor(name, _options);
        using (SharedMemorySegment old = SharedMemorySegment.Open(name, _options))
        {
            byte[]? current = old.ReadBytes();
            if (current is not null && current.Length > newCapacity)
            {
                throw new SharedMemoryCapacityException(
                    $"Shared memory segment '{name}' holds a {current.Length}-byte value that does not fit the new capacity {newCapacity}. Write a smaller value first or choose a larger capacity.")
                {
                    RequiredBytes = current.Length,
                    Capacity = newCapacity,
                };
            }

            using (FileLock held = FileLock.Acquire(old.LockPath, _options.LockTimeout))
            {
                current = old.ReadBytes();
                SharedMemorySegment.CreateFile(path, newCapacity);
                old.MarkSuperseded();
            }

            SharedMemorySegment fresh = Open(name);
            if (current is not null)
            {
                fresh.WriteBytes(current);
            }

            return fresh;
        }
    }

    /// <summary>Deletes a segment. Processes that still map it keep their pages until they unmap.</summary>
    /// <param name="name">The segment name.</param>
    /// <returns>False when it did not exist.</returns>
    public bool Remove(string name)
    {
        string path = SharedMemorySegment.PathFor(name, _options);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        File.Delete(path + ".lock");
        return true;
    }

    /// <summary>
    /// Removes the segments whose creating process no longer exists (the pid in the header names no running process)
    /// and whose lock no writer holds. A pid reused by an unrelated process keeps its segment until the next call after
    /// that process ends.
    /// </summary>
    /// <returns>How many segments were removed.</returns>
    public int CleanupOrphans()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        int removed = 0;
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, "*.shm").ToList())
        {
            int? pid;
            try
            {
                pid = SharedMemorySegment.ReadCreatorPid(path);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            if (pid is not { } creator || IsAlive(creator))
            {
                continue;
            }

            if (!FileLock.TryAcquire(path + ".lock", out FileLock? held))
            {
                continue;
            }

            using (held)
            {
                File.Delete(path);
                File.Delete(path + ".lock");
            }

            removed++;
        }

        return removed;
    }

    /// <summary>Unmaps every segment this manager handed out.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (SharedMemorySegment segment in _opened)
            {
                segment.Dispose();
            }

            _opened.Clear();
        }
    }

    private SharedMemorySegment Track(SharedMemorySegment segment)
    {
        lock (_gate)
        {
            _opened.Add(segment);
        }

        return segment;
    }

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        if (OperatingSystem.IsLinux())
        {
            return System.IO.Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
