using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Serialization;

namespace XSystem.Cli.Commands.Serialization;

/// <summary><c>xsys formats</c>: every serialization format this xsys can read and write.</summary>
internal sealed class FormatsCommand(IAnsiConsole console) : Command<FormatsCommand.Settings>
{
    /// <summary>Options of <c>xsys formats</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--json")]
        [Description("Write the list as a JSON array to standard output instead of a table.")]
        public bool Json { get; init; }
    }

    /// <summary>The capability flags shown, in order, with their display names.</summary>
    internal static readonly (FormatCapabilities Flag, string Name)[] CapabilityNames =
    [
        (FormatCapabilities.Tree, "tree"),
        (FormatCapabilities.Typed, "typed"),
        (FormatCapabilities.Records, "records"),
        (FormatCapabilities.MultiDocument, "multi-document"),
        (FormatCapabilities.Comments, "comments"),
    ];

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IFormat[] formats = [.. Formats.All.OrderBy(f => f.Name, StringComparer.Ordinal)];
        if (settings.Json)
        {
            WriteJson(formats);
        }
        else
        {
            WriteTable(formats);
        }

        return XsysApp.ExitOk;
    }

    internal static string Kind(IFormat format) => format.Capabilities.HasFlag(FormatCapabilities.Text) ? "text" : "binary";

    internal static IEnumerable<string> Capabilities(IFormat format) =>
        CapabilityNames.Where(c => format.Capabilities.HasFlag(c.Flag)).Select(c => c.Name);

    internal static string Package(IFormat format) => format.GetType().Assembly.GetName().Name ?? "?";

    /// <summary>The package for the table: <c>core</c> for XSystem.Serialization, else the satellite's last name part.</summary>
    internal static string ShortPackage(IFormat format)
    {
        const string Core = "XSystem.Serialization";
        string package = Package(format);
        return package == Core ? "core" : package.StartsWith(Core + ".", StringComparison.Ordinal) ? package[(Core.Length + 1)..] : package;
    }

    private void WriteTable(IFormat[] formats)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Format").AddColumn("Aliases").AddColumn("Extensions").AddColumn("Media types")
            .AddColumn("Kind").AddColumn("Capabilities").AddColumn("Package");
        foreach (IFormat format in formats)
        {
            table.AddRow(
                new Text(format.Name, new Style(decoration: Decoration.Bold)),
                new Text(string.Join(", ", format.Aliases)),
                new Text(string.Join(", ", format.Extensions)),
                new Text(string.Join(Environment.NewLine, format.MediaTypes)),
                new Text(Kind(format)),
                new Text(string.Join(Environment.NewLine, Capabilities(format))),
                new Text(ShortPackage(format)));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"{formats.Length} formats. Package: core is XSystem.Serialization, others XSystem.Serialization.<name>.");
        console.MarkupLine("Use a name or alias with [bold]xsys convert --from/--to[/] or [bold]xsys fmt --format[/].");
    }

    private void WriteJson(IFormat[] formats)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (IFormat format in formats)
            {
                json.WriteStartObject();
                json.WriteString("name", format.Name);
                WriteArray(json, "aliases", format.Aliases);
                WriteArray(json, "extensions", format.Extensions);
                WriteArray(json, "mediaTypes", format.MediaTypes);
                json.WriteString("kind", Kind(format));
                WriteArray(json, "capabilities", Capabilities(format));
                json.WriteString("package", Package(format));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        // Plain text, no markup: machine-readable even on a color terminal.
        console.Profile.Out.Writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
