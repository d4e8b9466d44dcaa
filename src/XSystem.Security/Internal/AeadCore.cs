using System.Diagnostics.CodeAnalysis;

namespace XSystem.Security;

/// <summary>The two primitive operations an AEAD cipher class supplies; <see cref="AeadCore"/> builds the public API on them.</summary>
internal interface IAeadPrimitive
{
    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/> (ciphertext then tag; checked by the caller).</summary>
    void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination, ReadOnlySpan<byte> associatedData);

    /// <summary>Checks and decrypts; <see langword="false"/> (and a cleared <paramref name="plaintext"/>) when not authentic.</summary>
    bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, ReadOnlySpan<byte> associatedData);
}

/// <summary>
/// The argument checks, buffer handling and error reporting every AEAD cipher shares, written once over
/// <see cref="IAeadPrimitive"/>.
/// </summary>
internal static class AeadCore
{
    public static byte[] Encrypt<TCipher>(TCipher cipher, string name, int nonceSize, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
        where TCipher : IAeadPrimitive
    {
        AeadChecks.Nonce(name, nonce, nonceSize);
        var result = GC.AllocateUninitializedArray<byte>(checked(plaintext.Length + AeadChecks.TagSize));
        cipher.Seal(nonce, plaintext, result, associatedData);
        return result;
    }

    public static int Encrypt<TCipher>(TCipher cipher, string name, int nonceSize, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination, ReadOnlySpan<byte> associatedData)
        where TCipher : IAeadPrimitive
    {
        AeadChecks.Nonce(name, nonce, nonceSize);
        AeadChecks.EncryptDestination(plaintext.Length, destination);
        cipher.Seal(nonce, plaintext, destination, associatedData);
        return plaintext.Length + AeadChecks.TagSize;
    }

    public static byte[] Decrypt<TCipher>(TCipher cipher, string name, int nonceSize, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData)
        where TCipher : IAeadPrimitive
    {
        AeadChecks.Nonce(name, nonce, nonceSize);
        var length = AeadChecks.PlaintextLength(ciphertext);
        if (length < 0)
        {
            ThrowHelper.CiphertextTooShort();
        }

        var result = GC.AllocateUninitializedArray<byte>(length);
        if (!cipher.Open(nonce, ciphertext, result, associatedData))
        {
            ThrowHelper.AuthenticationFailed();
        }

        return result;
    }

    public static int Decrypt<TCipher>(TCipher cipher, string name, int nonceSize, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> destination, ReadOnlySpan<byte> associatedData)
        where TCipher : IAeadPrimitive
    {
        if (!TryDecrypt(cipher, name, nonceSize, nonce, ciphertext, destination, associatedData, out var written))
        {
            if (ciphertext.Length < AeadChecks.TagSize)
            {
                ThrowHelper.CiphertextTooShort();
            }

            ThrowHelper.AuthenticationFailed();
        }

        return written;
    }

    public static bool TryDecrypt<TCipher>(TCipher cipher, string name, int nonceSize, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out byte[]? plaintext)
        where TCipher : IAeadPrimitive
    {
        AeadChecks.Nonce(name, nonce, nonceSize);
        plaintext = null;
        var length = AeadChecks.PlaintextLength(ciphertext);
        if (length < 0)
        {
            return false;
        }

        var result = GC.AllocateUninitializedArray<byte>(length);
        if (!cipher.Open(nonce, ciphertext, result, associatedData))
        {
            return false;
        }

        plaintext = result;
        return true;
    }

    public static bool TryDecrypt<TCipher>(TCipher cipher, string name, int nonceSize, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> destination, ReadOnlySpan<byte> associatedData, out int bytesWritten)
        where TCipher : IAeadPrimitive
    {
        AeadChecks.Nonce(name, nonce, nonceSize);
        var length = AeadChecks.PlaintextLength(ciphertext);
        AeadChecks.DecryptDestination(length, destination);
        bytesWritten = 0;
        if (length < 0 || !cipher.Open(nonce, ciphertext, destination[..length], associatedData))
        {
            return false;
        }

        bytesWritten = length;
        return true;
    }
}
