using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Time;

namespace XSystem.Cli.Commands.Time;

/// <summary><c>xsys time zones [FILTER]</c>: lists time zones with their current offset and daylight-saving state.</summary>
internal sealed class TimeZonesCommand(IAnsiConsole console) : Command<TimeZonesCommand.Settings>
{
    /// <summary>Arguments of <c>xsys time zones</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[FILTER]")]
        [Description("Only zones whose id contains this text (case-insensitive), e.g. \"europe\" or \"new york\".")]
        public string? Filter { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> zones = TimezoneManager.ListZones(settings.Filter);
        if (zones.Count == 0)
        {
            IReadOnlyList<string> suggestions = settings.Filter is null ? [] : TimezoneManager.Suggest(settings.Filter);
            console.MarkupLineInterpolated($"No time zone matches '{settings.Filter}'.{(suggestions.Count > 0 ? " Did you mean " + string.Join(", ", suggestions) + "?" : string.Empty)}");
            return XsysApp.ExitFailed;
        }

        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Zone").AddColumn("UTC offset now").AddColumn("DST now").AddColumn("Next change (UTC)");
        foreach (string id in zones)
        {
            TimeZoneInfo zone = TimezoneManager.FindZone(id);
            TimeSpan offset = zone.GetUtcOffset(now);
            ZoneTransition? next = zone.SupportsDaylightSavingTime ? TimezoneManager.GetNextTransition(now, id) : null;
            table.AddRow(
                new Text(id),
                new Text((offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh':'mm", CultureInfo.InvariantCulture)),
                new Text(zone.IsDaylightSavingTime(now) ? "yes" : "no"),
                new Text(next is { } t ? $"{t.Instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} ({(t.Shift > TimeSpan.Zero ? "+" : "-")}{t.Shift.Duration().TotalMinutes:0} min)" : "-"));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"{zones.Count} zone(s).");
        return XsysApp.ExitOk;
    }
}
