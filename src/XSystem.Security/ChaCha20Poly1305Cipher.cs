using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace XSystem.Security;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439) with a 32-byte key, a 12-byte nonce and a 16-byte tag, on the BCL's
/// <see cref="ChaCha20Poly1305"/> (the OS crypto library). Fast without AES hardware. Python xSystem name:
/// <c>ChaCha20Poly1305_Cipher</c>.
/// </summary>
/// <remarks>
/// <para>Random 12-byte nonces are safe for about 2^32 messages per key; for more, or for random nonces without a
/// limit, use <see cref="XChaCha20Poly1305Cipher"/>.</para>
/// <para>Needs an OS crypto library with ChaCha20-Poly1305 (OpenSSL 1.1+ on Linux); check <see cref="IsSupported"/>.</para>
/// <para>Thread safety: all members are safe to call from several threads; calls on one instance are serialized.
/// <see cref="ToString"/> never shows the key.</para>
/// </remarks>
public sealed class ChaCha20Poly1305Cipher : IAeadCipher, IAeadPrimitive
{
    private const string Name = "ChaCha20-Poly1305";
    private const int NonceBytes = 12;

    private readonly ChaCha20Poly1305 _aes;
    private readonly Lock _gate = new();

    /// <summary>Creates a cipher for the given key.</summary>
    /// <param name="key">A 32-byte key (from <see cref="GenerateKey"/> or a KDF). The bytes are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public ChaCha20Poly1305Cipher(byte[] key)
        : this(new ReadOnlySpan<byte>(key ?? throw new ArgumentNullException(nameof(key))))
    {
    }

    /// <summary>Creates a cipher for the given key.</summary>
    /// <param name="key">A 32-byte key. The bytes are copied.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public ChaCha20Poly1305Cipher(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            ThrowHelper.KeyLength(Name, key.Length, "32");
        }

        KeySize = key.Length;
        _aes = new ChaCha20Poly1305(key);
    }

    /// <summary>Whether the platform's crypto library offers ChaCha20-Poly1305.</summary>
    public static bool IsSupported => ChaCha20Poly1305.IsSupported;

    /// <summary>The key length in bytes (always 32).</summary>
    public int KeySize { get; }

    /// <inheritdoc />
    public int NonceSize => NonceBytes;

    /// <inheritdoc />
    public int TagSize => AeadChecks.TagSize;

    /// <summary>Creates a random key.</summary>
    /// <param name="bits">Must be 256 (the default); the parameter exists for symmetry with <see cref="AesGcmCipher.GenerateKey"/>.</param>
    /// <returns>A new random key of <c>bits / 8</c> bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is not 256.</exception>
    public static byte[] GenerateKey(int bits = 256)
    {
        if (bits != 256)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, SecurityMessages.KeyBits(bits, "256"));
        }

        return RandomNumberGenerator.GetBytes(bits / 8);
    }

    /// <summary>Creates a random 12-byte nonce.</summary>
    /// <returns>A new random nonce.</returns>
    public static byte[] GenerateNonce() => RandomNumberGenerator.GetBytes(NonceBytes);

    /// <inheritdoc />
    public byte[] Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData = default) =>
        AeadCore.Encrypt(this, Name, NonceBytes, nonce, plaintext, associatedData);

    /// <inheritdoc />
    public int Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination, ReadOnlySpan<byte> associatedData = default) =>
        AeadCore.Encrypt(this, Name, NonceBytes, nonce, plaintext, destination, associatedData);

    /// <inheritdoc />
    public byte[] Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData = default) =>
        AeadCore.Decrypt(this, Name, NonceBytes, nonce, ciphertext, associatedData);

    /// <inheritdoc />
    public int Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> destination, ReadOnlySpan<byte> associatedData = default) =>
        AeadCore.Decrypt(this, Name, NonceBytes, nonce, ciphertext, destination, associatedData);

    /// <summary>Checks and decrypts without associated data, returning <see langword="false"/> when the data is not authentic.</summary>
    /// <param name="nonce">The nonce used to encrypt.</param>
    /// <param name="ciphertext">The encrypted bytes followed by the tag.</param>
    /// <param name="plaintext">The plaintext when authentic; otherwise <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the data is authentic.</returns>
    /// <exception cref="ArgumentException">The nonce has the wrong length.</exception>
    public bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, [NotNullWhen(true)] out byte[]? plaintext) =>
        TryDecrypt(nonce, ciphertext, default, out plaintext);

    /// <inheritdoc />
    public bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out byte[]? plaintext) =>
        AeadCore.TryDecrypt(this, Name, NonceBytes, nonce, ciphertext, associatedData, out plaintext);

    /// <inheritdoc />
    public bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> destination, ReadOnlySpan<byte> associatedData, out int bytesWritten) =>
        AeadCore.TryDecrypt(this, Name, NonceBytes, nonce, ciphertext, destination, associatedData, out bytesWritten);

    /// <summary>Releases the native cipher state.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _aes.Dispose();
        }
    }

    /// <summary>Describes the cipher without revealing the key.</summary>
    /// <returns>For example <c>ChaCha20Poly1305Cipher(ChaCha20-Poly1305)</c>.</returns>
    public override string ToString() => "ChaCha20Poly1305Cipher(ChaCha20-Poly1305)";

    void IAeadPrimitive.Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination, ReadOnlySpan<byte> associatedData)
    {
        lock (_gate)
        {
            _aes.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, AeadChecks.TagSize), associatedData);
        }
    }

    bool IAeadPrimitive.Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var length = ciphertext.Length - AeadChecks.TagSize;
        try
        {
            lock (_gate)
            {
                _aes.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext, associatedData);
            }

            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
