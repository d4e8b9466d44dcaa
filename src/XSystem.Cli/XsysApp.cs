using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Cli.Commands;
using XSystem.Cli.Commands.Caching;
using XSystem.Cli.Commands.Monitoring;
using XSystem.Cli.Commands.Security;
using XSystem.Cli.Commands.Serialization;
using XSystem.Cli.Commands.Time;
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

            config.AddCommand<CacheBenchCommand>("cache-bench")
                .WithDescription("Replay a seeded Zipf(0.9) trace against the XSystem caches (LRU, LFU, TTL) and Belady's optimum; print hit rate and throughput.")
                .WithExample("cache-bench")
                .WithExample("cache-bench", "--policy", "lfu", "--size", "500")
                .WithExample("cache-bench", "--threads", "4");

            config.AddCommand<FmtCommand>("fmt")
                .WithDescription("Validate and pretty print a document in its own format. --check only validates (file:line:column: message, exit 1); --in-place rewrites the file atomically.")
                .WithExample("fmt", "config.json")
                .WithExample("fmt", "config.yaml", "--check")
                .WithExample("fmt", "config.toml", "--in-place");

            config.AddBranch("time", time =>
            {
                time.SetDescription("Durations and time zones: parse and humanize durations, convert times between zones, list zones.");
                time.AddCommand<TimeParseCommand>("parse")
                    .WithDescription("Read a duration (\"2h 30m\", \"1.5h\", \"250ms\", \"01:30:00\", \"PT2H30M\") and show it as a TimeSpan, in words, short form, ISO 8601 and seconds.")
                    .WithExample("time", "parse", "2h 30m");
                time.AddCommand<TimeHumanizeCommand>("humanize")
                    .WithDescription("Write a duration for people: 9000s -> 2 hours, 30 minutes.")
                    .WithExample("time", "humanize", "9000s")
                    .WithExample("time", "humanize", "93784", "--short");
                time.AddCommand<TimeConvertCommand>("convert")
                    .WithDescription("Convert a wall-clock time (in --from) or an ISO 8601 instant to another zone; skipped and repeated DST times follow --dst.")
                    .WithExample("time", "convert", "2025-03-30 02:30", "--from", "Europe/Berlin", "--to", "UTC");
                time.AddCommand<TimeZonesCommand>("zones")
                    .WithDescription("List time zones (IANA ids) with the UTC offset and DST state now and the next offset change.")
                    .WithExample("time", "zones", "europe");
            });
            // Security (XSystem.Security): hashing, encryption, keys, signatures, certificates.
            config.AddCommand<HashCommand>("hash")
                .WithDescription("Print the digest of each FILE (sha256 by default; sha384, sha512, sha3-256, sha3-384, sha3-512, blake2b) as 'digest  file' lines.")
                .WithExample("hash", "a.iso", "b.iso")
                .WithExample("hash", "a.iso", "--algo", "blake2b");
            config.AddCommand<EncryptCommand>("encrypt")
                .WithDescription("Encrypt IN to OUT in the SecureFile format (Argon2id password or 32-byte key, chunked AES-256-GCM). The password comes from a prompt or --password-file, never from the command line. --xwje writes the Python xSystem envelope instead.")
                .WithExample("encrypt", "secrets.json", "secrets.json.xsef")
                .WithExample("encrypt", "data.bin", "data.bin.xsef", "--key-file", "data.key");
            config.AddCommand<DecryptCommand>("decrypt")
                .WithDescription("Decrypt IN to OUT: SecureFile files and XWJE envelopes from the Python xSystem library (detected by content). OUT appears only if everything authenticates.")
                .WithExample("decrypt", "secrets.json.xsef", "secrets.json")
                .WithExample("decrypt", "legacy.bin", "legacy.json", "--password-file", "pw.txt");
            config.AddCommand<KeygenCommand>("keygen")
                .WithDescription("Create an x25519 or ed25519 key pair as PEM: PREFIX.key (private, mode 0600) and PREFIX.pub with --out, else both on standard output.")
                .WithExample("keygen", "ed25519", "--out", "release");
            config.AddCommand<SignCommand>("sign")
                .WithDescription("Sign FILE with an Ed25519 private key (PEM); prints the base64 signature or writes it with --out.")
                .WithExample("sign", "app.zip", "--key", "release.key", "--out", "app.zip.sig");
            config.AddCommand<VerifyCommand>("verify")
                .WithDescription("Verify an Ed25519 signature of FILE; exit 0 when valid, 1 when not.")
                .WithExample("verify", "app.zip", "--pub", "release.pub", "--sig", "app.zip.sig");
            config.AddBranch("cert", cert =>
            {
                cert.SetDescription("Create and inspect X.509 certificates.");
                cert.AddCommand<CertNewCommand>("new")
                    .WithDescription("Create a self-signed certificate (ECDSA P-256, or RSA 3072 with --rsa) and its key as PEM files.")
                    .WithExample("cert", "new", "localhost", "--dns", "127.0.0.1");
                cert.AddCommand<CertShowCommand>("show")
                    .WithDescription("Show subject, issuer, validity, names, key and SHA-256 fingerprint of a PEM, DER or PFX certificate.")
                    .WithExample("cert", "show", "localhost.crt");
            });

            // Monitoring (XSystem.Monitoring): system facts.
            config.AddCommand<InfoCommand>("info")
                .WithDescription("Show the hardware and OS summary: CPU model, cores, caches, memory, disks, network interfaces, virtualization and container limits.")
                .WithExample("info")
                .WithExample("info", "--json");
            // Http (XSystem.Http)
            config.AddCommand<Commands.Http.HttpCommand>("http")
                .WithDescription("Send one HTTP request (HTTP/2 with fallback, retries, timeouts) and print status, negotiated protocol, headers and the body (pretty-printed JSON/YAML); -o downloads to a file with a progress bar.")
                .WithExample("http", "GET", "https://example.org/")
                .WithExample("http", "POST", "https://api.example.org/items", "--json", "-d", "{\"name\":\"x\"}")
                .WithExample("http", "GET", "https://example.org/big.iso", "-o", "big.iso");
            // Ipc: supervise a command; the hidden __ipc-echo is the child half of the doctor's MessagePipe check.
            config.AddCommand<Commands.Ipc.RunCommand>("run")
                .WithDescription("Run CMD under a process supervisor: restart it by policy with exponential backoff, print its output prefixed with its name (stderr lines marked), exit with its exit code. Ctrl+C stops it gracefully (SIGTERM, then SIGKILL after --grace).")
                .WithExample("run", "--", "python3", "server.py")
                .WithExample("run", "--restart", "on-failure", "--max-restarts", "3", "--", "./worker", "--queue", "jobs");
            config.AddCommand<Commands.Ipc.IpcEchoCommand>("__ipc-echo").IsHidden();
            // Ipc: durable file queues
            config.AddBranch("queue", queue =>
            {
                queue.SetDescription("Inspect durable file queues (XSystem.Ipc FileMessageQueue) without consuming them.");
                queue.AddCommand<Commands.Ipc.QueueStatsCommand>("stats")
                    .WithDescription("Show pending and in-flight messages, segment count, bytes and skipped corrupt records of a file queue directory.")
                    .WithExample("queue", "stats", "/var/lib/app/jobs");
                queue.AddCommand<Commands.Ipc.QueuePeekCommand>("peek")
                    .WithDescription("Print the oldest unacknowledged records of a file queue as JSON lines (MessagePack decoded, else hex); nothing is consumed.")
                    .WithExample("queue", "peek", "/var/lib/app/jobs", "--count", "5");
            });

            // Validation
            config.AddCommand<Commands.Validation.ValidateCommand>("validate")
                .WithDescription("Validate a document (any format XSystem reads) against a JSON Schema; every error is listed with its JSON Pointer path. Exit code 1 when invalid.")
                .WithExample("validate", "order.yaml", "--schema", "order.schema.json");
            config.AddCommand<Commands.Validation.SchemaCommand>("schema")
                .WithDescription("Print the JSON Schema (draft 2020-12) of an XModel type or record from an assembly.")
                .WithExample("schema", "MyApp.dll", "MyApp.Models.User");

            // Monitoring: processes
            config.AddCommand<Commands.Monitoring.PsCommand>("ps")
                .WithDescription("List processes like ps/top: PID, PPID, user, CPU% over a short interval, RSS, threads and command. --json writes the same facts for scripts.")
                .WithExample("ps", "--sort", "mem", "--top", "10")
                .WithExample("ps", "--json");
            config.AddCommand<MonitorCommand>("monitor")
                .WithDescription("Live dashboard: CPU per core, memory, disk and network rates and the busiest processes, refreshed in place; q or Ctrl+C quits. With redirected output (or --plain) one line per refresh.")
                .WithExample("monitor")
                .WithExample("monitor", "--interval", "2", "--top", "10")
                .WithExample("monitor", "--plain", "--count", "5");
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
