using System.Globalization;
using Spectre.Console;
using XSystem.Time;

namespace XSystem.Cli.Commands.Time;

/// <summary>Shared helpers of the <c>xsys time</c> commands.</summary>
internal static class TimeCommandSupport
{
    /// <summary>The CLI writes English unit names whatever the machine's culture.</summary>
    public static readonly HumanizeOptions English = new() { Culture = CultureInfo.GetCultureInfo("en-US") };

    /// <summary>Parses a duration or prints the parse error (with its position) and returns false.</summary>
    public static bool TryParseDuration(IAnsiConsole console, string text, out TimeSpan value)
    {
        try
        {
            value = Durations.Parse(text);
            return true;
        }
        catch (DurationFormatException ex)
        {
            console.MarkupLineInterpolated($"[red]Error:[/] {ex.Message}");
            value = default;
            return false;
        }
    }
}
