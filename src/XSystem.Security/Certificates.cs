using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XSystem.Security;

/// <summary>The key type of a certificate created by <see cref="Certificates"/>.</summary>
public enum CertificateKeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256 with SHA-256. The default: small and fast.</summary>
    EcdsaP256,

    /// <summary>RSA 2048-bit with SHA-256 and PKCS#1 v1.5 signatures, for old clients.</summary>
    Rsa2048,

    /// <summary>RSA 3072-bit with SHA-256 and PKCS#1 v1.5 signatures.</summary>
    Rsa3072,
}

/// <summary>What a certificate says about itself, as plain values.</summary>
/// <param name="Subject">The subject distinguished name, for example <c>CN=example.com</c>.</param>
/// <param name="Issuer">The issuer distinguished name.</param>
/// <param name="SerialNumber">The serial number as uppercase hex.</param>
/// <param name="NotBefore">Start of validity (UTC).</param>
/// <param name="NotAfter">End of validity (UTC).</param>
/// <param name="DnsNames">DNS names from the subject alternative name extension.</param>
/// <param name="IpAddresses">IP addresses from the subject alternative name extension.</param>
/// <param name="Sha256Fingerprint">SHA-256 of the DER encoding, lowercase hex.</param>
/// <param name="KeyAlgorithm">The public key algorithm, for example <c>ECDSA P-256</c> or <c>RSA 3072</c>.</param>
/// <param name="SignatureAlgorithm">The signature algorithm's friendly name or OID.</param>
/// <param name="IsSelfSigned">Whether subject and issuer are the same and the signature verifies with its own key.</param>
/// <param name="IsCertificateAuthority">Whether the basic constraints extension marks it as a CA.</param>
public sealed record CertificateInfo(
    string Subject,
    string Issuer,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> IpAddresses,
    string Sha256Fingerprint,
    string KeyAlgorithm,
    string SignatureAlgorithm,
    bool IsSelfSigned,
    bool IsCertificateAuthority);

/// <summary>
/// X.509 helpers on the BCL: create self-signed and CA-issued certificates (ECDSA P-256 or RSA), create CSRs, load
/// PEM/DER/PFX, export PEM, fingerprints, descriptions, chain verification against given roots, and hostname checks.
/// Ed25519 certificates are not offered: the .NET 10 X.509 stack has no Ed25519. Python xSystem name:
/// <c>X509Certificate</c>.
/// </summary>
/// <remarks>Thread safety: all members are stateless and safe to call from any thread; the returned
/// <see cref="X509Certificate2"/> objects follow the BCL's rules (dispose them when done).</remarks>
public static class Certificates
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Creates a self-signed certificate with a new private key.</summary>
    /// <param name="subjectName">The subject: a distinguished name (<c>CN=example.com, O=Example</c>) or a plain name, which becomes <c>CN=name</c>.</param>
    /// <param name="keyAlgorithm">The key type; default ECDSA P-256.</param>
    /// <param name="dnsNames">DNS names (and IP addresses) for the subject alternative name extension; default none.</param>
    /// <param name="validity">How long it is valid; default 365 days.</param>
    /// <param name="isCertificateAuthority">Whether it may sign other certificates; default <see langword="false"/>.</param>
    /// <param name="timeProvider">The clock; default <see cref="TimeProvider.System"/>.</param>
    /// <returns>The certificate with its private key.</returns>
    public static X509Certificate2 CreateSelfSigned(
        string subjectName,
        CertificateKeyAlgorithm keyAlgorithm = CertificateKeyAlgorithm.EcdsaP256,
        IEnumerable<string>? dnsNames = null,
        TimeSpan? validity = null,
        bool isCertificateAuthority = false,
        TimeProvider? timeProvider = null)
    {
        using var key = CreateKey(keyAlgorithm);
        var request = Request(subjectName, key, dnsNames, isCertificateAuthority);
        var (notBefore, notAfter) = Window(validity, timeProvider);
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>Issues a certificate signed by <paramref name="issuer"/> (which must hold its private key), with a new key pair.</summary>
    /// <param name="issuer">A CA certificate with its private key.</param>
    /// <param name="subjectName">The subject, as in <see cref="CreateSelfSigned"/>.</param>
    /// <param name="keyAlgorithm">The new key's type; default ECDSA P-256.</param>
    /// <param name="dnsNames">DNS names (and IP addresses) for the subject alternative name extension; default none.</param>
    /// <param name="validity">How long it is valid; default 365 days, cut to the issuer's own end of validity.</param>
    /// <param name="isCertificateAuthority">Whether it may sign other certificates; default <see langword="false"/>.</param>
    /// <param name="timeProvider">The clock; default <see cref="TimeProvider.System"/>.</param>
    /// <returns>The new certificate with its private key.</returns>
    /// <exception cref="ArgumentException">The issuer has no private key.</exception>
    public static X509Certificate2 Issue(
        X509Certificate2 issuer,
        string subjectName,
        CertificateKeyAlgorithm keyAlgorithm = CertificateKeyAlgorithm.EcdsaP256,
        IEnumerable<string>? dnsNames = null,
        TimeSpan? validity = null,
        bool isCertificateAuthority = false,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.HasPrivateKey)
        {
            throw new ArgumentException("The issuer certificate has no private key, so it cannot sign. Load it from a PFX or with its key PEM.", nameof(issuer));
        }

        using var key = CreateKey(keyAlgorithm);
        var request = Request(subjectName, key, dnsNames, isCertificateAuthority);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var (notBefore, notAfter) = Window(validity, timeProvider);
        if (notAfter > issuer.NotAfter)
        {
            notAfter = issuer.NotAfter.ToUniversalTime();
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = issuer.GetECDsaPrivateKey() is { } ec
            ? request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(ec), notBefore, notAfter, serial)
            : request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1), notBefore, notAfter, serial);
        return key switch
        {
            ECDsa e => signed.CopyWithPrivateKey(e),
            RSA r => signed.CopyWithPrivateKey(r),
            _ => throw new InvalidOperationException("Unexpected key type."),
        };
    }

    /// <summary>Creates a PKCS#10 certificate signing request (CSR) in PEM form for an existing key.</summary>
    /// <param name="subjectName">The subject, as in <see cref="CreateSelfSigned"/>.</param>
    /// <param name="key">An <see cref="ECDsa"/> or <see cref="RSA"/> private key.</param>
    /// <param name="dnsNames">DNS names (and IP addresses) to request; default none.</param>
    /// <returns>The CSR PEM (<c>-----BEGIN CERTIFICATE REQUEST-----</c>).</returns>
    /// <exception cref="ArgumentException">The key is neither ECDSA nor RSA.</exception>
    public static string CreateSigningRequest(string subjectName, AsymmetricAlgorithm key, IEnumerable<string>? dnsNames = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Request(subjectName, key, dnsNames, isCertificateAuthority: false).CreateSigningRequestPem();
    }

    /// <summary>Loads a certificate from PEM text, optionally with its private key PEM.</summary>
    /// <param name="certificatePem">The certificate PEM (<c>-----BEGIN CERTIFICATE-----</c>).</param>
    /// <param name="privateKeyPem">The matching private key PEM (PKCS#8, SEC1 or PKCS#1); default none.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="CryptographicException">The text is not a certificate, or the key does not match.</exception>
    public static X509Certificate2 LoadPem(string certificatePem, string? privateKeyPem = null)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        return privateKeyPem is null ? X509Certificate2.CreateFromPem(certificatePem) : X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
    }

    /// <summary>Loads a certificate from DER (or PEM) bytes.</summary>
    /// <param name="data">The certificate bytes.</param>
    /// <returns>The certificate (without a private key).</returns>
    /// <exception cref="CryptographicException">The bytes are not a certificate.</exception>
    public static X509Certificate2 LoadDer(ReadOnlySpan<byte> data) => X509CertificateLoader.LoadCertificate(data);

    /// <summary>Loads a certificate with its private key from PKCS#12 (PFX) bytes, with the BCL's default loader limits.</summary>
    /// <param name="data">The PFX bytes.</param>
    /// <param name="password">The PFX password; default none.</param>
    /// <returns>The certificate with its private key (kept in memory, not in a key store).</returns>
    /// <exception cref="CryptographicException">The bytes are not a PFX or the password is wrong.</exception>
    public static X509Certificate2 LoadPfx(ReadOnlySpan<byte> data, string? password = null) =>
        X509CertificateLoader.LoadPkcs12(data, password, X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>Loads a certificate file: PFX by extension (.pfx, .p12), otherwise PEM or DER by content.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="password">The PFX password; default none.</param>
    /// <returns>The certificate.</returns>
    public static X509Certificate2 Load(string path, string? password = null)
    {
        Guard.NotNullOrEmptyPath(path);
        var bytes = File.ReadAllBytes(path);
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return LoadPfx(bytes, password);
        }

        return bytes.AsSpan().StartsWith("-----BEGIN"u8) ? LoadPem(System.Text.Encoding.ASCII.GetString(bytes)) : LoadDer(bytes);
    }

    /// <summary>Exports the certificate (without its key) as PEM.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The PEM text.</returns>
    public static string ExportPem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.ExportCertificatePem();
    }

    /// <summary>Exports the certificate's private key as unencrypted PKCS#8 PEM.</summary>
    /// <param name="certificate">A certificate with its private key.</param>
    /// <returns>The PEM text; keep it secret.</returns>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public static string ExportPrivateKeyPem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        AsymmetricAlgorithm? key = certificate.GetECDsaPrivateKey() ?? (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey();
        using (key)
        {
            return key?.ExportPkcs8PrivateKeyPem()
                ?? throw new ArgumentException("The certificate has no ECDSA or RSA private key.", nameof(certificate));
        }
    }

    /// <summary>Exports the certificate with its private key as PKCS#12 (PFX).</summary>
    /// <param name="certificate">A certificate with its private key.</param>
    /// <param name="password">The PFX password.</param>
    /// <returns>The PFX bytes.</returns>
    public static byte[] ExportPfx(X509Certificate2 certificate, string password)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(password);
        return certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
    }

    /// <summary>The SHA-256 fingerprint (hash of the DER encoding).</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>32 bytes.</returns>
    public static byte[] Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.GetCertHash(HashAlgorithmName.SHA256);
    }

    /// <summary>Describes a certificate: names, validity, SANs, fingerprint, algorithms.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>The description.</returns>
    public static CertificateInfo Describe(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var dns = new List<string>();
        var ips = new List<string>();
        foreach (var san in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            dns.AddRange(san.EnumerateDnsNames());
            ips.AddRange(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }

        var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
        return new CertificateInfo(
            certificate.Subject,
            certificate.Issuer,
            certificate.SerialNumber,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            dns,
            ips,
            Convert.ToHexStringLower(Fingerprint(certificate)),
            KeyDescription(certificate),
            certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "unknown",
            IsSelfSigned(certificate),
            isCa);
    }

    /// <summary>Whether the current time lies within the certificate's validity period.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="timeProvider">The clock; default <see cref="TimeProvider.System"/>.</param>
    /// <returns><see langword="true"/> when currently valid by date.</returns>
    public static bool IsValidNow(X509Certificate2 certificate, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        return now >= certificate.NotBefore.ToUniversalTime() && now <= certificate.NotAfter.ToUniversalTime();
    }

    /// <summary>Verifies that <paramref name="certificate"/> chains to one of <paramref name="trustedRoots"/> (and nothing else), without revocation checks.</summary>
    /// <param name="certificate">The end-entity certificate.</param>
    /// <param name="trustedRoots">The only roots to trust (the machine's store is ignored).</param>
    /// <param name="intermediates">Intermediate CA certificates that may complete the chain; default none.</param>
    /// <param name="verificationTime">The time to check validity at; default now.</param>
    /// <returns><see langword="true"/> when the chain is complete, every signature verifies, and every certificate is valid at that time.</returns>
    public static bool VerifyChain(X509Certificate2 certificate, IEnumerable<X509Certificate2> trustedRoots, IEnumerable<X509Certificate2>? intermediates = null, DateTimeOffset? verificationTime = null) =>
        VerifyChain(certificate, trustedRoots, out _, intermediates, verificationTime);

    /// <summary>Verifies a chain as <see cref="VerifyChain(X509Certificate2, IEnumerable{X509Certificate2}, IEnumerable{X509Certificate2}?, DateTimeOffset?)"/> and says what is wrong.</summary>
    /// <param name="certificate">The end-entity certificate.</param>
    /// <param name="trustedRoots">The only roots to trust.</param>
    /// <param name="problems">Readable descriptions of each problem; empty when valid.</param>
    /// <param name="intermediates">Intermediate CA certificates that may complete the chain; default none.</param>
    /// <param name="verificationTime">The time to check validity at; default now.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool VerifyChain(X509Certificate2 certificate, IEnumerable<X509Certificate2> trustedRoots, out IReadOnlyList<string> problems, IEnumerable<X509Certificate2>? intermediates = null, DateTimeOffset? verificationTime = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustedRoots);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots.ToArray());
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        }

        chain.ChainPolicy.VerificationTime = (verificationTime ?? TimeProvider.System.GetUtcNow()).UtcDateTime;
        var ok = chain.Build(certificate);
        problems = ok
            ? []
            : [.. chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").DefaultIfEmpty("The chain could not be built to a trusted root.")];
        return ok;
    }

    /// <summary>Whether the certificate is valid for <paramref name="hostname"/> by its subject alternative names (wildcards allowed; the common name is ignored, as browsers do).</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="hostname">A DNS name or IP address.</param>
    /// <returns><see langword="true"/> when a SAN entry matches.</returns>
    public static bool MatchesHostname(X509Certificate2 certificate, string hostname)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostname);
        return certificate.MatchesHostname(hostname, allowWildcards: true, allowCommonName: false);
    }

    private static AsymmetricAlgorithm CreateKey(CertificateKeyAlgorithm algorithm) => algorithm switch
    {
        CertificateKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        CertificateKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        CertificateKeyAlgorithm.Rsa3072 => RSA.Create(3072),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown certificate key algorithm."),
    };

    private static CertificateRequest Request(string subjectName, AsymmetricAlgorithm key, IEnumerable<string>? dnsNames, bool isCertificateAuthority)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectName);
        var subject = new X500DistinguishedName(subjectName.Contains('=', StringComparison.Ordinal) ? subjectName : "CN=" + subjectName);
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("Only ECDSA and RSA keys are supported (the .NET 10 X.509 stack has no Ed25519).", nameof(key)),
        };

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCertificateAuthority, false, 0, critical: true));
        var usage = isCertificateAuthority
            ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature
            : X509KeyUsageFlags.DigitalSignature | (key is RSA ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.KeyAgreement);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        if (!isCertificateAuthority)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], critical: false));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var names = dnsNames?.ToList() ?? [];
        if (names.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                if (IPAddress.TryParse(name, out var ip))
                {
                    san.AddIpAddress(ip);
                }
                else
                {
                    san.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(san.Build());
        }

        return request;
    }

    private static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Window(TimeSpan? validity, TimeProvider? timeProvider)
    {
        var span = validity ?? TimeSpan.FromDays(365);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(span, TimeSpan.Zero, nameof(validity));
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddMinutes(-5);
        return (start, start.AddMinutes(5) + span);
    }

    private static bool IsSelfSigned(X509Certificate2 certificate)
    {
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        chain.ChainPolicy.CustomTrustStore.Add(certificate);
        return chain.Build(certificate);
    }

    private static string KeyDescription(X509Certificate2 certificate)
    {
        using var ec = certificate.GetECDsaPublicKey();
        if (ec is not null)
        {
            return $"ECDSA {ec.ExportParameters(false).Curve.Oid.FriendlyName ?? ec.KeySize.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }

        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null ? $"RSA {rsa.KeySize}" : certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown";
    }
}
