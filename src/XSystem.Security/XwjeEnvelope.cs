using System.Security.Cryptography;
using System.Text;

namespace XSystem.Security;

/// <summary>The cipher byte of an XWJE v1 envelope that this library can open and create.</summary>
public enum XwjeAlgorithm : byte
{
    /// <summary>0x00: AES-256-GCM (the Python original's <c>aes256-gcm</c>).</summary>
    Aes256Gcm = 0x00,

    /// <summary>
    /// 0x01: ChaCha20-Poly1305 with a 12-byte nonce. The Python original labels this <c>xchacha20-poly1305</c>, but its
    /// implementation is plain ChaCha20-Poly1305; this library follows the bytes, not the label.
    /// </summary>
    ChaCha20Poly1305 = 0x01,
}

/// <summary>
/// Reads and writes the Python xSystem original's at-rest envelope, byte for byte, so data encrypted there opens here
/// and the other way round: <c>"XWJE"</c>, version 0x01, algorithm byte, 12-byte nonce, salt length (1 byte, at most
/// 32), salt, then <c>ciphertext || 16-byte tag</c> without associated data. With a password the key is
/// PBKDF2-HMAC-SHA256 (100,000 iterations, 32 bytes) over the UTF-8 password and the stored 16-byte salt; with a key
/// the salt is empty.
/// </summary>
/// <remarks>
/// <para>For new data prefer <see cref="SecureFile"/> (Argon2id, chunked, truncation-proof). The original's other
/// algorithm bytes (0x02 Fernet, 0x03 unauthenticated AES-256-CTR, 0xFE no encryption) are refused with a clear
/// <see cref="EncryptedFormatException"/>.</para>
/// <para>Thread safety: all members are stateless and safe to call from any thread.</para>
/// </remarks>
public static class XwjeEnvelope
{
    /// <summary>The PBKDF2-HMAC-SHA256 iteration count the format uses for passwords (100,000).</summary>
    public const int Pbkdf2Iterations = 100_000;

    /// <summary>The shortest possible envelope header (19 bytes: magic, version, algorithm, nonce, salt length).</summary>
    public const int MinHeaderLength = 19;

    private const int NonceSize = 12;
    private const int SaltSize = 16;
    private const int MaxSaltSize = 32;
    private static readonly byte[] Magic = "XWJE"u8.ToArray();

    /// <summary>Whether <paramref name="data"/> starts with the XWJE magic.</summary>
    /// <param name="data">The first bytes of a payload.</param>
    /// <returns><see langword="true"/> when the magic matches.</returns>
    public static bool IsEnvelope(ReadOnlySpan<byte> data) => data.StartsWith(Magic);

    /// <summary>Encrypts <paramref name="plaintext"/> into an envelope with a 32-byte key.</summary>
    /// <param name="plaintext">The data.</param>
    /// <param name="key">A 32-byte key.</param>
    /// <param name="algorithm">The cipher; default AES-256-GCM.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> key, XwjeAlgorithm algorithm = XwjeAlgorithm.Aes256Gcm) =>
        Seal(plaintext, key, [], algorithm);

    /// <summary>Encrypts <paramref name="plaintext"/> into an envelope with a password (PBKDF2-SHA256, 100,000 iterations, random 16-byte salt).</summary>
    /// <param name="plaintext">The data.</param>
    /// <param name="password">The password; must not be empty.</param>
    /// <param name="algorithm">The cipher; default AES-256-GCM.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, string password, XwjeAlgorithm algorithm = XwjeAlgorithm.Aes256Gcm)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var key = Kdf.Pbkdf2(password, salt, Pbkdf2Iterations);
        try
        {
            return Seal(plaintext, key, salt, algorithm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Opens an envelope with its 32-byte key.</summary>
    /// <param name="envelope">The envelope bytes.</param>
    /// <param name="key">The 32-byte key.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="EncryptedFormatException">The envelope is malformed or uses an unsupported algorithm.</exception>
    /// <exception cref="AuthenticationFailedException">The key is wrong or the envelope was modified.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> key)
    {
        var (algorithm, saltLength) = Parse(envelope);
        return Open(algorithm, key, envelope.Slice(6, NonceSize), envelope[(MinHeaderLength + saltLength)..]);
    }

    /// <summary>Opens a password-protected envelope.</summary>
    /// <param name="envelope">The envelope bytes.</param>
    /// <param name="password">The password.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="EncryptedFormatException">The envelope is malformed, has no salt (it was made with a key) or uses an unsupported algorithm.</exception>
    /// <exception cref="AuthenticationFailedException">The password is wrong or the envelope was modified.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> envelope, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var (algorithm, saltLength) = Parse(envelope);
        var salt = envelope.Slice(MinHeaderLength, saltLength);
        if (salt.IsEmpty)
        {
            throw new EncryptedFormatException("This XWJE envelope has no salt, so it was encrypted with a key, not a password; decrypt it with the key.");
        }

        var key = Kdf.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Pbkdf2Iterations, allowWeak: true);
        try
        {
            return Open(algorithm, key, envelope.Slice(6, NonceSize), envelope[(MinHeaderLength + saltLength)..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, XwjeAlgorithm algorithm)
    {
        using var cipher = CreateCipher(algorithm, key);
        var headerLength = MinHeaderLength + salt.Length;
        var envelope = new byte[headerLength + plaintext.Length + cipher.TagSize];
        Magic.CopyTo(envelope, 0);
        envelope[4] = 1;
        envelope[5] = (byte)algorithm;
        var nonce = envelope.AsSpan(6, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        envelope[18] = (byte)salt.Length;
        salt.CopyTo(envelope.AsSpan(MinHeaderLength));
        cipher.Encrypt(nonce, plaintext, envelope.AsSpan(headerLength));
        return envelope;
    }

    private static byte[] Open(XwjeAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext)
    {
        using var cipher = CreateCipher(algorithm, key);
        if (!cipher.TryDecrypt(nonce, ciphertext, default, out var plaintext))
        {
            throw new AuthenticationFailedException("The XWJE envelope could not be decrypted: the key or password is wrong, or the envelope was modified.");
        }

        return plaintext;
    }

    private static IAeadCipher CreateCipher(XwjeAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            ThrowHelper.KeyLength("XWJE", key.Length, "32");
        }

        return algorithm == XwjeAlgorithm.Aes256Gcm ? new AesGcmCipher(key) : new ChaCha20Poly1305Cipher(key);
    }

    private static (XwjeAlgorithm Algorithm, int SaltLength) Parse(ReadOnlySpan<byte> envelope)
    {
        if (envelope.Length < MinHeaderLength)
        {
            throw new EncryptedFormatException($"Payload too short for an XWJE envelope: {envelope.Length} bytes, at least {MinHeaderLength} needed.");
        }

        if (!envelope.StartsWith(Magic))
        {
            throw new EncryptedFormatException("Invalid XWJE envelope magic: the data does not start with \"XWJE\".");
        }

        if (envelope[4] != 1)
        {
            throw new EncryptedFormatException($"Unsupported XWJE envelope version {envelope[4]}; only version 1 exists.");
        }

        var algo = envelope[5];
        if (algo is not (0x00 or 0x01))
        {
            var name = algo switch
            {
                0x02 => "Fernet",
                0x03 => "AES-256-CTR (unauthenticated)",
                0xFE => "null (no encryption)",
                _ => "unknown",
            };
            throw new EncryptedFormatException(
                $"XWJE algorithm 0x{algo:x2} ({name}) is not supported; only 0x00 AES-256-GCM and 0x01 ChaCha20-Poly1305 are. Re-encrypt the data with one of those in the Python library.");
        }

        var saltLength = envelope[18];
        if (saltLength > MaxSaltSize || MinHeaderLength + saltLength > envelope.Length)
        {
            throw new EncryptedFormatException($"Invalid salt length in XWJE envelope: {saltLength}.");
        }

        return ((XwjeAlgorithm)algo, saltLength);
    }
}
