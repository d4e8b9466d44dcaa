using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Time;

namespace XSystem.Cli.Commands.Time;

/// <summary><c>xsys time convert TIME --from ZONE --to ZONE</c>: converts a wall-clock time or an ISO 8601 instant between zones.</summary>
internal sealed class TimeConvertCommand(IAnsiConsole console) : Command<TimeConvertCommand.Settings>
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
    ];

    /// <summary>Arguments and options of <c>xsys time convert</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<TIME>")]
        [Description("A wall-clock time in the --from zone (\"2025-03-30 02:30\"), or an ISO 8601 instant with an offset (\"2025-03-30T01:30:00Z\").")]
        public string Time { get; init; } = string.Empty;

        [CommandOption("--from <ZONE>")]
        [Description("The zone of a wall-clock TIME (IANA or Windows id). Default UTC.")]
        public string From { get; init; } = "UTC";

        [CommandOption("--to <ZONE>")]
        [Description("The zone to show the time in. Default UTC.")]
        public string To { get; init; } = "UTC";

        [CommandOption("--dst <POLICY>")]
        [Description("For wall-clock times that daylight saving skips or repeats: earlier (default; skipped times move forward by the gap), later, or throw.")]
        [DefaultValue(DstPolicy.Earlier)]
        public DstPolicy Dst { get; init; } = DstPolicy.Earlier;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!TimezoneManager.TryFindZone(settings.From, out TimeZoneInfo? from) || !TimezoneManager.TryFindZone(settings.To, out TimeZoneInfo? to))
        {
            string bad = TimezoneManager.TryFindZone(settings.From, out _) ? settings.To : settings.From;
            console.MarkupLineInterpolated($"[red]Error:[/] {new UnknownTimeZoneException(bad, TimezoneManager.Suggest(bad), null).Message}");
            return XsysApp.ExitUsage;
        }

        DateTimeOffset instant;
        if (Iso8601.TryParse(settings.Time, out DateTimeOffset withOffset))
        {
            instant = withOffset;
        }
        else if (DateTime.TryParseExact(settings.Time.Trim(), LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
        {
            string? note = null;
            if (from.IsInvalidTime(local))
            {
                note = $"{local:yyyy-MM-dd HH:mm} does not exist in {from.Id} (the clocks skip it); it was moved forward by the gap.";
            }
            else if (from.IsAmbiguousTime(local))
            {
                note = $"{local:yyyy-MM-dd HH:mm} happens twice in {from.Id}; the {(settings.Dst == DstPolicy.Later ? "second" : "first")} occurrence was used.";
            }

            try
            {
                instant = TimezoneManager.ResolveLocal(local, from.Id, settings.Dst);
            }
            catch (DstResolutionException ex)
            {
                console.MarkupLineInterpolated($"[red]Error:[/] {ex.Message}");
                return XsysApp.ExitFailed;
            }

            if (note is not null)
            {
                console.MarkupLineInterpolated($"[yellow]Note:[/] {note}");
            }
        }
        else
        {
            console.MarkupLineInterpolated($"[red]Error:[/] '{settings.Time}' is not a time. Write \"2025-03-30 02:30\" (wall clock in --from) or an ISO 8601 instant such as \"2025-03-30T01:30:00Z\".");
            return XsysApp.ExitUsage;
        }

        DateTimeOffset result = TimeZoneInfo.ConvertTime(instant, to);
        console.WriteLine($"{Iso8601.Format(result)} ({to.Id}{(to.IsDaylightSavingTime(result) ? ", daylight saving" : string.Empty)})");
        return XsysApp.ExitOk;
    }
}
