using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Cli.Commands;
using XSystem.Cli.Commands.Serialization;
using XSystem.Cli.Doctor;
using XSystem.Terminal;

namespace XSystem.Cli;

/// <summary>Builds and runs the <c>xsys</c> command tree. Tests run it in-process against a test console.</summary>
internal static class XsysApp
{
    /// <summary>Exit code for success.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code when a command ran and found a problem (for example a failed doctor check).</summary>
    public const int ExitFailed = 1;

    /// <summary>Exit code for bad command-line usage.</summary>
    public const int ExitUsage = 2;

    /// <summary>Exit code when the user cancelled (Ctrl+C).</summary>
    public const int ExitCancelled = 130;

    public static CommandApp Create(IAnsiConsole? console, IReadOnlyList<IDoctorCheck>? doctorChecks = null, StandardStreams? streams = null)
    {
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(DoctorCheckSet), new DoctorCheckSet(doctorChecks ?? DoctorChecks.Create()));
        registrar.RegisterInstance(typeof(StandardStreams), streams ?? StandardStreams.FromConsole());
        var app = new CommandApp(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName("xsys");
            config.SetApplicationVersion(XSystemInfo.Version);
            config.CancellationExitCode(ExitCancelled);
            config.UseStrictParsing();
            // The shared XSystem.Terminal console follows NO_COLOR, FORCE_COLOR, TERM=dumb and redirection.
            config.ConfigureConsole(console ?? Term.Console);

            config.SetExceptionHandler((exception, _) =>
            {
                IAnsiConsole target = console ?? Term.Console;
                switch (exception)
                {
                    case CommandParseException or CommandRuntimeException:
                        target.MarkupLineInterpolated($"[red]Error:[/] {exception.Message}");
                        target.MarkupLine("Run [bold]xsys --help[/] to see the commands and their options.");
                        return ExitUsage;
                    case OperationCanceledException:
                        target.MarkupLine("[yellow]Cancelled.[/]");
                        return ExitCancelled;
                    default:
                        target.MarkupLineInterpolated($"[red]Error:[/] {exception.GetType().Name}: {exception.Message}");
                        return ExitFailed;
                }
            });

            config.AddCommand<DoctorCommand>("doctor")
                .WithDescription("Check this machine and every XSystem module: runtime, OS, CPU count, module status and self-checks. Exit code 1 if a check fails.")
                .WithExample("doctor")
                .WithExample("doctor", "--json");

            config.AddCommand<ConvertCommand>("convert")
                .WithDescription("Convert a document between formats (JSON, YAML, TOML, XML, CSV ...). IN and OUT are files or - for standard input/output; formats come from --from/--to, else the extensions, else the input's content. Files are written atomically.")
                .WithExample("convert", "config.yaml", "config.json")
                .WithExample("convert", "data.csv", "data.jsonl")
                .WithExample("convert", "-", "-", "--from", "yaml", "--to", "json")
                .WithExample("convert", "settings", "settings.toml", "--max-bytes", "200MiB");

            config.AddCommand<FormatsCommand>("formats")
                .WithDescription("List every serialization format: names, extensions, media types, text or binary, capabilities, package.")
                .WithExample("formats")
                .WithExample("formats", "--json");

            config.AddCommand<FmtCommand>("fmt")
                .WithDescription("Validate and pretty print a document in its own format. --check only validates (file:line:column: message, exit 1); --in-place rewrites the file atomically.")
                .WithExample("fmt", "config.json")
                .WithExample("fmt", "config.yaml", "--check")
                .WithExample("fmt", "config.toml", "--in-place");

            // Validation
            config.AddCommand<Commands.Validation.ValidateCommand>("validate")
                .WithDescription("Validate a document (any format XSystem reads) against a JSON Schema; every error is listed with its JSON Pointer path. Exit code 1 when invalid.")
                .WithExample("validate", "order.yaml", "--schema", "order.schema.json");
            config.AddCommand<Commands.Validation.SchemaCommand>("schema")
                .WithDescription("Print the JSON Schema (draft 2020-12) of an XModel type or record from an assembly.")
                .WithExample("schema", "MyApp.dll", "MyApp.Models.User");
        });
        return app;
    }

    public static Task<int> RunAsync(string[] args, IAnsiConsole? console, CancellationToken cancellationToken) =>
        Create(console).RunAsync(ProtectDash(args), cancellationToken);

    public static Task<int> RunAsync(string[] args, IAnsiConsole? console, IReadOnlyList<IDoctorCheck>? doctorChecks, CancellationToken cancellationToken) =>
        Create(console, doctorChecks).RunAsync(ProtectDash(args), cancellationToken);

    public static Task<int> RunAsync(string[] args, IAnsiConsole? console, StandardStreams streams, CancellationToken cancellationToken) =>
        Create(console, doctorChecks: null, streams).RunAsync(ProtectDash(args), cancellationToken);

    /// <summary>
    /// Spectre.Console.Cli reads a lone <c>-</c> as an option without a name and rejects it, yet <c>-</c> is the usual
    /// name for standard input and output. Each lone <c>-</c> becomes <see cref="DataCommandSupport.StandardStream"/>,
    /// a token no real argument can equal (it holds a NUL character), which the data commands read as standard input/output.
    /// </summary>
    internal static string[] ProtectDash(string[] args) =>
        Array.ConvertAll(args, a => a == "-" ? DataCommandSupport.StandardStream : a);
}
