namespace XSystem.Security;

/// <summary>Argument checks shared by the AEAD ciphers.</summary>
internal static class AeadChecks
{
    public const int TagSize = 16;

    public static void Nonce(string algorithm, ReadOnlySpan<byte> nonce, int expected)
    {
        if (nonce.Length != expected)
        {
            ThrowHelper.NonceLength(algorithm, nonce.Length, expected);
        }
    }

    public static void EncryptDestination(int plaintextLength, Span<byte> destination)
    {
        var needed = checked(plaintextLength + TagSize);
        if (destination.Length < needed)
        {
            ThrowHelper.DestinationTooSmall(destination.Length, needed);
        }
    }

    /// <summary>Returns the plaintext length, or -1 when the ciphertext cannot even hold a tag.</summary>
    public static int PlaintextLength(ReadOnlySpan<byte> ciphertext) =>
        ciphertext.Length < TagSize ? -1 : ciphertext.Length - TagSize;

    public static void DecryptDestination(int plaintextLength, Span<byte> destination)
    {
        if (plaintextLength >= 0 && destination.Length < plaintextLength)
        {
            ThrowHelper.DestinationTooSmall(destination.Length, plaintextLength);
        }
    }
}
