namespace XSystem.Cli;

/// <summary>
/// The process's standard input, output and error as byte streams and a text writer. Commands that move data
/// (<c>convert</c>, <c>fmt</c>) read and write bytes here rather than through the console, so binary formats pass
/// through untouched; tests substitute memory streams.
/// </summary>
internal sealed class StandardStreams
{
    private readonly Lazy<Stream> _input;
    private readonly Lazy<Stream> _output;

    public StandardStreams(Func<Stream> input, Func<Stream> output, TextWriter error, bool outputIsTerminal)
    {
        _input = new Lazy<Stream>(input);
        _output = new Lazy<Stream>(output);
        Error = error;
        OutputIsTerminal = outputIsTerminal;
    }

    /// <summary>Standard input, opened on first use.</summary>
    public Stream Input => _input.Value;

    /// <summary>Standard output, opened on first use.</summary>
    public Stream Output => _output.Value;

    /// <summary>Standard error, for <c>error: ...</c> lines.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether standard output is a terminal (not redirected to a file or a pipe).</summary>
    public bool OutputIsTerminal { get; }

    /// <summary>The real standard streams of this process.</summary>
    public static StandardStreams FromConsole() =>
        new(Console.OpenStandardInput, Console.OpenStandardOutput, Console.Error, !Console.IsOutputRedirected);
}
