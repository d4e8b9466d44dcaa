using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.IO;
using XSystem.Serialization;
using XSystem.Serialization.Yaml;
using static XSystem.Cli.Commands.Serialization.DataCommandSupport;

namespace XSystem.Cli.Commands.Serialization;

/// <summary>
/// <c>xsys fmt FILE</c>: parses a document and pretty prints it in the same format (to standard output, or back into
/// the file atomically with <c>--in-place</c>); <c>--check</c> only validates and reports <c>file:line:column: message</c>.
/// </summary>
internal sealed class FmtCommand(StandardStreams streams) : AsyncCommand<FmtCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys fmt</c>.</summary>
    internal sealed class Settings : DataSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The file to format, or - for standard input.")]
        public string File { get; init; } = string.Empty;

        [CommandOption("--check")]
        [Description("Only validate: print file:line:column: message and exit 1 when the file is malformed; print nothing and exit 0 when it is valid.")]
        public bool Check { get; init; }

        [CommandOption("--in-place")]
        [Description("Rewrite the file with the formatted content (atomically) instead of printing it.")]
        public bool InPlace { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("The file's format; default: from the extension, else from the content.")]
        public string? Format { get; init; }

        [CommandOption("--force")]
        [Description("Write a binary format to standard output even when it is a terminal.")]
        public bool Force { get; init; }

        public override ValidationResult Validate()
        {
            if (Check && InPlace)
            {
                return ValidationResult.Error("--check and --in-place exclude each other: --check only validates.");
            }

            if (InPlace && File == StandardStream)
            {
                return ValidationResult.Error("--in-place needs a file, not standard input.");
            }

            return base.Validate();
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        RunAsync(streams, () => FormatAsync(settings, cancellationToken));

    private async Task<int> FormatAsync(Settings settings, CancellationToken cancellationToken)
    {
        SerializerOptions options = Options(settings);
        byte[] data = await ReadInputAsync(settings.File, streams, options.MaxBytes, cancellationToken).ConfigureAwait(false);
        IFormat format = ResolveInputFormat(settings.File, settings.Format, data, "--format");

        IReadOnlyList<JsonNode?> documents;
        try
        {
            // A YAML stream may hold several documents; keep them all. Every other format holds one.
            documents = format is YamlFormat ? YamlFormat.ParseAll(data, options) : [format.Parse(data, options)];
        }
        catch (SerializationException ex) when (settings.Check)
        {
            streams.Error.WriteLine(Locate(settings.File, ex));
            streams.Error.Flush();
            return XsysApp.ExitFailed;
        }

        if (settings.Check)
        {
            return XsysApp.ExitOk;
        }

        byte[] output;
        if (format is YamlFormat && documents.Count != 1)
        {
            var buffer = new ArrayBufferWriter<byte>();
            YamlFormat.WriteAll(documents, buffer, options);
            output = buffer.WrittenSpan.ToArray();
        }
        else
        {
            output = Serializer.Write(documents[0], format, options);
        }

        if (settings.InPlace)
        {
            if (!output.AsSpan().SequenceEqual(data))
            {
                await AtomicFile.WriteAllBytesAsync(settings.File, output, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return XsysApp.ExitOk;
        }

        await WriteOutputAsync(StandardStream, output, format, streams, settings.Force, cancellationToken).ConfigureAwait(false);
        return XsysApp.ExitOk;
    }

    /// <summary>The compiler-style <c>file:line:column: message</c> line for a parse error.</summary>
    internal static string Locate(string file, SerializationException ex)
    {
        string name = file == StandardStream ? "<stdin>" : file;
        string location = ex.Line is { } line
            ? ex.Column is { } column
                ? string.Create(CultureInfo.InvariantCulture, $"{name}:{line}:{column}")
                : string.Create(CultureInfo.InvariantCulture, $"{name}:{line}")
            : name;
        string problem = ex.FormatName.Length > 0 ? $"{ex.FormatName.ToUpperInvariant()}: {ex.Problem}" : ex.Problem;
        if (!string.IsNullOrEmpty(ex.Path))
        {
            problem += " at " + ex.Path;
        }

        return $"{location}: {problem}";
    }
}
