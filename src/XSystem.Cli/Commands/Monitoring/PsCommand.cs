using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Monitoring;

namespace XSystem.Cli.Commands.Monitoring;

/// <summary>
/// <c>xsys ps</c>: every process with PID, PPID, user, CPU% over a short interval, RSS, threads and command, as a
/// table or (with <c>--json</c>) as a JSON array for scripts.
/// </summary>
internal sealed class PsCommand(IAnsiConsole console) : AsyncCommand<PsCommand.Settings>
{
    /// <summary>Options of <c>xsys ps</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--sort <KEY>")]
        [Description("Order by cpu (highest first), mem (RSS, highest first), pid or name. Default: cpu.")]
        public string Sort { get; init; } = "cpu";

        [CommandOption("--top <N>")]
        [Description("Show only the first N processes after sorting. Default: all.")]
        public int? Top { get; init; }

        [CommandOption("--interval <SECONDS>")]
        [Description("How long CPU% is measured, in seconds (0.01-60). Default: 0.5.")]
        public double Interval { get; init; } = 0.5;

        [CommandOption("--json")]
        [Description("Write a JSON array (camelCase) to standard output instead of a table.")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (!SortKeys.Contains(Sort.ToLowerInvariant()))
            {
                return ValidationResult.Error($"--sort must be cpu, mem, pid or name (got '{Sort}').");
            }

            if (Top is <= 0)
            {
                return ValidationResult.Error($"--top must be positive (got {Top}).");
            }

            return Interval is < 0.01 or > 60 || double.IsNaN(Interval)
                ? ValidationResult.Error($"--interval must be between 0.01 and 60 seconds (got {Interval.ToString(CultureInfo.InvariantCulture)}).")
                : ValidationResult.Success();
        }
    }

    internal static readonly string[] SortKeys = ["cpu", "mem", "pid", "name"];

    /// <summary>One row: the facts shown for a process.</summary>
    internal sealed record Row(int Pid, int ParentPid, string User, double CpuPercent, long Rss, int Threads, string Name, IReadOnlyList<string> CommandLine, string Status);

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            console.MarkupLine("[red]Error:[/] xsys ps reads /proc and runs on Linux only for now.");
            return XsysApp.ExitFailed;
        }

        IReadOnlyList<ProcessCpuUsage> usage = await Processes.MeasureCpuAsync(
            TimeSpan.FromSeconds(settings.Interval),
            ProcessFields.Default | ProcessFields.CommandLine,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var rows = new List<Row>(usage.Count);
        foreach (ProcessCpuUsage entry in usage)
        {
            ProcessInfo p = entry.Process;
            rows.Add(new Row(p.Pid, p.ParentPid, p.Username, Math.Round(entry.CpuPercent, 1), p.Memory.Rss, p.ThreadCount, p.Name, p.CommandLine, StatusName(p.Status)));
        }

        IEnumerable<Row> sorted = settings.Sort.ToLowerInvariant() switch
        {
            "mem" => rows.OrderByDescending(r => r.Rss).ThenBy(r => r.Pid),
            "pid" => rows.OrderBy(r => r.Pid),
            "name" => rows.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Pid),
            _ => rows.OrderByDescending(r => r.CpuPercent).ThenByDescending(r => r.Rss).ThenBy(r => r.Pid),
        };
        Row[] shown = [.. settings.Top is int top ? sorted.Take(top) : sorted];
        if (settings.Json)
        {
            WriteJson(shown);
        }
        else
        {
            WriteTable(shown, rows.Count, settings);
        }

        return XsysApp.ExitOk;
    }

    internal static string StatusName(ProcessStatus status) => status switch
    {
        ProcessStatus.DiskSleep => "disk-sleep",
        ProcessStatus.TracingStop => "tracing-stop",
        ProcessStatus.WakeKill => "wake-kill",
        _ => status.ToString().ToLowerInvariant(),
    };

    private void WriteTable(Row[] rows, int total, Settings settings)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("PID").RightAligned())
            .AddColumn(new TableColumn("PPID").RightAligned())
            .AddColumn("USER")
            .AddColumn(new TableColumn("CPU%").RightAligned())
            .AddColumn(new TableColumn("RSS").RightAligned())
            .AddColumn(new TableColumn("THREADS").RightAligned())
            .AddColumn("NAME / COMMAND");
        foreach (Row row in rows)
        {
            // Kernel threads have no command line; ps shows their name in brackets.
            string command = row.CommandLine.Count == 0 ? $"[{row.Name}]" : string.Join(' ', row.CommandLine);
            table.AddRow(
                new Text(row.Pid.ToString(CultureInfo.InvariantCulture)),
                new Text(row.ParentPid.ToString(CultureInfo.InvariantCulture)),
                new Text(row.User),
                new Text(row.CpuPercent.ToString("0.0", CultureInfo.InvariantCulture)),
                new Text(ByteSize.Format(row.Rss)),
                new Text(row.Threads.ToString(CultureInfo.InvariantCulture)),
                new Text(command.Length > 80 ? command[..77] + "..." : command));
        }

        console.Write(table);
        console.MarkupLineInterpolated(
            $"{rows.Length} of {total} processes; CPU% over {settings.Interval.ToString(CultureInfo.InvariantCulture)} s, 100 = one core; sorted by {settings.Sort.ToLowerInvariant()}.");
    }

    private void WriteJson(Row[] rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (Row row in rows)
            {
                json.WriteStartObject();
                json.WriteNumber("pid", row.Pid);
                json.WriteNumber("ppid", row.ParentPid);
                json.WriteString("user", row.User);
                json.WriteNumber("cpuPercent", row.CpuPercent);
                json.WriteNumber("rss", row.Rss);
                json.WriteNumber("threads", row.Threads);
                json.WriteString("name", row.Name);
                json.WriteString("status", row.Status);
                json.WriteStartArray("commandLine");
                foreach (string arg in row.CommandLine)
                {
                    json.WriteStringValue(arg);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        // Plain text, no markup: machine-readable even on a color terminal.
        console.Profile.Out.Writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
