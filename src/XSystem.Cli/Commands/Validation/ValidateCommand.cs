using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Cli.Commands.Serialization;
using XSystem.Serialization;
using static XSystem.Cli.Commands.Serialization.DataCommandSupport;

namespace XSystem.Cli.Commands.Validation;

/// <summary>
/// <c>xsys validate DATA_FILE --schema SCHEMA.json</c>: loads a document in any format XSystem reads and validates it
/// against a JSON Schema (draft 2020-12 by default, formats asserted); prints every error with its JSON Pointer path.
/// </summary>
internal sealed class ValidateCommand(IAnsiConsole console, StandardStreams streams) : AsyncCommand<ValidateCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys validate</c>.</summary>
    internal sealed class Settings : DataSettings
    {
        [CommandArgument(0, "<DATA_FILE>")]
        [Description("The document to validate (JSON, YAML, TOML, XML, CSV ... chosen by extension, else by content).")]
        public string DataFile { get; init; } = string.Empty;

        [CommandOption("--schema <SCHEMA>")]
        [Description("The JSON Schema file (JSON). Required.")]
        public string? Schema { get; init; }

        [CommandOption("--no-formats")]
        [Description("Treat \"format\" as an annotation instead of asserting it (date-time, uuid, email ...).")]
        public bool NoFormats { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Schema))
            {
                return ValidationResult.Error("--schema SCHEMA.json is required: the JSON Schema to validate against.");
            }

            return base.Validate();
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        RunAsync(streams, () => Task.FromResult(Validate(settings)));

    private int Validate(Settings settings)
    {
        var schemaPath = Path.GetFullPath(settings.Schema!);
        if (!File.Exists(schemaPath))
        {
            throw CommandProblemException.Failed($"schema file not found: {settings.Schema}");
        }

        JsonSchema schema;
        try
        {
            schema = JsonSchema.FromText(File.ReadAllText(schemaPath), baseUri: new Uri(schemaPath));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw CommandProblemException.Failed($"{settings.Schema}: not a valid JSON Schema: {ex.Message}");
        }

        var data = Serializer.Load(settings.DataFile, new SerializerOptions { MaxBytes = settings.MaxBytesValue });
        var element = data is null ? JsonDocument.Parse("null").RootElement : JsonSerializer.SerializeToElement(data, JsonNodeContext.Default.JsonNode);
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = !settings.NoFormats };
        var results = schema.Evaluate(element, options);
        if (results.IsValid)
        {
            console.MarkupLineInterpolated($"[green]valid[/]: {settings.DataFile} matches {settings.Schema}");
            return XsysApp.ExitOk;
        }

        var problems = Collect(results).ToList();
        console.MarkupLineInterpolated($"[red]invalid[/]: {settings.DataFile} does not match {settings.Schema} ({problems.Count} error{(problems.Count == 1 ? "" : "s")})");
        foreach (var (path, keyword, message) in problems)
        {
            console.MarkupLineInterpolated($"  [bold]{path}[/]: {message} [grey]({keyword})[/]");
        }

        return XsysApp.ExitFailed;
    }

    /// <summary>Every error of the result tree as (instance path, keyword, message); the path is a JSON Pointer, "/" for the root.</summary>
    internal static IEnumerable<(string Path, string Keyword, string Message)> Collect(EvaluationResults results)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<EvaluationResults>();
        stack.Push(results);
        var found = new List<(string, string, string)>();
        while (stack.Count > 0)
        {
            var r = stack.Pop();
            if (r.Errors is { Count: > 0 } errors)
            {
                var path = r.InstanceLocation.ToString();
                path = path.Length == 0 ? "/" : path;
                foreach (var kv in errors)
                {
                    if (seen.Add(path + "\0" + kv.Key + "\0" + kv.Value))
                    {
                        found.Add((path, kv.Key, kv.Value));
                    }
                }
            }

            if (r.Details is { } details)
            {
                foreach (var d in details.AsEnumerable().Reverse())
                {
                    stack.Push(d);
                }
            }
        }

        return found;
    }
}

/// <summary>Source-generated metadata for writing a <see cref="JsonNode"/> tree.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
