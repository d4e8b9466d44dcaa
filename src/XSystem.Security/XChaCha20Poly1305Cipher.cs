using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace XSystem.Security;

/// <summary>
/// XChaCha20-Poly1305 with a 32-byte key, a 24-byte nonce and a 16-byte tag, on libsodium through NSec. The long
/// nonce makes random nonces safe for practically unlimited messages per key: the choice when many messages share
/// one key. (The Python original's "xchacha20-poly1305" at-rest class was really ChaCha20-Poly1305 with a 12-byte
/// nonce; that is <see cref="ChaCha20Poly1305Cipher"/>.)
/// </summary>
/// <remarks>
/// <para>Needs the native libsodium library that ships with NSec for the common runtime identifiers.</para>
/// <para>Thread safety: all members are safe to call from several threads at once.
/// <see cref="ToString"/> never shows the key.</para>
/// </remarks>
public sealed class XChaCha20Poly1305Cipher : IAeadCipher, IAeadPrimitive
{
    private const string Name = "XChaCha20-Poly1305";
    private const int NonceBytes = 24;

    private static readonly AeadAlgorithm Algorithm = AeadAlgorithm.XChaCha20Poly1305;

    private readonly Key _key;

    /// <summary>Creates a cipher for the given key.</summary>
    /// <param name="key">A 32-byte key (from <see cref="GenerateKey"/> or a KDF). The bytes are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public XChaCha20Poly1305Cipher(byte[] key)
        : this(new ReadOnlySpan<byte>(key ?? throw new ArgumentNullException(nameof(key))))
    {
    }

    /// <summary>Creates a cipher for the given key.</summary>
    /// <param name="key">A 32-byte key. The bytes are copied.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public XChaCha20Poly1305Cipher(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            ThrowHelper.KeyLength(Name, key.Length, "32");
        }

        KeySize = key.Length;
        _key = Key.Import(Algorithm, key, KeyBlobFormat.RawSymmetricKey);
    }

    /// <summary>The key length in bytes (always 32).</summary>
    public int KeySize { get; }

    /// <inheritdoc />
    public int NonceSize => NonceBytes;

    /// <inheritdoc />
    public int TagSize => AeadChecks.TagSize;

    /// <summary>Creates a random key.</summary>
    /// <param name="bits">Must be 256 (the default).</param>
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

    /// <summary>Creates a random 24-byte nonce.</summary>
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

    /// <summary>Releases the key held in libsodium secure memory.</summary>
    public void Dispose()
    {
        _key.Dispose();
    }

    /// <summary>Describes the cipher without revealing the key.</summary>
    /// <returns>For example <c>XChaCha20Poly1305Cipher(XChaCha20-Poly1305)</c>.</returns>
    public override string ToString() => "XChaCha20Poly1305Cipher(XChaCha20-Poly1305)";

    void IAeadPrimitive.Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination, ReadOnlySpan<byte> associatedData)
    {
        Algorithm.Encrypt(_key, nonce, associatedData, plaintext, destination[..(plaintext.Length + AeadChecks.TagSize)]);
    }

    bool IAeadPrimitive.Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        if (Algorithm.Decrypt(_key, nonce, associatedData, ciphertext, plaintext))
        {
            return true;
        }

        plaintext.Clear();
        return false;
    }
}
