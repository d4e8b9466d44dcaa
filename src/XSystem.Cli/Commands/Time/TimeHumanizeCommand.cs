using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Time;

namespace XSystem.Cli.Commands.Time;

/// <summary><c>xsys time humanize DURATION</c>: writes a duration for people ("2 hours, 30 minutes").</summary>
internal sealed class TimeHumanizeCommand(IAnsiConsole console) : Command<TimeHumanizeCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys time humanize</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DURATION>")]
        [Description("The duration: \"9000s\", \"9000\" (seconds), \"150m\", \"02:30:00\", \"PT2H30M\" ...")]
        public string Duration { get; init; } = string.Empty;

        [CommandOption("--short")]
        [Description("Short form: \"2h 30m\".")]
        public bool Short { get; init; }

        [CommandOption("--max-units <N>")]
        [Description("The most units to show, largest first. Default 3.")]
        [DefaultValue(3)]
        public int MaxUnits { get; init; } = 3;

        public override ValidationResult Validate() =>
            MaxUnits < 1 ? ValidationResult.Error("--max-units must be at least 1.") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!TimeCommandSupport.TryParseDuration(console, settings.Duration, out TimeSpan value))
        {
            return XsysApp.ExitUsage;
        }

        string text = Durations.Humanize(value, TimeCommandSupport.English with { ShortForm = settings.Short, MaxUnits = settings.MaxUnits });
        console.WriteLine(text);
        return XsysApp.ExitOk;
    }
}
