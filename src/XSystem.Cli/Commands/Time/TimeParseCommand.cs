using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Time;

namespace XSystem.Cli.Commands.Time;

/// <summary><c>xsys time parse DURATION</c>: reads a human, clock or ISO 8601 duration and shows it in every form.</summary>
internal sealed class TimeParseCommand(IAnsiConsole console) : Command<TimeParseCommand.Settings>
{
    /// <summary>Arguments of <c>xsys time parse</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DURATION>")]
        [Description("The duration: \"2h 30m\", \"1.5 hours\", \"250ms\", \"01:30:00\", \"1.02:03:04\", \"PT2H30M\" ...")]
        public string Duration { get; init; } = string.Empty;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!TimeCommandSupport.TryParseDuration(console, settings.Duration, out TimeSpan value))
        {
            return XsysApp.ExitUsage;
        }

        CultureInfo inv = CultureInfo.InvariantCulture;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(new Text("TimeSpan", new Style(decoration: Decoration.Bold)), new Text(value.ToString("c", inv)));
        grid.AddRow(new Text("Humanized", new Style(decoration: Decoration.Bold)), new Text(Durations.Humanize(value, TimeCommandSupport.English)));
        grid.AddRow(new Text("Short", new Style(decoration: Decoration.Bold)), new Text(Durations.Humanize(value, TimeCommandSupport.English with { ShortForm = true })));
        grid.AddRow(new Text("ISO 8601", new Style(decoration: Decoration.Bold)), new Text(Durations.ToIso8601(value)));
        grid.AddRow(new Text("Seconds", new Style(decoration: Decoration.Bold)), new Text(value.TotalSeconds.ToString("0.#######", inv)));
        console.Write(grid);
        return XsysApp.ExitOk;
    }
}
