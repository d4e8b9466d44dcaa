using System.Diagnostics.CodeAnalysis;

namespace XSystem.Security;

/// <summary>
/// An authenticated cipher with associated data (AEAD). Ciphertexts are laid out as
/// <c>encrypted bytes || tag</c>, the convention of Python's <c>cryptography</c> package, libsodium and NSec, so they
/// travel between them unchanged.
/// </summary>
/// <remarks>
/// <para>Never encrypt two messages with the same key and nonce: use a fresh random nonce from the
/// implementation's <c>GenerateNonce()</c> (or a counter) for every message.</para>
/// <para>Wrong key or nonce lengths are programming errors and throw <see cref="ArgumentException"/>; inauthentic
/// data is expected input and throws <see cref="AuthenticationFailedException"/> from <c>Decrypt</c> or returns
/// <see langword="false"/> from <c>TryDecrypt</c>.</para>
/// <para>Thread safety: every XSystem implementation is safe to use from several threads at once.</para>
/// </remarks>
public interface IAeadCipher : IDisposable
{
    /// <summary>The nonce length in bytes this cipher accepts.</summary>
    int NonceSize { get; }

    /// <summary>The authentication tag length in bytes appended to every ciphertext.</summary>
    int TagSize { get; }

    /// <summary>Encrypts and authenticates <paramref name="plaintext"/>.</summary>
    /// <param name="nonce">A nonce of exactly <see cref="NonceSize"/> bytes, never reused with this key.</param>
    /// <param name="plaintext">The data to encrypt.</param>
    /// <param name="associatedData">Data that is authenticated but not encrypted; default none.</param>
    /// <returns>A new array: the encrypted bytes followed by the <see cref="TagSize"/>-byte tag.</returns>
    /// <exception cref="ArgumentException">The nonce has the wrong length.</exception>
    byte[] Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData = default);

    /// <summary>Encrypts and authenticates <paramref name="plaintext"/> into a caller buffer.</summary>
    /// <param name="nonce">A nonce of exactly <see cref="NonceSize"/> bytes, never reused with this key.</param>
    /// <param name="plaintext">The data to encrypt.</param>
    /// <param name="destination">Receives the encrypted bytes and the tag; at least <c>plaintext.Length + TagSize</c> bytes.</param>
    /// <param name="associatedData">Data that is authenticated but not encrypted; default none.</param>
    /// <returns>The number of bytes written: <c>plaintext.Length + TagSize</c>.</returns>
    /// <exception cref="ArgumentException">The nonce has the wrong length or the destination is too small.</exception>
    int Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination, ReadOnlySpan<byte> associatedData = default);

    /// <summary>Checks and decrypts <paramref name="ciphertext"/> (encrypted bytes followed by the tag).</summary>
    /// <param name="nonce">The nonce used to encrypt.</param>
    /// <param name="ciphertext">The encrypted bytes followed by the tag.</param>
    /// <param name="associatedData">The associated data used to encrypt; default none.</param>
    /// <returns>A new array with the plaintext.</returns>
    /// <exception cref="ArgumentException">The nonce has the wrong length.</exception>
    /// <exception cref="AuthenticationFailedException">The data is not authentic or the key is wrong.</exception>
    byte[] Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData = default);

    /// <summary>Checks and decrypts <paramref name="ciphertext"/> into a caller buffer.</summary>
    /// <param name="nonce">The nonce used to encrypt.</param>
    /// <param name="ciphertext">The encrypted bytes followed by the tag.</param>
    /// <param name="destination">Receives the plaintext; at least <c>ciphertext.Length - TagSize</c> bytes. Cleared on failure.</param>
    /// <param name="associatedData">The associated data used to encrypt; default none.</param>
    /// <returns>The number of plaintext bytes written.</returns>
    /// <exception cref="ArgumentException">The nonce has the wrong length or the destination is too small.</exception>
    /// <exception cref="AuthenticationFailedException">The data is not authentic or the key is wrong.</exception>
    int Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> destination, ReadOnlySpan<byte> associatedData = default);

    /// <summary>Checks and decrypts <paramref name="ciphertext"/>, returning <see langword="false"/> instead of throwing when it is not authentic.</summary>
    /// <param name="nonce">The nonce used to encrypt.</param>
    /// <param name="ciphertext">The encrypted bytes followed by the tag.</param>
    /// <param name="associatedData">The associated data used to encrypt (pass <see langword="default"/> for none).</param>
    /// <param name="plaintext">The plaintext when authentic; otherwise <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the data is authentic.</returns>
    /// <exception cref="ArgumentException">The nonce has the wrong length.</exception>
    bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out byte[]? plaintext);

    /// <summary>Checks and decrypts <paramref name="ciphertext"/> into a caller buffer without throwing on inauthentic data.</summary>
    /// <param name="nonce">The nonce used to encrypt.</param>
    /// <param name="ciphertext">The encrypted bytes followed by the tag.</param>
    /// <param name="destination">Receives the plaintext; at least <c>ciphertext.Length - TagSize</c> bytes. Cleared on failure.</param>
    /// <param name="associatedData">The associated data used to encrypt (pass <see langword="default"/> for none).</param>
    /// <param name="bytesWritten">The number of plaintext bytes written, or 0 on failure.</param>
    /// <returns><see langword="true"/> when the data is authentic.</returns>
    /// <exception cref="ArgumentException">The nonce has the wrong length or the destination is too small.</exception>
    bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> destination, ReadOnlySpan<byte> associatedData, out int bytesWritten);
}
