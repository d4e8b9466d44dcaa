using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.IO;
using XSystem.Security;

namespace XSystem.Cli.Commands.Security;

/// <summary>Options shared by <c>encrypt</c> and <c>decrypt</c>.</summary>
internal class CryptSettings : CommandSettings
{
    [CommandArgument(0, "<IN>")]
    [Description("The input file.")]
    public string Input { get; init; } = string.Empty;

    [CommandArgument(1, "<OUT>")]
    [Description("The output file, written atomically.")]
    public string Output { get; init; } = string.Empty;

    [CommandOption("--password-file <FILE>")]
    [Description("Read the password from the first line of FILE. Without it (and without --key-file) you are asked on the terminal.")]
    public string? PasswordFile { get; init; }

    [CommandOption("--key-file <FILE>")]
    [Description("Use a 32-byte key from FILE (raw, 64 hex digits or base64) instead of a password.")]
    public string? KeyFile { get; init; }

    public override ValidationResult Validate() =>
        PasswordFile is not null && KeyFile is not null
            ? ValidationResult.Error("pass either --password-file or --key-file, not both.")
            : ValidationResult.Success();
}

/// <summary><c>xsys encrypt IN OUT</c>: SecureFile format (Argon2id password or key), or an XWJE envelope with --xwje.</summary>
internal sealed class EncryptCommand(IAnsiConsole console, StandardStreams streams) : AsyncCommand<EncryptCommand.Settings>
{
    /// <summary>Arguments and options of <c>xsys encrypt</c>.</summary>
    internal sealed class Settings : CryptSettings
    {
        [CommandOption("--algo <ALGORITHM>")]
        [Description("aes-256-gcm (default) or chacha20-poly1305.")]
        public string Algorithm { get; init; } = "aes-256-gcm";

        [CommandOption("--xwje")]
        [Description("Write the Python xSystem XWJE v1 envelope (PBKDF2 password) instead of the SecureFile format, for data the Python library must read.")]
        public bool Xwje { get; init; }

        public override ValidationResult Validate()
        {
            if (Algorithm is not ("aes-256-gcm" or "chacha20-poly1305"))
            {
                return ValidationResult.Error($"--algo '{Algorithm}' is not aes-256-gcm or chacha20-poly1305.");
            }

            return base.Validate();
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        SecurityCommandSupport.RunAsync(streams, async () =>
        {
            var chacha = settings.Algorithm == "chacha20-poly1305";
            if (settings.Xwje)
            {
                var data = await File.ReadAllBytesAsync(settings.Input, cancellationToken).ConfigureAwait(false);
                var algorithm = chacha ? XwjeAlgorithm.ChaCha20Poly1305 : XwjeAlgorithm.Aes256Gcm;
                var envelope = settings.KeyFile is not null
                    ? XwjeEnvelope.Encrypt(data, SecurityCommandSupport.ReadKey(settings.KeyFile), algorithm)
                    : XwjeEnvelope.Encrypt(data, SecurityCommandSupport.ReadPassword(console, settings.PasswordFile, confirm: true), algorithm);
                await AtomicFile.WriteAllBytesAsync(settings.Output, envelope, cancellationToken: cancellationToken).ConfigureAwait(false);
                return XsysApp.ExitOk;
            }

            var options = new SecureFileOptions { Algorithm = chacha ? SecureFileAlgorithm.ChaCha20Poly1305 : SecureFileAlgorithm.Aes256Gcm };
            if (settings.KeyFile is not null)
            {
                await SecureFile.EncryptFileAsync(settings.Input, settings.Output, SecurityCommandSupport.ReadKey(settings.KeyFile), options, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var password = SecurityCommandSupport.ReadPassword(console, settings.PasswordFile, confirm: true);
                await SecureFile.EncryptFileAsync(settings.Input, settings.Output, password, options, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return XsysApp.ExitOk;
        });
}

/// <summary><c>xsys decrypt IN OUT</c>: opens SecureFile files and the Python original's XWJE envelopes (detected by magic).</summary>
internal sealed class DecryptCommand(IAnsiConsole console, StandardStreams streams) : AsyncCommand<CryptSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, CryptSettings settings, CancellationToken cancellationToken) =>
        SecurityCommandSupport.RunAsync(streams, async () =>
        {
            var head = new byte[4];
            var stream = File.OpenRead(settings.Input);
            await using (stream.ConfigureAwait(false))
            {
                await stream.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }

            if (XwjeEnvelope.IsEnvelope(head))
            {
                var envelope = await File.ReadAllBytesAsync(settings.Input, cancellationToken).ConfigureAwait(false);
                var plaintext = settings.KeyFile is not null
                    ? XwjeEnvelope.Decrypt(envelope, SecurityCommandSupport.ReadKey(settings.KeyFile))
                    : XwjeEnvelope.Decrypt(envelope, SecurityCommandSupport.ReadPassword(console, settings.PasswordFile, confirm: false));
                await AtomicFile.WriteAllBytesAsync(settings.Output, plaintext, cancellationToken: cancellationToken).ConfigureAwait(false);
                return XsysApp.ExitOk;
            }

            if (settings.KeyFile is not null)
            {
                await SecureFile.DecryptFileAsync(settings.Input, settings.Output, SecurityCommandSupport.ReadKey(settings.KeyFile), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var password = SecurityCommandSupport.ReadPassword(console, settings.PasswordFile, confirm: false);
                await SecureFile.DecryptFileAsync(settings.Input, settings.Output, password, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return XsysApp.ExitOk;
        });
}
