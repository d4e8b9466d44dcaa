using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using XSystem.Benchmarks.Http;
using XSystem.Benchmarks.Serialization;

namespace XSystem.Benchmarks.Interleaved;

/// <summary>
/// A companion to the BenchmarkDotNet classes for a machine whose speed swings (a shared virtual machine): the baseline
/// and the XSystem method of one benchmark class take turns in short rounds, the order flipping every round, and the
/// verdict is the median of the per-round ratios, so a slow spell hits both sides of a round alike. Time is the calling
/// thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), so time spent descheduled does not count; elsewhere it
/// falls back to wall-clock time. Run: <c>dotnet run -c Release --project bench/XSystem.Benchmarks -- interleaved</c>
/// (optionally followed by names: msgpack, bson, csv, http). The HTTP pairs complete on thread-pool threads, so they are
/// timed by wall clock, with the Kestrel server of <see cref="HttpGetBenchmarks"/> in the same process.
/// </summary>
internal static class InterleavedRunner
{
    private const int Rounds = 31;

    public static void Run(string[] names)
    {
        bool all = names.Length == 0;
        Console.WriteLine($"Interleaved rounds: {Rounds}; timer: {(OperatingSystem.IsLinux() ? "thread CPU time" : "wall clock")}; " +
            $"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        if (all || names.Contains("msgpack"))
        {
            var b = new MessagePackBenchmarks();
            b.Setup();
            Pair("MessagePack serialize", () => b.RawSerialize(), () => b.XSystemSerialize(), 20_000);
            Pair("MessagePack deserialize", () => b.RawDeserialize(), () => b.XSystemDeserialize(), 20_000);
        }

        if (all || names.Contains("bson"))
        {
            var b = new BsonBenchmarks();
            b.Setup();
            Pair("BSON serialize", () => b.RawSerialize(), () => b.XSystemSerialize(), 5_000);
            Pair("BSON deserialize", () => b.RawDeserialize(), () => b.XSystemDeserialize(), 5_000);
        }

        if (all || names.Contains("csv"))
        {
            var b = new CsvBenchmarks();
            b.Setup();
            Pair("CSV ReadRecordsAsync<Person> vs raw Sep", () => b.RawSep(), () => b.Typed().GetAwaiter().GetResult(), 2);
            Pair("CSV Deserialize<List<Person>> vs raw Sep into a list", () => b.RawSepList(), () => b.TypedList(), 2);
        }

        if (all || names.Contains("http"))
        {
            foreach (string protocol in new[] { "1.1", "2" })
            {
                var b = new HttpGetBenchmarks { Protocol = protocol };
                b.Setup().GetAwaiter().GetResult();
                try
                {
                    Pair($"HTTP small GET, HTTP/{protocol}", () => b.RawHttpClient().GetAwaiter().GetResult(), () => b.Advanced().GetAwaiter().GetResult(), 500, wallClock: true);
                }
                finally
                {
                    b.Cleanup().GetAwaiter().GetResult();
                }
            }
        }
    }

    private static void Pair(string name, Action baseline, Action ours, int callsPerRound, bool wallClock = false)
    {
        for (int i = 0; i < Math.Max(3, callsPerRound); i++)
        {
            baseline();
            ours();
        }

        var ratios = new double[Rounds];
        var baseTimes = new double[Rounds];
        var ourTimes = new double[Rounds];
        for (int r = 0; r < Rounds; r++)
        {
            if (r % 2 == 0)
            {
                baseTimes[r] = Time(baseline, callsPerRound, wallClock);
                ourTimes[r] = Time(ours, callsPerRound, wallClock);
            }
            else
            {
                ourTimes[r] = Time(ours, callsPerRound, wallClock);
                baseTimes[r] = Time(baseline, callsPerRound, wallClock);
            }

            ratios[r] = ourTimes[r] / baseTimes[r];
        }

        Array.Sort(ratios);
        Array.Sort(baseTimes);
        Array.Sort(ourTimes);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: baseline {Format(baseTimes[Rounds / 2])}, XSystem {Format(ourTimes[Rounds / 2])}, ratio median {ratios[Rounds / 2]:F3} (quartiles {ratios[Rounds / 4]:F3}-{ratios[3 * Rounds / 4]:F3}), best vs best {ourTimes[0] / baseTimes[0]:F3}"));
    }

    private static string Format(double nanoseconds) => nanoseconds >= 1_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000_000:F2} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:F0} ns");

    /// <summary>Nanoseconds per call.</summary>
    private static double Time(Action action, int calls, bool wallClock)
    {
        long start = Now(wallClock);
        for (int i = 0; i < calls; i++)
        {
            action();
        }

        return (Now(wallClock) - start) / (double)calls;
    }

    private static long Now(bool wallClock)
    {
        if (!wallClock && OperatingSystem.IsLinux() && NativeMethods.clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out NativeMethods.Timespec ts) == 0)
        {
            return (ts.Seconds * 1_000_000_000) + ts.Nanoseconds;
        }

        return (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
    }

    private static class NativeMethods
    {
        [StructLayout(LayoutKind.Sequential)]
        public struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int clock_gettime(int clock, out Timespec time);
    }
}
