using System.ComponentModel;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Cli.Commands.Serialization;
using XSystem.IO;
using XSystem.Security;

namespace XSystem.Cli.Commands.Security;

/// <summary><c>xsys keygen x25519|ed25519 [--out PREFIX]</c>: a new key pair as PKCS#8 and SubjectPublicKeyInfo PEM.</summary>
internal sealed class KeygenCommand(StandardStreams streams) : AsyncCommand<KeygenCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys keygen</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<TYPE>")]
        [Description("x25519 (key agreement) or ed25519 (signatures).")]
        public string Type { get; init; } = string.Empty;

        [CommandOption("-o|--out <PREFIX>")]
        [Description("Write PREFIX.key (private, mode 0600) and PREFIX.pub instead of printing both PEM blocks.")]
        public string? Out { get; init; }

        public override ValidationResult Validate() =>
            Type.ToLowerInvariant() is "x25519" or "ed25519"
                ? ValidationResult.Success()
                : ValidationResult.Error($"key type '{Type}' is not x25519 or ed25519.");
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        SecurityCommandSupport.RunAsync(streams, async () =>
        {
            string privatePem;
            string publicPem;
            if (settings.Type.Equals("x25519", StringComparison.OrdinalIgnoreCase))
            {
                using var key = new X25519KeyExchange(allowExport: true);
                (privatePem, publicPem) = (key.ExportPkcs8Pem(), key.ExportPublicKeyPem());
            }
            else
            {
                using var key = new Ed25519Signer(allowExport: true);
                (privatePem, publicPem) = (key.ExportPkcs8Pem(), key.ExportPublicKeyPem());
            }

            if (settings.Out is null)
            {
                SecurityCommandSupport.WriteText(streams, privatePem.TrimEnd() + "\n" + publicPem.TrimEnd() + "\n");
                return XsysApp.ExitOk;
            }

            await AtomicFile.WriteAllTextAsync(settings.Out + ".key", privatePem.TrimEnd() + "\n", options: SecurityCommandSupport.PrivateFile, cancellationToken: cancellationToken).ConfigureAwait(false);
            await AtomicFile.WriteAllTextAsync(settings.Out + ".pub", publicPem.TrimEnd() + "\n", cancellationToken: cancellationToken).ConfigureAwait(false);
            streams.Error.WriteLine($"wrote {settings.Out}.key and {settings.Out}.pub");
            return XsysApp.ExitOk;
        });
}

/// <summary><c>xsys sign FILE --key KEY.key [--out FILE.sig]</c>: an Ed25519 signature, base64.</summary>
internal sealed class SignCommand(StandardStreams streams) : AsyncCommand<SignCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys sign</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The file to sign.")]
        public string File { get; init; } = string.Empty;

        [CommandOption("-k|--key <KEY>")]
        [Description("The Ed25519 private key (PKCS#8 PEM, from xsys keygen ed25519).")]
        public string Key { get; init; } = string.Empty;

        [CommandOption("-o|--out <SIG>")]
        [Description("Write the base64 signature to SIG instead of standard output.")]
        public string? Out { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrEmpty(Key) ? ValidationResult.Error("--key KEY is required.") : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        SecurityCommandSupport.RunAsync(streams, async () =>
        {
            using var signer = Ed25519Signer.ImportPem(await System.IO.File.ReadAllTextAsync(settings.Key, cancellationToken).ConfigureAwait(false));
            var data = await System.IO.File.ReadAllBytesAsync(settings.File, cancellationToken).ConfigureAwait(false);
            var signature = Convert.ToBase64String(signer.Sign(data)) + "\n";
            if (settings.Out is null)
            {
                SecurityCommandSupport.WriteText(streams, signature);
            }
            else
            {
                await AtomicFile.WriteAllTextAsync(settings.Out, signature, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return XsysApp.ExitOk;
        });
}

/// <summary><c>xsys verify FILE --pub KEY.pub --sig FILE.sig</c>: checks an Ed25519 signature; exit 0 when valid, 1 when not.</summary>
internal sealed class VerifyCommand(StandardStreams streams) : AsyncCommand<VerifyCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys verify</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The signed file.")]
        public string File { get; init; } = string.Empty;

        [CommandOption("-p|--pub <KEY>")]
        [Description("The Ed25519 public key (PEM, from xsys keygen ed25519).")]
        public string PublicKey { get; init; } = string.Empty;

        [CommandOption("-s|--sig <SIG>")]
        [Description("The signature file (base64, from xsys sign).")]
        public string Signature { get; init; } = string.Empty;

        public override ValidationResult Validate() =>
            string.IsNullOrEmpty(PublicKey) || string.IsNullOrEmpty(Signature)
                ? ValidationResult.Error("--pub KEY and --sig SIG are required.")
                : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        SecurityCommandSupport.RunAsync(streams, async () =>
        {
            var publicKey = Ed25519Signer.ImportPublicKeyPem(await System.IO.File.ReadAllTextAsync(settings.PublicKey, cancellationToken).ConfigureAwait(false));
            var text = (await System.IO.File.ReadAllTextAsync(settings.Signature, Encoding.ASCII, cancellationToken).ConfigureAwait(false)).Trim();
            var data = await System.IO.File.ReadAllBytesAsync(settings.File, cancellationToken).ConfigureAwait(false);
            var signature = new byte[64];
            var valid = Convert.TryFromBase64String(text, signature, out var length)
                && length == 64
                && Ed25519Signer.Verify(publicKey, signature, data);
            if (!valid)
            {
                return DataCommandSupport.Report(streams, XsysApp.ExitFailed, $"BAD signature for {settings.File}");
            }

            SecurityCommandSupport.WriteText(streams, $"OK: valid Ed25519 signature for {settings.File}\n");
            return XsysApp.ExitOk;
        });
}
