using System.Security.Cryptography;

namespace XSystem.Security;

/// <summary>
/// Thrown when encrypted data (a SecureFile stream or an XWJE envelope) is not in the expected
/// format: wrong magic, unsupported version or algorithm, a truncated header or out-of-range parameters.
/// Authentication failures are reported by <see cref="AuthenticationFailedException"/> instead.
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class EncryptedFormatException : CryptographicException
{
    /// <summary>Creates the exception with a default message.</summary>
    public EncryptedFormatException()
        : base("The encrypted data is not in a supported format.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What was wrong and what to do; must not contain secrets.</param>
    public EncryptedFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and the underlying error.</summary>
    /// <param name="message">What was wrong and what to do; must not contain secrets.</param>
    /// <param name="innerException">The underlying error.</param>
    public EncryptedFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
