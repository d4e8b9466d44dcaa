using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace XSystem.Security;

/// <summary>
/// X25519 (RFC 7748) key agreement on libsodium through NSec: .NET 10 has no X25519 of its own. Python xSystem name:
/// <c>X25519_KeyExchange</c>.
/// </summary>
/// <remarks>
/// <para>The private key lives in libsodium secure memory. It can be exported only when the instance was created or
/// imported with <c>allowExport: true</c>; <see cref="ToString"/> never shows it.</para>
/// <para><see cref="DeriveSharedSecret"/> returns the raw X25519 output; prefer <see cref="DeriveKey"/>, which runs it
/// through HKDF-SHA256 with your context string, before using it as a key.</para>
/// <para>Thread safety: all members are safe to call from several threads at once.</para>
/// </remarks>
public sealed class X25519KeyExchange : IDisposable
{
    private const string Name = "X25519";
    private static readonly KeyAgreementAlgorithm Algorithm = KeyAgreementAlgorithm.X25519;

    private readonly Key _key;
    private readonly byte[] _publicKey;

    /// <summary>Creates a new random key pair whose private key cannot be exported.</summary>
    public X25519KeyExchange()
        : this(allowExport: false)
    {
    }

    /// <summary>Creates a new random key pair.</summary>
    /// <param name="allowExport">Whether <see cref="ExportPrivateKey"/> and the PKCS#8 exports may be used.</param>
    public X25519KeyExchange(bool allowExport)
        : this(NSecKeys.Create(Algorithm, allowExport))
    {
    }

    private X25519KeyExchange(Key key)
    {
        _key = key;
        _publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The 32-byte raw public key to send to the peer (a new copy on every call).</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Public contract: keys come back as byte[]; a copy is returned.")]
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>Whether the private key may be exported.</summary>
    public bool CanExportPrivateKey => _key.ExportPolicy != KeyExportPolicies.None;

    /// <summary>Imports a raw 32-byte private key.</summary>
    /// <param name="privateKey">The 32 private key bytes.</param>
    /// <param name="allowExport">Whether the private key may be exported again; default no.</param>
    /// <returns>The key pair.</returns>
    /// <exception cref="KeyFormatException">The key is not 32 bytes.</exception>
    public static X25519KeyExchange ImportPrivateKey(ReadOnlySpan<byte> privateKey, bool allowExport = false) =>
        new(NSecKeys.ImportPrivate(Algorithm, Name, privateKey, KeyBlobFormat.RawPrivateKey, allowExport));

    /// <summary>Imports a PKCS#8 DER private key (RFC 8410).</summary>
    /// <param name="pkcs8">The DER bytes.</param>
    /// <param name="allowExport">Whether the private key may be exported again; default no.</param>
    /// <returns>The key pair.</returns>
    /// <exception cref="KeyFormatException">The bytes are not an X25519 PKCS#8 key.</exception>
    public static X25519KeyExchange ImportPkcs8(ReadOnlySpan<byte> pkcs8, bool allowExport = false) =>
        new(NSecKeys.ImportPrivate(Algorithm, Name, pkcs8, KeyBlobFormat.PkixPrivateKey, allowExport));

    /// <summary>Imports a PEM private key (<c>-----BEGIN PRIVATE KEY-----</c>, PKCS#8).</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="allowExport">Whether the private key may be exported again; default no.</param>
    /// <returns>The key pair.</returns>
    /// <exception cref="KeyFormatException">The text is not an X25519 PKCS#8 PEM key.</exception>
    public static X25519KeyExchange ImportPem(string pem, bool allowExport = false) =>
        new(NSecKeys.ImportPrivate(Algorithm, Name, NSecKeys.Bytes(pem), KeyBlobFormat.PkixPrivateKeyText, allowExport));

    /// <summary>Reads a peer public key from SubjectPublicKeyInfo DER.</summary>
    /// <param name="spki">The DER bytes.</param>
    /// <returns>The 32-byte raw public key.</returns>
    /// <exception cref="KeyFormatException">The bytes are not an X25519 public key.</exception>
    public static byte[] ImportPublicKeySpki(ReadOnlySpan<byte> spki) =>
        NSecKeys.ImportPublic(Algorithm, Name, spki, KeyBlobFormat.PkixPublicKey).Export(KeyBlobFormat.RawPublicKey);

    /// <summary>Reads a peer public key from PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    /// <param name="pem">The PEM text.</param>
    /// <returns>The 32-byte raw public key.</returns>
    /// <exception cref="KeyFormatException">The text is not an X25519 public key.</exception>
    public static byte[] ImportPublicKeyPem(string pem) =>
        NSecKeys.ImportPublic(Algorithm, Name, NSecKeys.Bytes(pem), KeyBlobFormat.PkixPublicKeyText).Export(KeyBlobFormat.RawPublicKey);

    /// <summary>Computes the raw X25519 shared secret with a peer.</summary>
    /// <param name="peerPublicKey">The peer's 32-byte raw public key.</param>
    /// <returns>The 32-byte shared secret. Run it through a KDF before use, or call <see cref="DeriveKey"/>.</returns>
    /// <exception cref="ArgumentException">The public key is not 32 bytes.</exception>
    /// <exception cref="KeyAgreementException">The peer key is a low-order point (the result would be all zeros).</exception>
    public byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        using var secret = Agree(peerPublicKey);
        var raw = secret.Export(SharedSecretBlobFormat.RawSharedSecret);
        RejectAllZero(raw);
        return raw;
    }

    /// <summary>Derives a key from the X25519 shared secret with HKDF-SHA256.</summary>
    /// <param name="peerPublicKey">The peer's 32-byte raw public key.</param>
    /// <param name="info">A context string that binds the key to its purpose, for example <c>"myapp v1 session"u8</c>.</param>
    /// <param name="length">The key length in bytes; default 32, at most 8,160.</param>
    /// <param name="salt">Optional HKDF salt; default none (RFC 5869 uses a zero block).</param>
    /// <returns>The derived key.</returns>
    /// <exception cref="ArgumentException">The public key is not 32 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not in 1..8160.</exception>
    /// <exception cref="KeyAgreementException">The peer key is a low-order point.</exception>
    public byte[] DeriveKey(ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> info, int length = 32, ReadOnlySpan<byte> salt = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 255 * 32);
        var shared = DeriveSharedSecret(peerPublicKey);
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, length, salt.ToArray(), info.ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>Exports the raw 32-byte private key.</summary>
    /// <returns>The private key bytes; keep them secret.</returns>
    /// <exception cref="InvalidOperationException">The key was created without export permission.</exception>
    public byte[] ExportPrivateKey() => NSecKeys.ExportPrivate(_key, KeyBlobFormat.RawPrivateKey);

    /// <summary>Exports the private key as PKCS#8 DER.</summary>
    /// <returns>The DER bytes; keep them secret.</returns>
    /// <exception cref="InvalidOperationException">The key was created without export permission.</exception>
    public byte[] ExportPkcs8() => NSecKeys.ExportPrivate(_key, KeyBlobFormat.PkixPrivateKey);

    /// <summary>Exports the private key as PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    /// <returns>The PEM text; keep it secret.</returns>
    /// <exception cref="InvalidOperationException">The key was created without export permission.</exception>
    public string ExportPkcs8Pem() => NSecKeys.Text(NSecKeys.ExportPrivate(_key, KeyBlobFormat.PkixPrivateKeyText));

    /// <summary>Exports the public key as SubjectPublicKeyInfo DER.</summary>
    /// <returns>The DER bytes.</returns>
    public byte[] ExportPublicKeySpki() => _key.PublicKey.Export(KeyBlobFormat.PkixPublicKey);

    /// <summary>Exports the public key as PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    /// <returns>The PEM text.</returns>
    public string ExportPublicKeyPem() => NSecKeys.Text(_key.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText));

    /// <summary>Releases the private key held in libsodium secure memory.</summary>
    public void Dispose() => _key.Dispose();

    /// <summary>Describes the key pair by its public key only.</summary>
    /// <returns>For example <c>X25519KeyExchange(public 8520f009...)</c>.</returns>
    public override string ToString() => $"X25519KeyExchange(public {Convert.ToHexStringLower(_publicKey)})";

    private SharedSecret Agree(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != 32)
        {
            ThrowHelper.KeyLength(Name, peerPublicKey.Length, "32", nameof(peerPublicKey));
        }

        if (!NSec.Cryptography.PublicKey.TryImport(Algorithm, peerPublicKey, KeyBlobFormat.RawPublicKey, out var peer) || peer is null)
        {
            throw new KeyAgreementException("The peer's X25519 public key could not be imported. Reject this peer.");
        }

        var parameters = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        SharedSecret? secret;
        try
        {
            secret = Algorithm.Agree(_key, peer, in parameters);
        }
        catch (CryptographicException ex)
        {
            throw new KeyAgreementException(SecurityMessages.SharedSecretZero, ex);
        }

        // libsodium refuses results that are all zeros (low-order peer points); NSec reports that as null.
        return secret ?? throw new KeyAgreementException();
    }

    private static void RejectAllZero(byte[] secret)
    {
        var accumulator = 0;
        foreach (var b in secret)
        {
            accumulator |= b;
        }

        if (accumulator == 0)
        {
            CryptographicOperations.ZeroMemory(secret);
            throw new KeyAgreementException();
        }
    }
}
