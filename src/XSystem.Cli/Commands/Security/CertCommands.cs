using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.IO;
using XSystem.Security;

namespace XSystem.Cli.Commands.Security;

/// <summary><c>xsys cert new NAME [--out PREFIX]</c>: a self-signed certificate and its private key as PEM files.</summary>
internal sealed class CertNewCommand(StandardStreams streams) : AsyncCommand<CertNewCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys cert new</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("The subject: a host name (becomes CN=NAME and a DNS name) or a distinguished name such as \"CN=x, O=y\".")]
        public string Name { get; init; } = string.Empty;

        [CommandOption("-o|--out <PREFIX>")]
        [Description("Write PREFIX.crt and PREFIX.key (mode 0600); default: the name.")]
        public string? Out { get; init; }

        [CommandOption("--dns <NAME>")]
        [Description("Extra DNS names or IP addresses for the subject alternative name; repeatable.")]
        public string[] Dns { get; init; } = [];

        [CommandOption("--days <DAYS>")]
        [Description("Validity in days; default 365.")]
        public int Days { get; init; } = 365;

        [CommandOption("--rsa")]
        [Description("Use an RSA 3072 key instead of ECDSA P-256.")]
        public bool Rsa { get; init; }

        [CommandOption("--ca")]
        [Description("Make it a certificate authority that may sign other certificates.")]
        public bool Ca { get; init; }

        public override ValidationResult Validate() =>
            Days < 1 ? ValidationResult.Error("--days must be at least 1.") : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        SecurityCommandSupport.RunAsync(streams, async () =>
        {
            var names = settings.Dns.ToList();
            if (!settings.Name.Contains('=', StringComparison.Ordinal) && !settings.Ca)
            {
                names.Insert(0, settings.Name);
            }

            using var cert = Certificates.CreateSelfSigned(
                settings.Name,
                settings.Rsa ? CertificateKeyAlgorithm.Rsa3072 : CertificateKeyAlgorithm.EcdsaP256,
                names,
                TimeSpan.FromDays(settings.Days),
                settings.Ca);
            var prefix = settings.Out ?? string.Concat(settings.Name.Split(Path.GetInvalidFileNameChars().Append('=').Append(',').Append(' ').ToArray()));
            await AtomicFile.WriteAllTextAsync(prefix + ".crt", Certificates.ExportPem(cert) + "\n", cancellationToken: cancellationToken).ConfigureAwait(false);
            await AtomicFile.WriteAllTextAsync(prefix + ".key", Certificates.ExportPrivateKeyPem(cert) + "\n", options: SecurityCommandSupport.PrivateFile, cancellationToken: cancellationToken).ConfigureAwait(false);
            SecurityCommandSupport.WriteText(streams, $"wrote {prefix}.crt and {prefix}.key\nsha256 {Convert.ToHexStringLower(Certificates.Fingerprint(cert))}\n");
            return XsysApp.ExitOk;
        });
}

/// <summary><c>xsys cert show FILE</c>: subject, issuer, validity, names and fingerprint of a PEM, DER or PFX certificate.</summary>
internal sealed class CertShowCommand(IAnsiConsole console, StandardStreams streams) : AsyncCommand<CertShowCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys cert show</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("A certificate file: PEM, DER, or PFX/P12 (by extension).")]
        public string File { get; init; } = string.Empty;

        [CommandOption("--password-file <FILE>")]
        [Description("The PFX password, from the first line of FILE.")]
        public string? PasswordFile { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        SecurityCommandSupport.RunAsync(streams, () =>
        {
            var password = settings.PasswordFile is null ? null : SecurityCommandSupport.ReadPassword(console, settings.PasswordFile, confirm: false);
            using var cert = Certificates.Load(settings.File, password);
            var info = Certificates.Describe(cert);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Field").AddColumn("Value");
            void Row(string name, string value) => table.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));
            Row("Subject", info.Subject);
            Row("Issuer", info.Issuer);
            Row("Serial", info.SerialNumber);
            Row("Not before", info.NotBefore.ToString("u", CultureInfo.InvariantCulture));
            Row("Not after", info.NotAfter.ToString("u", CultureInfo.InvariantCulture));
            Row("DNS names", string.Join(", ", info.DnsNames));
            Row("IP addresses", string.Join(", ", info.IpAddresses));
            Row("Key", info.KeyAlgorithm);
            Row("Signature", info.SignatureAlgorithm);
            Row("Self-signed", info.IsSelfSigned ? "yes" : "no");
            Row("CA", info.IsCertificateAuthority ? "yes" : "no");
            Row("SHA-256", info.Sha256Fingerprint);
            Row("Private key", cert.HasPrivateKey ? "present" : "no");
            console.Write(table);
            return Task.FromResult(XsysApp.ExitOk);
        });
}
