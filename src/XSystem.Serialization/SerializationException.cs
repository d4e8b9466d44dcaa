using System.Globalization;
using System.Text;

namespace XSystem.Serialization;

/// <summary>
/// Input that is not valid in its format, or a tree a format cannot represent. Says which format, where
/// (line, column, JSON path, when known) and shows a short excerpt.
/// </summary>
/// <remarks>
/// Derives from <see cref="FormatException"/> so existing handlers of malformed input catch it.
/// <see cref="SerializationLimitException"/> derives from it for limit breaches.
/// Thread safety: immutable once thrown.
/// </remarks>
public class SerializationException : FormatException
{
    /// <summary>Creates an exception from its parts; the message is composed from them.</summary>
    /// <param name="format">The format's name, for example <c>yaml</c>.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="line">1-based line, when known.</param>
    /// <param name="column">1-based column, when known.</param>
    /// <param name="path">The JSON path of the value concerned (for example <c>$.servers[2].port</c>), when known.</param>
    /// <param name="excerpt">A short excerpt of the input around the problem, when known.</param>
    /// <param name="innerException">The underlying library error, if any.</param>
    public SerializationException(
        string format,
        string problem,
        long? line = null,
        long? column = null,
        string? path = null,
        string? excerpt = null,
        Exception? innerException = null)
        : base(Compose(format, problem, line, column, path, excerpt), innerException)
    {
        FormatName = format;
        Problem = problem;
        Line = line;
        Column = column;
        Path = path;
        Excerpt = excerpt;
    }

    /// <summary>Creates an exception with a ready-made message.</summary>
    /// <param name="message">The whole message.</param>
    public SerializationException(string message)
        : base(message)
    {
        FormatName = string.Empty;
        Problem = message;
    }

    /// <summary>Creates an exception with a ready-made message and a cause.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="innerException">The cause.</param>
    public SerializationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        FormatName = string.Empty;
        Problem = message;
    }

    /// <summary>Creates an exception with a default message.</summary>
    public SerializationException()
        : this("The input could not be serialized or deserialized.")
    {
    }

    /// <summary>The format's name, for example <c>toml</c>; empty when not known.</summary>
    public string FormatName { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>1-based line of the problem, when known.</summary>
    public long? Line { get; }

    /// <summary>1-based column of the problem, when known.</summary>
    public long? Column { get; }

    /// <summary>The JSON path of the value concerned, for example <c>$.servers[2].port</c>, when known.</summary>
    public string? Path { get; }

    /// <summary>A short excerpt of the input around the problem, when known.</summary>
    public string? Excerpt { get; }

    private static string Compose(string format, string problem, long? line, long? column, string? path, string? excerpt)
    {
        var text = new StringBuilder();
        text.Append(format.ToUpperInvariant()).Append(": ").Append(problem);
        if (line is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" (line {line}");
            if (column is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $", column {column}");
            }

            text.Append(')');
        }

        if (!string.IsNullOrEmpty(path))
        {
            text.Append(" at ").Append(path);
        }

        if (!string.IsNullOrEmpty(excerpt))
        {
            text.Append(". Near: ").Append(excerpt);
        }

        return text.ToString();
    }
}

/// <summary>
/// Input that breaks a limit of <see cref="SerializerOptions"/> (size, depth, alias expansion, record count ...).
/// The message names the limit, its value, and how to raise it.
/// </summary>
/// <remarks>Thread safety: immutable once thrown.</remarks>
public sealed class SerializationLimitException : SerializationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="format">The format's name.</param>
    /// <param name="limitName">The limit, for example <c>MaxDepth</c>.</param>
    /// <param name="limit">The limit's value.</param>
    /// <param name="howToRaise">How to raise it, for example <c>set SerializerOptions.MaxDepth</c>.</param>
    /// <param name="line">1-based line, when known.</param>
    /// <param name="column">1-based column, when known.</param>
    /// <param name="path">JSON path, when known.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public SerializationLimitException(string format, string limitName, long limit, string howToRaise, long? line = null, long? column = null, string? path = null, Exception? innerException = null)
        : base(format, $"the input exceeds {limitName} ({limit.ToString(CultureInfo.InvariantCulture)}); if the input is trusted, {howToRaise}", line, column, path, null, innerException)
    {
        LimitName = limitName;
        Limit = limit;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SerializationLimitException()
        : this("unknown", "a limit", 0, "raise the limit in SerializerOptions")
    {
    }

    /// <summary>Creates the exception with a ready-made message.</summary>
    /// <param name="message">The whole message.</param>
    public SerializationLimitException(string message)
        : base(message)
    {
        LimitName = string.Empty;
    }

    /// <summary>Creates the exception with a ready-made message and a cause.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="innerException">The cause.</param>
    public SerializationLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
        LimitName = string.Empty;
    }

    /// <summary>The limit that was broken, for example <c>MaxDepth</c> or <c>MaxBytes</c>.</summary>
    public string LimitName { get; }

    /// <summary>The limit's value.</summary>
    public long Limit { get; }
}

/// <summary>
/// A format was asked for that is not available: unknown name, extension or media type, or a format whose
/// satellite package is not referenced. The message names the package to add when there is one.
/// </summary>
/// <remarks>Thread safety: immutable once thrown.</remarks>
public sealed class FormatNotAvailableException : NotSupportedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="requested">What was asked for: a name, an extension or a media type.</param>
    /// <param name="packageName">The NuGet package that provides it, when known.</param>
    public FormatNotAvailableException(string requested, string? packageName)
        : base(packageName is null
            ? $"No serialization format is known as '{requested}'. Formats.All lists the available ones; add your own with Formats.Register."
            : $"The format '{requested}' lives in the {packageName} package, which this application does not reference. Add it: dotnet add package {packageName}")
    {
        Requested = requested;
        PackageName = packageName;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public FormatNotAvailableException()
        : this("(unknown)", (string?)null)
    {
    }

    /// <summary>Creates the exception with a ready-made message.</summary>
    /// <param name="message">The whole message.</param>
    public FormatNotAvailableException(string message)
        : base(message)
    {
        Requested = string.Empty;
    }

    /// <summary>Creates the exception with a ready-made message and a cause.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="innerException">The cause.</param>
    public FormatNotAvailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Requested = string.Empty;
    }

    /// <summary>The name, extension or media type that was asked for.</summary>
    public string Requested { get; }

    /// <summary>The NuGet package that provides the format, when known; null for an unknown format.</summary>
    public string? PackageName { get; }
}
