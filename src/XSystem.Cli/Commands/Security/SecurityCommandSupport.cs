using System.Security.Cryptography;
using System.Text;
using Spectre.Console;
using XSystem.Cli.Commands.Serialization;
using XSystem.IO;
using XSystem.Security;

namespace XSystem.Cli.Commands.Security;

/// <summary>What the security commands share: reading passwords and keys safely, and mapping crypto errors to <c>error:</c> lines.</summary>
internal static class SecurityCommandSupport
{
    /// <summary>Private key files are written readable by the owner only.</summary>
    public static readonly AtomicWriteOptions PrivateFile = new() { UnixMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };

    /// <summary>Runs a body, reporting file and crypto failures as <c>error: ...</c> with exit code 1.</summary>
    public static Task<int> RunAsync(StandardStreams streams, Func<Task<int>> body) =>
        DataCommandSupport.RunAsync(streams, async () =>
        {
            try
            {
                return await body().ConfigureAwait(false);
            }
            catch (CryptographicException ex)
            {
                return DataCommandSupport.Report(streams, XsysApp.ExitFailed, ex.Message);
            }
            catch (KeyFormatException ex)
            {
                return DataCommandSupport.Report(streams, XsysApp.ExitFailed, ex.Message);
            }
        });

    /// <summary>
    /// The password: the first line of <paramref name="passwordFile"/>, else a hidden prompt on an interactive terminal.
    /// Passwords are never taken from the command line, where other users and shell history would see them.
    /// </summary>
    public static string ReadPassword(IAnsiConsole console, string? passwordFile, bool confirm)
    {
        if (passwordFile is not null)
        {
            var text = File.ReadAllText(passwordFile, Encoding.UTF8);
            var end = text.IndexOfAny(['\r', '\n']);
            var password = end < 0 ? text : text[..end];
            return password.Length > 0 ? password : throw CommandProblemException.Failed($"the password file {passwordFile} is empty");
        }

        if (!console.Profile.Capabilities.Interactive)
        {
            throw CommandProblemException.Usage("no password: pass --password-file FILE or --key-file FILE, or run in a terminal to be asked (passwords are never read from the command line)");
        }

        var first = console.Prompt(new TextPrompt<string>("Password:").Secret());
        if (confirm && console.Prompt(new TextPrompt<string>("Repeat password:").Secret()) != first)
        {
            throw CommandProblemException.Failed("the passwords do not match");
        }

        return first;
    }

    /// <summary>A 32-byte key from a file holding the raw bytes, 64 hex digits or base64.</summary>
    public static byte[] ReadKey(string keyFile)
    {
        var bytes = File.ReadAllBytes(keyFile);
        if (bytes.Length == 32)
        {
            return bytes;
        }

        var text = Encoding.ASCII.GetString(bytes).Trim();
        try
        {
            var key = text.Length == 64 ? Convert.FromHexString(text) : Convert.FromBase64String(text);
            if (key.Length == 32)
            {
                return key;
            }
        }
        catch (FormatException)
        {
            // Reported below with the accepted forms.
        }

        throw CommandProblemException.Failed($"the key file {keyFile} must hold 32 raw bytes, 64 hex digits or the base64 of 32 bytes");
    }

    public static void WriteText(StandardStreams streams, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        streams.Output.Write(bytes);
        streams.Output.Flush();
    }
}
