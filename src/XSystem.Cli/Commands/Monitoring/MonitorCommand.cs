using System.ComponentModel;
using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;
using XSystem.Monitoring;

namespace XSystem.Cli.Commands.Monitoring;

/// <summary>
/// <c>xsys monitor</c>: a live dashboard (CPU per core, memory, disk and network rates, top processes) that refreshes in
/// place on a terminal and quits on q or Ctrl+C; with redirected output it prints one plain line per interval.
/// </summary>
internal sealed class MonitorCommand(IAnsiConsole console, StandardStreams streams) : AsyncCommand<MonitorCommand.Settings>
{
    /// <summary>Options of <c>xsys monitor</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--interval <SECONDS>")]
        [Description("Seconds between refreshes (0.1-3600). Default: 1.")]
        public double Interval { get; init; } = 1;

        [CommandOption("--count <N>")]
        [Description("Stop after N refreshes. Default: 0 (run until q or Ctrl+C).")]
        public int Count { get; init; }

        [CommandOption("--top <N>")]
        [Description("Processes listed, busiest first (0-50). Default: 5.")]
        public int Top { get; init; } = 5;

        [CommandOption("--plain")]
        [Description("Print one plain line per refresh even on a terminal (the default when output is redirected).")]
        public bool Plain { get; init; }

        public override ValidationResult Validate()
        {
            if (double.IsNaN(Interval) || Interval < 0.1 || Interval > 3600)
            {
                return ValidationResult.Error($"--interval must be between 0.1 and 3600 seconds (got {Interval.ToString(CultureInfo.InvariantCulture)}).");
            }

            if (Count < 0)
            {
                return ValidationResult.Error($"--count must not be negative (got {Count}).");
            }

            return Top is < 0 or > 50 ? ValidationResult.Error($"--top must be between 0 and 50 (got {Top}).") : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(settings.Interval);
        var sampler = new DashboardSampler(settings.Top);
        bool live = !settings.Plain && streams.OutputIsTerminal && console.Profile.Capabilities.Interactive;
        int shown = 0;
        try
        {
            if (!live)
            {
                while (settings.Count == 0 || shown < settings.Count)
                {
                    await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                    console.Profile.Out.Writer.WriteLine(DashboardSampler.Line(sampler.Next()));
                    shown++;
                }

                return XsysApp.ExitOk;
            }

            await console.Live(new Text("Sampling...")).AutoClear(false).StartAsync(async ctx =>
            {
                while (settings.Count == 0 || shown < settings.Count)
                {
                    if (await WaitOrQuitAsync(interval, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    ctx.UpdateTarget(DashboardSampler.Render(sampler.Next(), settings.Interval));
                    ctx.Refresh();
                    shown++;
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends the dashboard normally.
        }

        return XsysApp.ExitOk;
    }

    /// <summary>Waits one interval; true when the user pressed q (or Q) meanwhile.</summary>
    private static async Task<bool> WaitOrQuitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        long start = TimeProvider.System.GetTimestamp();
        while (true)
        {
            while (!Console.IsInputRedirected && Console.KeyAvailable)
            {
                if (Console.ReadKey(intercept: true).Key == ConsoleKey.Q)
                {
                    return true;
                }
            }

            var left = interval - TimeProvider.System.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.Delay(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>One refresh of the dashboard: rates are the change since the previous refresh.</summary>
internal sealed record DashboardSample(
    DateTimeOffset At,
    double CpuPercent,
    IReadOnlyList<double> PerCpuPercent,
    MemoryInfo Memory,
    double DiskReadPerSecond,
    double DiskWritePerSecond,
    double NetReceivePerSecond,
    double NetSendPerSecond,
    IReadOnlyList<(int Pid, string Name, double CpuPercent, long Rss)> Top);

/// <summary>Reads the counters and turns two readings into rates. Not thread-safe; one per dashboard.</summary>
internal sealed class DashboardSampler
{
    private readonly int _top;
    private long _stamp;
    private CpuTimeInfo? _cpu;
    private IReadOnlyList<CpuTimeInfo>? _perCpu;
    private DiskIoCounters? _disk;
    private NetworkIoCounters? _net;
    private Dictionary<int, TimeSpan> _procCpu = [];

    public DashboardSampler(int top)
    {
        _top = top;
        _ = Next();
    }

    public DashboardSample Next()
    {
        long now = TimeProvider.System.GetTimestamp();
        double seconds = _stamp == 0 ? 0 : TimeProvider.System.GetElapsedTime(_stamp, now).TotalSeconds;
        _stamp = now;

        CpuTimeInfo cpu = SystemInfo.CpuTimes();
        IReadOnlyList<CpuTimeInfo> perCpu = SystemInfo.CpuTimesPerCpu();
        double total = _cpu is null ? 0 : CpuTimeInfo.BusyPercent(_cpu, cpu);
        var per = new double[perCpu.Count];
        for (int i = 0; i < per.Length; i++)
        {
            per[i] = _perCpu is not null && i < _perCpu.Count ? CpuTimeInfo.BusyPercent(_perCpu[i], perCpu[i]) : 0;
        }

        DiskIoCounters? disk = InfoCommand.Facts.Try(SystemInfo.DiskIo);
        NetworkIoCounters? net = InfoCommand.Facts.Try(SystemInfo.NetworkIo);
        double Rate(long? before, long? after) => seconds <= 0 || before is null || after is null ? 0 : Math.Max(0, after.Value - before.Value) / seconds;

        var procCpu = new Dictionary<int, TimeSpan>();
        var top = new List<(int, string, double, long)>();
        foreach (ProcessInfo p in Processes.List(ProcessFields.Memory))
        {
            TimeSpan used = p.CpuTimes.Total;
            procCpu[p.Pid] = used;
            double percent = seconds > 0 && _procCpu.TryGetValue(p.Pid, out TimeSpan before) ? (used - before).TotalSeconds * 100 / seconds : 0;
            top.Add((p.Pid, p.Name, Math.Max(0, percent), p.Memory.Rss));
        }

        top.Sort((a, b) => b.Item3 != a.Item3 ? b.Item3.CompareTo(a.Item3) : b.Item4.CompareTo(a.Item4));
        var sample = new DashboardSample(
            TimeProvider.System.GetUtcNow(),
            total,
            per,
            SystemInfo.Memory(),
            Rate(_disk?.ReadBytes, disk?.ReadBytes),
            Rate(_disk?.WriteBytes, disk?.WriteBytes),
            Rate(_net?.BytesReceived, net?.BytesReceived),
            Rate(_net?.BytesSent, net?.BytesSent),
            top.Take(_top).ToList());
        _cpu = cpu;
        _perCpu = perCpu;
        _disk = disk;
        _net = net;
        _procCpu = procCpu;
        return sample;
    }

    /// <summary>The plain line printed per refresh when output is redirected.</summary>
    public static string Line(DashboardSample s)
    {
        var line = new StringBuilder();
        line.Append(s.At.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
            .Append(CultureInfo.InvariantCulture, $" cpu {s.CpuPercent:F1}% [")
            .AppendJoin(' ', s.PerCpuPercent.Select(p => p.ToString("F0", CultureInfo.InvariantCulture)))
            .Append(CultureInfo.InvariantCulture, $"] mem {s.Memory.Percent:F1}% ({ByteSize.Format(s.Memory.Used)}/{ByteSize.Format(s.Memory.Total)})")
            .Append(CultureInfo.InvariantCulture, $" disk r {ByteSize.Format((long)s.DiskReadPerSecond)}/s w {ByteSize.Format((long)s.DiskWritePerSecond)}/s")
            .Append(CultureInfo.InvariantCulture, $" net rx {ByteSize.Format((long)s.NetReceivePerSecond)}/s tx {ByteSize.Format((long)s.NetSendPerSecond)}/s");
        if (s.Top.Count > 0)
        {
            line.Append(" top ").AppendJoin(", ", s.Top.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name}({t.Pid}) {t.CpuPercent:F0}%")));
        }

        return line.ToString();
    }

    /// <summary>The live dashboard.</summary>
    public static IRenderable Render(DashboardSample s, double intervalSeconds)
    {
        var cpu = new BarChart().Width(60).Label($"CPU {s.CpuPercent:F1}% (per core)");
        for (int i = 0; i < s.PerCpuPercent.Count; i++)
        {
            double p = s.PerCpuPercent[i];
            cpu.AddItem($"cpu{i}", Math.Round(p, 1), p >= 90 ? Color.Red : p >= 60 ? Color.Yellow : Color.Green);
        }

        var io = new Table().Border(TableBorder.Rounded).AddColumn("Memory").AddColumn("Disk read").AddColumn("Disk write").AddColumn("Net in").AddColumn("Net out");
        io.AddRow(
            $"{s.Memory.Percent:F1}% of {ByteSize.Format(s.Memory.Total)}",
            $"{ByteSize.Format((long)s.DiskReadPerSecond)}/s",
            $"{ByteSize.Format((long)s.DiskWritePerSecond)}/s",
            $"{ByteSize.Format((long)s.NetReceivePerSecond)}/s",
            $"{ByteSize.Format((long)s.NetSendPerSecond)}/s");

        var top = new Table().Border(TableBorder.Simple).AddColumn("PID").AddColumn("Name").AddColumn(new TableColumn("CPU%").RightAligned()).AddColumn(new TableColumn("RSS").RightAligned());
        foreach (var t in s.Top)
        {
            top.AddRow(t.Pid.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.Name), t.CpuPercent.ToString("F1", CultureInfo.InvariantCulture), ByteSize.Format(t.Rss));
        }

        return new Rows(
            cpu,
            io,
            top,
            new Markup($"[grey]{s.At:HH:mm:ss} UTC, every {intervalSeconds.ToString(CultureInfo.InvariantCulture)} s. Press q or Ctrl+C to quit.[/]"));
    }
}
