using System.Diagnostics;
using XSystem.IO;

namespace XSystem.Cli.Doctor;

/// <summary>
/// In a new temporary directory: an atomic durable write, a read-back through <see cref="SafeFile"/>, a byte-for-byte
/// comparison, then a <see cref="FileLock"/> that a second acquire must not get; the directory is removed afterwards.
/// </summary>
internal sealed class IoCheck : IDoctorCheck
{
    public string Module => "XSystem.IO";

    public string Description => "atomic write, read-back and lock";

    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        string directory = Directory.CreateTempSubdirectory("xsys-doctor-").FullName;
        try
        {
            string path = Path.Combine(directory, "check.bin");
            byte[] payload = new byte[64 * 1024];
            Random.Shared.NextBytes(payload);

            await AtomicFile.WriteAllBytesAsync(path, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
            byte[] back = await SafeFile.ReadAllBytesAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!back.AsSpan().SequenceEqual(payload))
            {
                return CheckResult.Fail($"read {back.Length} bytes back from {path}, which differ from the {payload.Length} written");
            }

            string leftovers = string.Join(", ", Directory.EnumerateFiles(directory).Select(Path.GetFileName).Where(n => n != "check.bin"));
            if (leftovers.Length > 0)
            {
                return CheckResult.Fail($"the atomic write left files behind: {leftovers}");
            }

            string lockPath = Path.Combine(directory, "check.lock");
            using (FileLock.Acquire(lockPath, TimeSpan.FromSeconds(5)))
            {
                if (FileLock.TryAcquire(lockPath, out FileLock? second))
                {
                    second.Dispose();
                    return CheckResult.Fail($"a second lock on {lockPath} was granted while the first was held");
                }
            }

            if (!FileLock.TryAcquire(lockPath, out FileLock? again))
            {
                return CheckResult.Fail($"the lock on {lockPath} was not released");
            }

            again.Dispose();
            return CheckResult.Pass($"OK in {Stopwatch.GetElapsedTime(start).TotalMilliseconds:0} ms on {directory[..directory.LastIndexOf(Path.DirectorySeparatorChar)]}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
