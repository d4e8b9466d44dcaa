using System.Security.Cryptography;

namespace XSystem.Security;

/// <summary>
/// Thrown when authenticated decryption fails: the ciphertext, tag, nonce or associated data was changed,
/// the data was truncated or reordered, or the key or password is wrong. The message never says which,
/// and never contains key material or plaintext.
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class AuthenticationFailedException : CryptographicException
{
    /// <summary>Creates the exception with the default message.</summary>
    public AuthenticationFailedException()
        : base(SecurityMessages.AuthenticationFailed)
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What failed and what to do; must not contain secrets.</param>
    public AuthenticationFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and the underlying error.</summary>
    /// <param name="message">What failed and what to do; must not contain secrets.</param>
    /// <param name="innerException">The underlying error.</param>
    public AuthenticationFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
