namespace XSystem.Terminal;

/// <summary>
/// Thrown when a prompt cannot get an answer: input is not interactive and the prompt has no default, piped input ended,
/// or a piped answer is not valid. Derives from <see cref="InvalidOperationException"/>.
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class PromptUnavailableException : InvalidOperationException
{
    /// <summary>Creates an exception with a default message.</summary>
    public PromptUnavailableException()
        : base("A prompt could not be answered because input is not interactive.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong and what to do.</param>
    public PromptUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was wrong and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public PromptUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal PromptUnavailableException(string question, string message)
        : base(message)
    {
        Question = question;
    }

    /// <summary>The question that could not be asked, or <see langword="null"/> when unknown.</summary>
    public string? Question { get; }
}
