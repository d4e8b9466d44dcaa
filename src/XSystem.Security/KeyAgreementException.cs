using System.Security.Cryptography;

namespace XSystem.Security;

/// <summary>
/// Thrown when a key agreement must be refused, for example because the peer's X25519 public key is a low-order
/// point that makes the shared secret all zeros (a value an attacker knows).
/// </summary>
/// <remarks>Thread safety: instances are immutable once thrown.</remarks>
public sealed class KeyAgreementException : CryptographicException
{
    /// <summary>Creates the exception with a default message.</summary>
    public KeyAgreementException()
        : base(SecurityMessages.SharedSecretZero)
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What was wrong; must not contain secrets.</param>
    public KeyAgreementException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and the underlying error.</summary>
    /// <param name="message">What was wrong; must not contain secrets.</param>
    /// <param name="innerException">The underlying error.</param>
    public KeyAgreementException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
