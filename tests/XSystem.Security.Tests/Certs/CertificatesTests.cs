using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace XSystem.Security.Tests.Certs;

public sealed class CertificatesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xsys-certs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CreateSelfSigned_Ecdsa_DescribesItself()
    {
        using var cert = Certificates.CreateSelfSigned("example.test", dnsNames: ["example.test", "www.example.test", "127.0.0.1"]);

        var info = Certificates.Describe(cert);

        cert.HasPrivateKey.ShouldBeTrue();
        info.Subject.ShouldBe("CN=example.test");
        info.Issuer.ShouldBe(info.Subject);
        info.DnsNames.ShouldBe(["example.test", "www.example.test"]);
        info.IpAddresses.ShouldBe(["127.0.0.1"]);
        info.KeyAlgorithm.ShouldStartWith("ECDSA");
        info.IsSelfSigned.ShouldBeTrue();
        info.IsCertificateAuthority.ShouldBeFalse();
        info.Sha256Fingerprint.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(cert.RawData)));
        (info.NotAfter - info.NotBefore).ShouldBeGreaterThan(TimeSpan.FromDays(364));
        Certificates.IsValidNow(cert).ShouldBeTrue();
    }

    [Fact]
    public void CreateSelfSigned_Rsa2048_UsesRsaKey()
    {
        using var cert = Certificates.CreateSelfSigned("CN=rsa, O=XSystem", CertificateKeyAlgorithm.Rsa2048);

        Certificates.Describe(cert).KeyAlgorithm.ShouldBe("RSA 2048");
        cert.Subject.ShouldContain("O=XSystem");
    }

    [Fact]
    public void CreateSelfSigned_WithFakeClock_UsesThatTime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

        using var cert = Certificates.CreateSelfSigned("old", validity: TimeSpan.FromDays(30), timeProvider: clock);

        Certificates.IsValidNow(cert, clock).ShouldBeTrue();
        Certificates.IsValidNow(cert).ShouldBeFalse();
        clock.Advance(TimeSpan.FromDays(31));
        Certificates.IsValidNow(cert, clock).ShouldBeFalse();
    }

    [Fact]
    public void PemDerPfx_RoundTrip_KeepTheCertificate()
    {
        using var cert = Certificates.CreateSelfSigned("roundtrip", dnsNames: ["roundtrip.test"]);
        var pem = Certificates.ExportPem(cert);
        var keyPem = Certificates.ExportPrivateKeyPem(cert);

        using var fromPem = Certificates.LoadPem(pem);
        using var withKey = Certificates.LoadPem(pem, keyPem);
        using var fromDer = Certificates.LoadDer(cert.RawData);
        using var fromPfx = Certificates.LoadPfx(Certificates.ExportPfx(cert, "pfx-pass"), "pfx-pass");

        pem.ShouldStartWith("-----BEGIN CERTIFICATE-----");
        keyPem.ShouldStartWith("-----BEGIN PRIVATE KEY-----");
        fromPem.Thumbprint.ShouldBe(cert.Thumbprint);
        fromPem.HasPrivateKey.ShouldBeFalse();
        withKey.HasPrivateKey.ShouldBeTrue();
        fromDer.Thumbprint.ShouldBe(cert.Thumbprint);
        fromPfx.HasPrivateKey.ShouldBeTrue();
        Should.Throw<CryptographicException>(() => Certificates.LoadPfx(Certificates.ExportPfx(cert, "pfx-pass"), "wrong"));
    }

    [Theory]
    [InlineData("cert.pem")]
    [InlineData("cert.der")]
    [InlineData("cert.pfx")]
    public void Load_ByExtensionAndContent_LoadsTheCertificate(string name)
    {
        using var cert = Certificates.CreateSelfSigned("file");
        var path = Path.Combine(_dir, name);
        var bytes = name switch
        {
            "cert.pem" => System.Text.Encoding.ASCII.GetBytes(Certificates.ExportPem(cert)),
            "cert.der" => cert.RawData,
            _ => Certificates.ExportPfx(cert, "p"),
        };
        File.WriteAllBytes(path, bytes);

        using var loaded = Certificates.Load(path, "p");

        loaded.Thumbprint.ShouldBe(cert.Thumbprint);
    }

    [Fact]
    public void CreateSigningRequest_IncludesSubjectAndSans()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var csr = Certificates.CreateSigningRequest("CN=csr.test", key, ["csr.test"]);

        csr.ShouldStartWith("-----BEGIN CERTIFICATE REQUEST-----");
        var parsed = CertificateRequest.LoadSigningRequestPem(csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        parsed.SubjectName.Name.ShouldBe("CN=csr.test");
        var san = parsed.CertificateExtensions.Single(e => e.Oid?.Value == "2.5.29.17");
        new X509SubjectAlternativeNameExtension(san.RawData).EnumerateDnsNames().ShouldBe(["csr.test"]);
    }

    [Fact]
    public void VerifyChain_RootIntermediateLeaf_ValidOnlyWithTheRightRoot()
    {
        using var root = Certificates.CreateSelfSigned("XSystem Test Root", isCertificateAuthority: true);
        using var intermediate = Certificates.Issue(root, "XSystem Test Intermediate", CertificateKeyAlgorithm.Rsa2048, isCertificateAuthority: true);
        using var leaf = Certificates.Issue(intermediate, "api.example.test", dnsNames: ["api.example.test"]);
        using var otherRoot = Certificates.CreateSelfSigned("Other Root", isCertificateAuthority: true);

        Certificates.VerifyChain(leaf, [root], [intermediate]).ShouldBeTrue();
        Certificates.VerifyChain(leaf, [root], out var missing).ShouldBeFalse();
        Certificates.VerifyChain(leaf, [otherRoot], out var untrusted, [intermediate]).ShouldBeFalse();
        Certificates.VerifyChain(leaf, [root], out var expired, [intermediate], DateTimeOffset.UtcNow.AddYears(3)).ShouldBeFalse();

        missing.ShouldNotBeEmpty();
        untrusted.ShouldNotBeEmpty();
        expired.ShouldContain(p => p.Contains("NotTimeValid", StringComparison.Ordinal));
        Certificates.Describe(leaf).IsSelfSigned.ShouldBeFalse();
        Certificates.Describe(intermediate).IsCertificateAuthority.ShouldBeTrue();
        leaf.Issuer.ShouldBe(intermediate.Subject);
    }

    [Fact]
    public void Issue_IssuerWithoutKey_Throws()
    {
        using var root = Certificates.CreateSelfSigned("root", isCertificateAuthority: true);
        using var publicOnly = Certificates.LoadDer(root.RawData);

        Should.Throw<ArgumentException>(() => Certificates.Issue(publicOnly, "leaf")).Message.ShouldContain("no private key");
    }

    [Fact]
    public void MatchesHostname_UsesSansAndWildcardsButNotCommonName()
    {
        using var wildcard = Certificates.CreateSelfSigned("wild", dnsNames: ["*.example.test"]);
        using var cnOnly = Certificates.CreateSelfSigned("cn-only.example.test");

        Certificates.MatchesHostname(wildcard, "a.example.test").ShouldBeTrue();
        Certificates.MatchesHostname(wildcard, "example.test").ShouldBeFalse();
        Certificates.MatchesHostname(wildcard, "a.b.example.test").ShouldBeFalse();
        Certificates.MatchesHostname(cnOnly, "cn-only.example.test").ShouldBeFalse();
    }
}
