using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.IO;
using XSystem.Serialization;

namespace XSystem.Cli.Commands.Serialization;

/// <summary>Options shared by the commands that read data: the input size limit.</summary>
internal class DataSettings : CommandSettings
{
    [CommandOption("--max-bytes <SIZE>")]
    [Description("The largest input to read, for example 200MiB or 1GB. Default 100 MiB.")]
    public string? MaxBytes { get; init; }

    /// <summary>The parsed <see cref="MaxBytes"/>, or the serializer's default.</summary>
    public long MaxBytesValue => MaxBytes is null ? SerializerOptions.DefaultMaxBytes : ByteSize.Parse(MaxBytes);

    public override ValidationResult Validate()
    {
        if (MaxBytes is not null && (!ByteSize.TryParse(MaxBytes, out long bytes) || bytes < 1))
        {
            return ValidationResult.Error($"--max-bytes '{MaxBytes}' is not a positive size; write for example 200MiB, 1GB or 5000000.");
        }

        return ValidationResult.Success();
    }
}

/// <summary>A problem a data command reports as <c>error: message</c> with its own exit code.</summary>
internal sealed class CommandProblemException : Exception
{
    public CommandProblemException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CommandProblemException()
        : this(XsysApp.ExitFailed, "The command failed.")
    {
    }

    public CommandProblemException(string message)
        : this(XsysApp.ExitFailed, message)
    {
    }

    public CommandProblemException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = XsysApp.ExitFailed;

    /// <summary>The process exit code: <see cref="XsysApp.ExitFailed"/> or <see cref="XsysApp.ExitUsage"/>.</summary>
    public int ExitCode { get; }

    public static CommandProblemException Usage(string message) => new(XsysApp.ExitUsage, message);

    public static CommandProblemException Failed(string message) => new(XsysApp.ExitFailed, message);
}

/// <summary>
/// What <c>convert</c> and <c>fmt</c> share: choosing formats (name, extension, content), reading files and standard
/// input within the size limit, writing files atomically or bytes to standard output, and turning errors into
/// <c>error: ...</c> lines on standard error with the right exit code.
/// </summary>
internal static class DataCommandSupport
{
    /// <summary>
    /// The argument that stands for standard input or output: what <see cref="XsysApp.ProtectDash"/> turns a lone
    /// <c>-</c> into before parsing.
    /// </summary>
    public const string StandardStream = "\0-";

    /// <summary>
    /// Runs a command body and maps its failures: usage problems and unavailable formats exit 2; malformed input,
    /// limits, missing or unreadable files exit 1; each with one <c>error:</c> line and no stack trace.
    /// Cancellation propagates (the app turns it into exit code 130).
    /// </summary>
    public static async Task<int> RunAsync(StandardStreams streams, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CommandProblemException ex)
        {
            return Report(streams, ex.ExitCode, ex.Message);
        }
        catch (FormatNotAvailableException ex)
        {
            return Report(streams, XsysApp.ExitUsage, DescribeNotAvailable(ex));
        }
        catch (SerializationLimitException ex) when (ex.LimitName == "MaxBytes")
        {
            return Report(streams, XsysApp.ExitFailed, $"{ex.Message} (xsys: pass a larger --max-bytes)");
        }
        catch (SerializationException ex)
        {
            return Report(streams, XsysApp.ExitFailed, ex.Message);
        }
        catch (FileTooLargeException ex)
        {
            return Report(streams, XsysApp.ExitFailed, $"{ex.Message} (xsys: pass a larger --max-bytes)");
        }
        catch (FileNotFoundException ex)
        {
            return Report(streams, XsysApp.ExitFailed, $"file not found: {ex.FileName ?? ex.Message}");
        }
        catch (DirectoryNotFoundException ex)
        {
            return Report(streams, XsysApp.ExitFailed, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            return Report(streams, XsysApp.ExitFailed, ex.Message);
        }
        catch (IOException ex)
        {
            return Report(streams, XsysApp.ExitFailed, ex.Message);
        }
    }

    public static int Report(StandardStreams streams, int exitCode, string message)
    {
        streams.Error.WriteLine("error: " + message);
        streams.Error.Flush();
        return exitCode;
    }

    private static string DescribeNotAvailable(FormatNotAvailableException ex) =>
        ex.PackageName is null
            ? $"no format is known as '{ex.Requested}'; run 'xsys formats' to list the names and extensions"
            : $"the format '{ex.Requested}' lives in the {ex.PackageName} package, which this xsys does not include";

    public static SerializerOptions Options(DataSettings settings, bool indent = true) =>
        new() { MaxBytes = settings.MaxBytesValue, Indent = indent };

    /// <summary>Reads a file, or standard input for <c>-</c>, failing cleanly past <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadInputAsync(string path, StandardStreams streams, long maxBytes, CancellationToken cancellationToken)
    {
        if (path == StandardStream)
        {
            return await ReadLimitedAsync(streams.Input, maxBytes, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(path))
        {
            throw Directory.Exists(path)
                ? CommandProblemException.Failed($"'{path}' is a directory, not a file")
                : CommandProblemException.Failed($"input file not found: {path}");
        }

        return await SafeFile.ReadAllBytesAsync(path, new SafeReadOptions { MaxBytes = maxBytes }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream input, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = await input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw CommandProblemException.Failed(
                    $"standard input is larger than {ByteSize.Format(maxBytes)} (--max-bytes); if the input is trusted, pass a larger --max-bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The input format: <paramref name="name"/> when given, else the path's extension, else the content.
    /// An extension that belongs to a package this build lacks fails with the package's name.
    /// </summary>
    public static IFormat ResolveInputFormat(string path, string? name, ReadOnlySpan<byte> content, string nameOption)
    {
        if (name is not null)
        {
            return Formats.FromName(name);
        }

        string extension = path == StandardStream ? string.Empty : Path.GetExtension(path);
        if (extension.Length > 0)
        {
            if (Formats.TryFromExtension(extension, out IFormat? byExtension))
            {
                return byExtension;
            }

            try
            {
                _ = Formats.FromExtension(extension);
            }
            catch (FormatNotAvailableException ex) when (ex.PackageName is null)
            {
                // An extension no format claims (.txt, .dat ...): fall back to the content.
            }
        }

        if (Formats.Detect(content) is { } match)
        {
            return match.Format;
        }

        string what = path == StandardStream ? "standard input" : $"'{path}'";
        throw CommandProblemException.Usage(
            $"cannot tell the format of {what} from its {(extension.Length > 0 ? "extension or its " : string.Empty)}content; pass {nameOption} (run 'xsys formats' for the names)");
    }

    /// <summary>The output format: <paramref name="name"/> when given, else the path's extension.</summary>
    public static IFormat ResolveOutputFormat(string path, string? name)
    {
        if (name is not null)
        {
            return Formats.FromName(name);
        }

        if (path == StandardStream)
        {
            throw CommandProblemException.Usage("writing to standard output needs a format: pass --to, for example --to json");
        }

        string extension = Path.GetExtension(path);
        if (extension.Length == 0)
        {
            throw CommandProblemException.Usage($"cannot tell which format to write '{path}' in: it has no extension; pass --to, for example --to json");
        }

        try
        {
            return Formats.FromExtension(extension);
        }
        catch (FormatNotAvailableException ex) when (ex.PackageName is null)
        {
            throw CommandProblemException.Usage(
                $"no format uses the extension '{extension}' of '{path}'; pass --to, or run 'xsys formats' to list the extensions");
        }
    }

    /// <summary>Writes to a file atomically, or to standard output for <c>-</c>.</summary>
    /// <param name="force">Write a binary format to standard output even when it is a terminal.</param>
    public static async Task WriteOutputAsync(string path, byte[] bytes, IFormat format, StandardStreams streams, bool force, CancellationToken cancellationToken)
    {
        if (path != StandardStream)
        {
            await AtomicFile.WriteAllBytesAsync(path, bytes, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        bool text = format.Capabilities.HasFlag(FormatCapabilities.Text);
        if (!text && streams.OutputIsTerminal && !force)
        {
            throw CommandProblemException.Usage(
                $"refusing to write binary {format.Name} to a terminal; redirect the output (> file) or pass --force");
        }

        Stream output = streams.Output;
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (text && bytes.Length > 0 && bytes[^1] != (byte)'\n')
        {
            // Text on standard output ends with a line break so shells and pipes see a complete last line.
            output.WriteByte((byte)'\n');
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
