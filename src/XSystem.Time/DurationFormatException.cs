namespace XSystem.Time;

/// <summary>A duration or ISO 8601 text could not be parsed; <see cref="Position"/> says where.</summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class DurationFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public DurationFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public DurationFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DurationFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a bad token.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="input">The whole input.</param>
    /// <param name="position">Zero-based index of the first bad character.</param>
    public DurationFormatException(string message, string input, int position)
        : base(message)
    {
        Input = input;
        Position = position;
    }

    /// <summary>The text that failed to parse, when known.</summary>
    public string? Input { get; }

    /// <summary>Zero-based index of the first character that could not be parsed; -1 when unknown.</summary>
    public int Position { get; } = -1;
}
