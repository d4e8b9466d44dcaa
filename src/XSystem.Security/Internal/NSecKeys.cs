using NSec.Cryptography;

namespace XSystem.Security;

/// <summary>Import and export of NSec keys in raw, PKCS#8/SPKI DER and PEM form, with XSystem's error messages.</summary>
internal static class NSecKeys
{
    public static KeyCreationParameters Parameters(bool allowExport) => new()
    {
        ExportPolicy = allowExport ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None,
    };

    public static Key Create(Algorithm algorithm, bool allowExport)
    {
        var parameters = Parameters(allowExport);
        return Key.Create(algorithm, in parameters);
    }

    public static Key ImportPrivate(Algorithm algorithm, string name, ReadOnlySpan<byte> blob, KeyBlobFormat format, bool allowExport)
    {
        if (format == KeyBlobFormat.RawPrivateKey && blob.Length != 32)
        {
            throw new KeyFormatException($"A raw {name} private key is exactly 32 bytes, but {blob.Length} bytes were given.");
        }

        var parameters = Parameters(allowExport);
        if (!Key.TryImport(algorithm, blob, format, out var key, in parameters) || key is null)
        {
            throw new KeyFormatException($"The data is not a valid {name} private key in {Describe(format)} form.");
        }

        return key;
    }

    public static PublicKey ImportPublic(Algorithm algorithm, string name, ReadOnlySpan<byte> blob, KeyBlobFormat format)
    {
        if (format == KeyBlobFormat.RawPublicKey && blob.Length != 32)
        {
            throw new KeyFormatException($"A raw {name} public key is exactly 32 bytes, but {blob.Length} bytes were given.");
        }

        if (!PublicKey.TryImport(algorithm, blob, format, out var key) || key is null)
        {
            throw new KeyFormatException($"The data is not a valid {name} public key in {Describe(format)} form.");
        }

        return key;
    }

    public static byte[] ExportPrivate(Key key, KeyBlobFormat format)
    {
        if (key.ExportPolicy == KeyExportPolicies.None)
        {
            throw new InvalidOperationException(SecurityMessages.PrivateKeyNotExportable);
        }

        return key.Export(format);
    }

    public static string Text(byte[] utf8) => System.Text.Encoding.ASCII.GetString(utf8);

    public static byte[] Bytes(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return System.Text.Encoding.ASCII.GetBytes(pem.Trim() + "\n");
    }

    private static string Describe(KeyBlobFormat format) => format switch
    {
        KeyBlobFormat.RawPrivateKey or KeyBlobFormat.RawPublicKey => "raw 32-byte",
        KeyBlobFormat.PkixPrivateKey => "PKCS#8 DER",
        KeyBlobFormat.PkixPrivateKeyText => "PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)",
        KeyBlobFormat.PkixPublicKey => "SubjectPublicKeyInfo DER",
        KeyBlobFormat.PkixPublicKeyText => "SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----)",
        _ => format.ToString(),
    };
}
