using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Cli.Doctor;

namespace XSystem.Cli.Commands;

/// <summary><c>xsys doctor</c>: the machine, every module's status, and each module's self-check.</summary>
internal sealed class DoctorCommand(IAnsiConsole console, DoctorCheckSet checkSet) : AsyncCommand<DoctorCommand.Settings>
{
    /// <summary>How long one self-check may take before it counts as failed.</summary>
    internal static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Options of <c>xsys doctor</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--json")]
        [Description("Write the report as one JSON object to standard output instead of tables.")]
        public bool Json { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<IDoctorCheck> checks = checkSet.Checks;
        var results = new List<(IDoctorCheck Check, CheckResult Result, TimeSpan Duration)>(checks.Count);
        foreach (IDoctorCheck check in checks)
        {
            results.Add(await RunOneAsync(check, cancellationToken).ConfigureAwait(false));
        }

        bool allPassed = results.TrueForAll(r => r.Result.Passed);
        if (settings.Json)
        {
            WriteJson(results, allPassed);
        }
        else
        {
            WriteTables(results, allPassed);
        }

        return allPassed ? XsysApp.ExitOk : XsysApp.ExitFailed;
    }

    private static async Task<(IDoctorCheck, CheckResult, TimeSpan)> RunOneAsync(IDoctorCheck check, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        CheckResult result;
        try
        {
            result = await check.RunAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = CheckResult.Fail($"did not finish within {CheckTimeout.TotalSeconds:0} s");
        }
#pragma warning disable CA1031 // A self-check that throws is a failed check, reported with its message; the doctor must go on.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            result = CheckResult.Fail($"{ex.GetType().Name}: {ex.Message}");
        }

        return (check, result, Stopwatch.GetElapsedTime(start));
    }

    private static IEnumerable<(string Name, string Key, string Value)> Facts() =>
    [
        ("Runtime", "runtime", RuntimeInformation.FrameworkDescription),
        ("OS", "os", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.RuntimeIdentifier})"),
        ("CPUs", "cpuCount", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("XSystem", "xsystemVersion", XSystemInfo.Version),
    ];

    private void WriteTables(List<(IDoctorCheck Check, CheckResult Result, TimeSpan Duration)> results, bool allPassed)
    {
        var facts = new Spectre.Console.Table().NoBorder().HideHeaders().AddColumn("Fact").AddColumn("Value");
        foreach (var (name, _, value) in Facts())
        {
            facts.AddRow(new Text(name, new Spectre.Console.Style(decoration: Decoration.Bold)), new Text(value));
        }

        console.Write(new Rule("[bold]xsys doctor[/]").LeftJustified());
        console.Write(facts);
        console.WriteLine();

        var modules = new Spectre.Console.Table().Border(TableBorder.Rounded)
            .AddColumn("Module").AddColumn("Status").AddColumn("Self-check");
        foreach (ModuleInfo module in ModuleCatalog.All)
        {
            var own = results.Where(r => r.Check.Module == module.Name).ToList();
            string status = ModuleCatalog.Label(module.Status);
            string statusMarkup = module.Status switch
            {
                ModuleStatus.Done => $"[green]{status}[/]",
                ModuleStatus.InProgress => $"[yellow]{status}[/]",
                _ => $"[grey]{status}[/]",
            };
            string check = own.Count == 0
                ? "[grey]-[/]"
                : string.Join(
                    Environment.NewLine,
                    own.Select(r => (r.Result.Passed ? "[green]PASS[/] " : "[red]FAIL[/] ") + Markup.Escape(r.Check.Description + ": " + r.Result.Detail)));
            modules.AddRow(new Markup(Markup.Escape(module.Name)), new Markup(statusMarkup), new Markup(check));
        }

        console.Write(modules);
        int failed = results.Count(r => !r.Result.Passed);
        console.MarkupLine(allPassed
            ? $"[green]All {results.Count} self-checks passed.[/]"
            : $"[red]{failed} of {results.Count} self-checks failed.[/]");
    }

    private void WriteJson(List<(IDoctorCheck Check, CheckResult Result, TimeSpan Duration)> results, bool allPassed)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            foreach (var (_, key, value) in Facts())
            {
                json.WriteString(key, value);
            }

            json.WriteBoolean("ok", allPassed);
            json.WriteStartArray("modules");
            foreach (ModuleInfo module in ModuleCatalog.All)
            {
                json.WriteStartObject();
                json.WriteString("name", module.Name);
                json.WriteString("status", ModuleCatalog.Label(module.Status));
                json.WriteString("summary", module.Summary);
                json.WriteStartArray("checks");
                foreach (var r in results.Where(r => r.Check.Module == module.Name))
                {
                    json.WriteStartObject();
                    json.WriteString("description", r.Check.Description);
                    json.WriteBoolean("passed", r.Result.Passed);
                    json.WriteString("detail", r.Result.Detail);
                    json.WriteNumber("milliseconds", Math.Round(r.Duration.TotalMilliseconds, 1));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        // Plain text, no markup: the JSON must be machine-readable even on a color terminal.
        console.Profile.Out.Writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
