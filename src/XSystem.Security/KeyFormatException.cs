namespace XSystem.Security;

/// <summary>
/// Thrown when key bytes or PEM text cannot be imported: wrong length, not DER/PEM, or a key for another algorithm.
/// The message names the expected format; it never contains the key material.
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class KeyFormatException : FormatException
{
    /// <summary>Creates the exception with a default message.</summary>
    public KeyFormatException()
        : base("The key is not in a supported format.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What was expected; must not contain key material.</param>
    public KeyFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and the underlying error.</summary>
    /// <param name="message">What was expected; must not contain key material.</param>
    /// <param name="innerException">The underlying error.</param>
    public KeyFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
