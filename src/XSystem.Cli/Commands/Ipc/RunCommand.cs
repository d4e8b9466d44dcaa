using System.ComponentModel;
using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Ipc;

namespace XSystem.Cli.Commands.Ipc;

/// <summary>
/// <c>xsys run [--restart never|on-failure|always] [--max-restarts N] -- CMD ARGS</c>: supervises CMD with a
/// <see cref="ProcessManager"/>, restarts it by policy with exponential backoff, prints its output with a
/// <c>[name]</c> prefix (standard error lines as <c>[name:err]</c> on standard error) and exits with the child's exit
/// code once it stops for good. Ctrl+C stops the child gracefully (SIGTERM, SIGKILL after --grace) and exits 130.
/// </summary>
internal sealed class RunCommand(StandardStreams streams) : AsyncCommand<RunCommand.Settings>
{
    /// <summary>Exit code when the command cannot be started (the shell's "command not found").</summary>
    public const int ExitCannotStart = 127;

    /// <summary>Options of <c>xsys run</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--restart <POLICY>")]
        [Description("never, on-failure (non-zero exit or signal) or always. Default: never.")]
        public string Restart { get; init; } = "never";

        [CommandOption("--max-restarts <N>")]
        [Description("Most restarts within one minute before giving up (exit with the last exit code). Default: 5.")]
        public int MaxRestarts { get; init; } = 5;

        [CommandOption("--restart-delay <SECONDS>")]
        [Description("Delay before the first restart, doubled for each further restart within the minute (at most 30 s). Default: 1.")]
        public double RestartDelay { get; init; } = 1;

        [CommandOption("--grace <SECONDS>")]
        [Description("On Ctrl+C: time between SIGTERM and SIGKILL. Default: 10.")]
        public double Grace { get; init; } = 10;

        [CommandOption("--name <NAME>")]
        [Description("Prefix of the output lines. Default: the command's file name.")]
        public string? Name { get; init; }

        public override ValidationResult Validate()
        {
            if (ParsePolicy(Restart) is null)
            {
                return ValidationResult.Error($"--restart must be never, on-failure or always (got '{Restart}').");
            }

            if (MaxRestarts < 0)
            {
                return ValidationResult.Error("--max-restarts must be 0 or more.");
            }

            return RestartDelay is < 0 or > 30 || Grace is < 0 or > 3600
                ? ValidationResult.Error("--restart-delay must be between 0 and 30 seconds and --grace between 0 and 3600.")
                : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> command = context.Remaining.Raw;
        if (command.Count == 0)
        {
            await streams.Error.WriteLineAsync("error: no command to run. Usage: xsys run [OPTIONS] -- CMD [ARGS...]").ConfigureAwait(false);
            return XsysApp.ExitUsage;
        }

        string name = settings.Name ?? Path.GetFileName(command[0]);
        var spec = new ProcessSpec(command[0], command.Skip(1))
        {
            RestartPolicy = ParsePolicy(settings.Restart)!.Value,
            MaxRestarts = settings.MaxRestarts,
            InitialRestartDelay = TimeSpan.FromSeconds(settings.RestartDelay),
            MaxRestartDelay = TimeSpan.FromSeconds(Math.Max(30, settings.RestartDelay)),
        };

        var writeLock = new Lock();
        Stream stdoutStream = streams.Output;
        var stdout = new StreamWriter(stdoutStream, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true };
        await using (stdout.ConfigureAwait(false))
        {
            var manager = new ProcessManager(new ProcessManagerOptions { MaxProcesses = 1, DisposeGracePeriod = TimeSpan.FromSeconds(settings.Grace) });
            await using (manager.ConfigureAwait(false))
            {
                bool finished = false;
                manager.Exited += (_, e) =>
                {
                    lock (writeLock)
                    {
                        // Handlers run on the thread pool and may come late: write nothing once the command is done.
                        if (!finished && e.WillRestart)
                        {
                            streams.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"xsys run: '{name}' (pid {e.ProcessId}) exited with code {e.ExitCode}; restarting"));
                        }
                    }
                };

                try
                {
                    manager.Start(name, spec);
                }
                catch (FileNotFoundException ex)
                {
                    await streams.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                    return ExitCannotStart;
                }

                bool cancelled = false;
                using CancellationTokenRegistration stop = cancellationToken.Register(() =>
                {
                    cancelled = true;
                    manager.Stop(name, TimeSpan.FromSeconds(settings.Grace));
                });

                await foreach (OutputLine line in manager.ReadOutputAsync(name, CancellationToken.None).ConfigureAwait(false))
                {
                    lock (writeLock)
                    {
                        if (line.Stream == OutputStreamKind.StandardError)
                        {
                            streams.Error.WriteLine($"[{name}:err] {line.Text}");
                        }
                        else
                        {
                            stdout.WriteLine($"[{name}] {line.Text}");
                        }
                    }
                }

                ManagedProcessInfo final = await manager.WaitForFinalAsync(name, CancellationToken.None).ConfigureAwait(false);
                lock (writeLock)
                {
                    finished = true;
                    streams.Error.WriteLine(final.State == ManagedProcessState.Failed && final.Error is not null
                        ? "xsys run: " + final.Error
                        : string.Create(CultureInfo.InvariantCulture, $"xsys run: '{name}' (pid {final.ProcessId}) exited with code {final.ExitCode}"));
                }

                return cancelled ? XsysApp.ExitCancelled : final.ExitCode ?? XsysApp.ExitFailed;
            }
        }
    }

    internal static RestartPolicy? ParsePolicy(string value) => value.ToLowerInvariant() switch
    {
        "never" or "no" => RestartPolicy.Never,
        "on-failure" or "onfailure" => RestartPolicy.OnFailure,
        "always" => RestartPolicy.Always,
        _ => null,
    };
}
