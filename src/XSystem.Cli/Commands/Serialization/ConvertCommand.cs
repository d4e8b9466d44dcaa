using System.ComponentModel;
using System.Text.Json.Nodes;
using Spectre.Console.Cli;
using XSystem.Serialization;
using static XSystem.Cli.Commands.Serialization.DataCommandSupport;

namespace XSystem.Cli.Commands.Serialization;

/// <summary>
/// <c>xsys convert IN OUT</c>: converts a document between any two formats. <c>-</c> stands for standard input or
/// output. Formats come from <c>--from</c>/<c>--to</c>, else the extensions, else (input only) the content.
/// Files are written atomically; between two record formats (JSON Lines, CSV, TSV) files are streamed.
/// </summary>
internal sealed class ConvertCommand(StandardStreams streams) : AsyncCommand<ConvertCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys convert</c>.</summary>
    internal sealed class Settings : DataSettings
    {
        [CommandArgument(0, "<IN>")]
        [Description("The input file, or - for standard input.")]
        public string Input { get; init; } = string.Empty;

        [CommandArgument(1, "<OUT>")]
        [Description("The output file, or - for standard output (then --to is required).")]
        public string Output { get; init; } = string.Empty;

        [CommandOption("--from <FORMAT>")]
        [Description("The input format (json, yaml, toml, csv ...); default: from the extension, else from the content.")]
        public string? From { get; init; }

        [CommandOption("--to <FORMAT>")]
        [Description("The output format; default: from the output file's extension.")]
        public string? To { get; init; }

        [CommandOption("--compact")]
        [Description("Write without indentation where the format allows it (JSON, JSON5, XML ...).")]
        public bool Compact { get; init; }

        [CommandOption("--force")]
        [Description("Write a binary format to standard output even when it is a terminal.")]
        public bool Force { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        RunAsync(streams, () => ConvertAsync(settings, cancellationToken));

    private async Task<int> ConvertAsync(Settings settings, CancellationToken cancellationToken)
    {
        SerializerOptions options = Options(settings, indent: !settings.Compact);
        IFormat to = ResolveOutputFormat(settings.Output, settings.To);

        if (settings.Input != StandardStream && settings.Output != StandardStream)
        {
            // File to file: the serializer picks streaming for record formats and publishes the output atomically.
            IFormat from = ResolveFileInputFormat(settings.Input, settings.From);
            await Serializer.ConvertAsync(settings.Input, settings.Output, options, from, to, cancellationToken).ConfigureAwait(false);
            return XsysApp.ExitOk;
        }

        byte[] data = await ReadInputAsync(settings.Input, streams, options.MaxBytes, cancellationToken).ConfigureAwait(false);
        IFormat input = ResolveInputFormat(settings.Input, settings.From, data, "--from");
        JsonNode? tree = input.Parse(data, options);
        byte[] output = Serializer.Write(tree, to, options);
        await WriteOutputAsync(settings.Output, output, to, streams, settings.Force, cancellationToken).ConfigureAwait(false);
        return XsysApp.ExitOk;
    }

    private static IFormat ResolveFileInputFormat(string path, string? name)
    {
        if (name is not null)
        {
            return Formats.FromName(name);
        }

        if (!File.Exists(path))
        {
            throw CommandProblemException.Failed(Directory.Exists(path) ? $"'{path}' is a directory, not a file" : $"input file not found: {path}");
        }

        if (Formats.TryFromExtension(Path.GetExtension(path), out IFormat? byExtension))
        {
            return byExtension;
        }

        // Unknown extension (or none): look at the first few KiB only; the conversion reads the file itself.
        byte[] sample = new byte[Formats.DetectionSampleSize];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            read = stream.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false);
        }

        return ResolveInputFormat(path, name: null, sample.AsSpan(0, read), "--from");
    }
}
