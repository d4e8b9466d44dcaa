using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Caching;
using XSystem.Caching.Internal;

namespace XSystem.Cli.Commands.Caching;

/// <summary>
/// <c>xsys cache-bench</c>: replays a seeded Zipf(0.9) trace against the XSystem cache policies and Belady's optimum,
/// and prints hit rate and throughput for each.
/// </summary>
internal sealed class CacheBenchCommand(IAnsiConsole console) : Command<CacheBenchCommand.Settings>
{
    /// <summary>Options of <c>xsys cache-bench</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--policy <POLICY>")]
        [Description("lru, lfu or ttl. Default: all three.")]
        public string? Policy { get; init; }

        [CommandOption("--size <N>")]
        [Description("Cache capacity in entries. Default: 2500 (5% of the keys).")]
        public int Size { get; init; } = 2_500;

        [CommandOption("--threads <N>")]
        [Description("Threads replaying the trace at once for the throughput column (1-64). Default: 1.")]
        public int Threads { get; init; } = 1;

        [CommandOption("--requests <N>")]
        [Description("Requests in the trace. Default: 1000000.")]
        public int Requests { get; init; } = 1_000_000;

        [CommandOption("--keys <N>")]
        [Description("Distinct keys in the trace. Default: 50000.")]
        public int Keys { get; init; } = 50_000;

        [CommandOption("--seed <N>")]
        [Description("Random seed of the trace. Default: 42.")]
        public int Seed { get; init; } = 42;

        public override ValidationResult Validate()
        {
            if (Policy is not null && !Policies.Contains(Policy.ToLowerInvariant()))
            {
                return ValidationResult.Error($"--policy must be lru, lfu or ttl (got '{Policy}').");
            }

            if (Size <= 0 || Requests <= 0 || Keys <= 0)
            {
                return ValidationResult.Error("--size, --requests and --keys must be positive.");
            }

            return Threads is < 1 or > 64 ? ValidationResult.Error($"--threads must be between 1 and 64 (got {Threads}).") : ValidationResult.Success();
        }
    }

    internal static readonly string[] Policies = ["lru", "lfu", "ttl"];

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var trace = CacheSimulation.ZipfTrace(settings.Keys, 0.9, settings.Requests, settings.Seed);
        string[] policies = settings.Policy is null ? Policies : [settings.Policy.ToLowerInvariant()];
        double belady = CacheSimulation.BeladyHitRate(trace, settings.Size);

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Policy").AddColumn(new TableColumn("Hit rate").RightAligned())
            .AddColumn(new TableColumn("Of optimum").RightAligned())
            .AddColumn(new TableColumn($"Ops/s ({settings.Threads} thread{(settings.Threads == 1 ? "" : "s")})").RightAligned());
        foreach (string policy in policies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cache = Create(policy, settings.Size);
            double hitRate = CacheSimulation.HitRate(cache, trace);
            int perThread = Math.Max(1, settings.Requests / settings.Threads);
            double opsPerSecond = CacheSimulation.Throughput(cache, trace, settings.Threads, perThread);
            table.AddRow(
                new Text(Name(policy), new Style(decoration: Decoration.Bold)),
                new Text(hitRate.ToString("P1", CultureInfo.InvariantCulture)),
                new Text(belady == 0 ? "-" : (hitRate / belady).ToString("P0", CultureInfo.InvariantCulture)),
                new Text(opsPerSecond.ToString("N0", CultureInfo.InvariantCulture)));
        }

        table.AddRow(
            new Text("Belady (optimum)", new Style(decoration: Decoration.Italic)),
            new Text(belady.ToString("P1", CultureInfo.InvariantCulture)),
            new Text(1.0.ToString("P0", CultureInfo.InvariantCulture)),
            new Text("-"));
        console.Write(table);
        console.MarkupLineInterpolated(
            $"Zipf(0.9) trace: {settings.Requests:N0} requests over {settings.Keys:N0} keys (seed {settings.Seed}); cache size {settings.Size:N0}. Each request is TryGet, then Set on a miss.");
        console.MarkupLine("Belady's optimum evicts the key used again furthest in the future: no real policy can beat it.");
        return XsysApp.ExitOk;
    }

    private static string Name(string policy) => policy switch
    {
        "lru" => "LruCache",
        "lfu" => "LfuCache",
        _ => "TtlCache (1 h)",
    };

    private static ICache<int, int> Create(string policy, int size) => policy switch
    {
        "lru" => new LruCache<int, int>(size),
        "lfu" => new LfuCache<int, int>(size),
        _ => new TtlCache<int, int>(size, TimeSpan.FromHours(1)),
    };
}
