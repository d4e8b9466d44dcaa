using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Cli.Commands;
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

    public static CommandApp Create(IAnsiConsole? console, IReadOnlyList<IDoctorCheck>? doctorChecks = null)
    {
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(DoctorCheckSet), new DoctorCheckSet(doctorChecks ?? DoctorChecks.Create()));
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
        });
        return app;
    }

    public static Task<int> RunAsync(string[] args, IAnsiConsole? console, CancellationToken cancellationToken) =>
        Create(console).RunAsync(args, cancellationToken);

    public static Task<int> RunAsync(string[] args, IAnsiConsole? console, IReadOnlyList<IDoctorCheck>? doctorChecks, CancellationToken cancellationToken) =>
        Create(console, doctorChecks).RunAsync(args, cancellationToken);
}
