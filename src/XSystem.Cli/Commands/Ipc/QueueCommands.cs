using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Ipc;
using XSystem.Serialization;

namespace XSystem.Cli.Commands.Ipc;

/// <summary><c>xsys queue stats PATH</c>: pending and in-flight messages, segments and bytes of a file queue.</summary>
internal sealed class QueueStatsCommand(IAnsiConsole console) : Command<QueueStatsCommand.Settings>
{
    /// <summary>Options of <c>xsys queue stats</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<PATH>")]
        [Description("The file queue directory.")]
        public string Path { get; init; } = string.Empty;

        [CommandOption("--json")]
        [Description("Write the numbers as a JSON object instead of a table.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        FileQueueStats stats = FileMessageQueue.GetStats(settings.Path);
        if (settings.Json)
        {
            var json = new JsonObject
            {
                ["path"] = System.IO.Path.GetFullPath(settings.Path),
                ["pending"] = stats.Pending,
                ["inFlight"] = stats.InFlight,
                ["segments"] = stats.Segments,
                ["bytes"] = stats.Bytes,
                ["corruptRecords"] = stats.CorruptRecords,
            };
            console.Profile.Out.Writer.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return XsysApp.ExitOk;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Queue").AddColumn(new TableColumn("Value").RightAligned());
        table.AddRow("pending", stats.Pending.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("in flight", stats.InFlight.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("segments", stats.Segments.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("bytes", stats.Bytes.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("corrupt records skipped", stats.CorruptRecords.ToString("N0", CultureInfo.InvariantCulture));
        console.Write(table);
        return XsysApp.ExitOk;
    }
}

/// <summary>
/// <c>xsys queue peek PATH [--count N]</c>: the oldest unacknowledged records of a file queue, one JSON object per line,
/// without consuming them. A record that decodes as MessagePack shows as <c>value</c>, any other as <c>hex</c>.
/// </summary>
internal sealed class QueuePeekCommand(IAnsiConsole console) : Command<QueuePeekCommand.Settings>
{
    /// <summary>Options of <c>xsys queue peek</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<PATH>")]
        [Description("The file queue directory.")]
        public string Path { get; init; } = string.Empty;

        [CommandOption("-n|--count <N>")]
        [Description("How many records to show (default 10).")]
        public int Count { get; init; } = 10;

        public override ValidationResult Validate() =>
            Count < 1 ? ValidationResult.Error($"--count must be at least 1 (got {Count}).") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<FileQueueRecord> records = FileMessageQueue.Peek(settings.Path, settings.Count);
        IFormat messagePack = Formats.FromName("msgpack");
        TextWriter output = console.Profile.Out.Writer;
        foreach (FileQueueRecord record in records)
        {
            var line = new JsonObject
            {
                ["id"] = record.Id,
                ["inFlight"] = record.InFlight,
                ["deliveries"] = record.DeliveryCount,
                ["bytes"] = record.Payload.Length,
            };
            try
            {
                line["value"] = messagePack.Parse(record.Payload.Span, SerializerOptions.Default);
            }
            catch (SerializationException)
            {
                line["hex"] = Convert.ToHexStringLower(record.Payload.Span);
            }

            output.WriteLine(line.ToJsonString());
        }

        if (records.Count == 0)
        {
            console.MarkupLine("[dim]The queue holds no unacknowledged messages.[/]");
        }

        return XsysApp.ExitOk;
    }
}
