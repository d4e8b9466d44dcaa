using System.ComponentModel;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Cli.Commands.Serialization;
using XSystem.Security;

namespace XSystem.Cli.Commands.Security;

/// <summary><c>xsys hash FILE...</c>: prints <c>digest  file</c> lines like sha256sum.</summary>
internal sealed class HashCommand(StandardStreams streams) : AsyncCommand<HashCommand.Settings>
{
    internal static readonly Dictionary<string, SecureHashAlgorithm> Algorithms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sha256"] = SecureHashAlgorithm.Sha256,
        ["sha384"] = SecureHashAlgorithm.Sha384,
        ["sha512"] = SecureHashAlgorithm.Sha512,
        ["sha3-256"] = SecureHashAlgorithm.Sha3_256,
        ["sha3-384"] = SecureHashAlgorithm.Sha3_384,
        ["sha3-512"] = SecureHashAlgorithm.Sha3_512,
        ["blake2b"] = SecureHashAlgorithm.Blake2b,
    };

    /// <summary>Arguments and options of <c>xsys hash</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("One or more files to hash.")]
        public string[] Files { get; init; } = [];

        [CommandOption("-a|--algo <ALGORITHM>")]
        [Description("sha256 (default), sha384, sha512, sha3-256, sha3-384, sha3-512 or blake2b (64-byte).")]
        public string Algorithm { get; init; } = "sha256";

        public override ValidationResult Validate() =>
            Algorithms.ContainsKey(Algorithm)
                ? ValidationResult.Success()
                : ValidationResult.Error($"--algo '{Algorithm}' is not one of {string.Join(", ", Algorithms.Keys)}.");
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        SecurityCommandSupport.RunAsync(streams, async () =>
        {
            var algorithm = Algorithms[settings.Algorithm];
            var exit = XsysApp.ExitOk;
            var output = new StringBuilder();
            foreach (var file in settings.Files)
            {
                if (!File.Exists(file))
                {
                    DataCommandSupport.Report(streams, XsysApp.ExitFailed, $"file not found: {file}");
                    exit = XsysApp.ExitFailed;
                    continue;
                }

                var digest = await SecureHash.HashFileAsync(file, algorithm, cancellationToken).ConfigureAwait(false);
                output.Append(SecureHash.ToHex(digest)).Append("  ").Append(file).Append('\n');
            }

            SecurityCommandSupport.WriteText(streams, output.ToString());
            return exit;
        });
}
