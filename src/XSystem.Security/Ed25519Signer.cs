using System.Diagnostics.CodeAnalysis;
using NSec.Cryptography;

namespace XSystem.Security;

/// <summary>
/// Ed25519 signatures (RFC 8032) on libsodium through NSec: .NET 10 has no Ed25519 of its own. Python xSystem name:
/// <c>Ed25519_Signature</c>.
/// </summary>
/// <remarks>
/// <para>Signatures are 64 bytes, public keys 32 bytes. <see cref="Verify"/> is static and returns
/// <see langword="false"/> for any bad input (wrong lengths, invalid points, non-canonical signatures) without
/// throwing.</para>
/// <para>The private key lives in libsodium secure memory and can be exported only when the instance was created or
/// imported with <c>allowExport: true</c>; <see cref="ToString"/> never shows it.</para>
/// <para>Thread safety: all members are safe to call from several threads at once.</para>
/// </remarks>
public sealed class Ed25519Signer : IDisposable
{
    /// <summary>The signature length in bytes (64).</summary>
    public const int SignatureSize = 64;

    /// <summary>The public key length in bytes (32).</summary>
    public const int PublicKeySize = 32;

    private const string Name = "Ed25519";
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key _key;
    private readonly byte[] _publicKey;

    /// <summary>Creates a new random signing key whose private key cannot be exported.</summary>
    public Ed25519Signer()
        : this(allowExport: false)
    {
    }

    /// <summary>Creates a new random signing key.</summary>
    /// <param name="allowExport">Whether <see cref="ExportPrivateKey"/> and the PKCS#8 exports may be used.</param>
    public Ed25519Signer(bool allowExport)
        : this(NSecKeys.Create(Algorithm, allowExport))
    {
    }

    private Ed25519Signer(Key key)
    {
        _key = key;
        _publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The 32-byte raw public key (a new copy on every call).</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Public contract: keys come back as byte[]; a copy is returned.")]
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>Whether the private key may be exported.</summary>
    public bool CanExportPrivateKey => _key.ExportPolicy != KeyExportPolicies.None;

    /// <summary>Imports a raw 32-byte private key (the RFC 8032 seed).</summary>
    /// <param name="privateKey">The 32 seed bytes.</param>
    /// <param name="allowExport">Whether the private key may be exported again; default no.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="KeyFormatException">The key is not 32 bytes.</exception>
    public static Ed25519Signer ImportPrivateKey(ReadOnlySpan<byte> privateKey, bool allowExport = false) =>
        new(NSecKeys.ImportPrivate(Algorithm, Name, privateKey, KeyBlobFormat.RawPrivateKey, allowExport));

    /// <summary>Imports a PKCS#8 DER private key (RFC 8410).</summary>
    /// <param name="pkcs8">The DER bytes.</param>
    /// <param name="allowExport">Whether the private key may be exported again; default no.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="KeyFormatException">The bytes are not an Ed25519 PKCS#8 key.</exception>
    public static Ed25519Signer ImportPkcs8(ReadOnlySpan<byte> pkcs8, bool allowExport = false) =>
        new(NSecKeys.ImportPrivate(Algorithm, Name, pkcs8, KeyBlobFormat.PkixPrivateKey, allowExport));

    /// <summary>Imports a PEM private key (<c>-----BEGIN PRIVATE KEY-----</c>, PKCS#8).</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="allowExport">Whether the private key may be exported again; default no.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="KeyFormatException">The text is not an Ed25519 PKCS#8 PEM key.</exception>
    public static Ed25519Signer ImportPem(string pem, bool allowExport = false) =>
        new(NSecKeys.ImportPrivate(Algorithm, Name, NSecKeys.Bytes(pem), KeyBlobFormat.PkixPrivateKeyText, allowExport));

    /// <summary>Reads a public key from SubjectPublicKeyInfo DER.</summary>
    /// <param name="spki">The DER bytes.</param>
    /// <returns>The 32-byte raw public key.</returns>
    /// <exception cref="KeyFormatException">The bytes are not an Ed25519 public key.</exception>
    public static byte[] ImportPublicKeySpki(ReadOnlySpan<byte> spki) =>
        NSecKeys.ImportPublic(Algorithm, Name, spki, KeyBlobFormat.PkixPublicKey).Export(KeyBlobFormat.RawPublicKey);

    /// <summary>Reads a public key from PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    /// <param name="pem">The PEM text.</param>
    /// <returns>The 32-byte raw public key.</returns>
    /// <exception cref="KeyFormatException">The text is not an Ed25519 public key.</exception>
    public static byte[] ImportPublicKeyPem(string pem) =>
        NSecKeys.ImportPublic(Algorithm, Name, NSecKeys.Bytes(pem), KeyBlobFormat.PkixPublicKeyText).Export(KeyBlobFormat.RawPublicKey);

    /// <summary>Signs <paramref name="data"/>.</summary>
    /// <param name="data">The message.</param>
    /// <returns>The 64-byte signature.</returns>
    public byte[] Sign(ReadOnlySpan<byte> data) => Algorithm.Sign(_key, data);

    /// <summary>Signs <paramref name="data"/> into a caller buffer.</summary>
    /// <param name="data">The message.</param>
    /// <param name="signature">Receives the signature; at least 64 bytes.</param>
    /// <returns>The number of bytes written (64).</returns>
    /// <exception cref="ArgumentException">The buffer is smaller than 64 bytes.</exception>
    public int Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        if (signature.Length < SignatureSize)
        {
            ThrowHelper.DestinationTooSmall(signature.Length, SignatureSize, nameof(signature));
        }

        Algorithm.Sign(_key, data, signature[..SignatureSize]);
        return SignatureSize;
    }

    /// <summary>Checks an Ed25519 signature. Never throws on attacker-controlled input.</summary>
    /// <param name="publicKey">The signer's 32-byte raw public key.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <param name="data">The signed message.</param>
    /// <returns><see langword="true"/> only for a valid signature; <see langword="false"/> for anything else, including wrong lengths.</returns>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> data)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        return NSec.Cryptography.PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key)
            && key is not null
            && Algorithm.Verify(key, data, signature);
    }

    /// <summary>Exports the raw 32-byte private key (the RFC 8032 seed).</summary>
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

    /// <summary>Describes the signer by its public key only.</summary>
    /// <returns>For example <c>Ed25519Signer(public d75a9801...)</c>.</returns>
    public override string ToString() => $"Ed25519Signer(public {Convert.ToHexStringLower(_publicKey)})";
}
