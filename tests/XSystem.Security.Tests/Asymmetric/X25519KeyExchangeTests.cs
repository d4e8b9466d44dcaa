using System.Security.Cryptography;

namespace XSystem.Security.Tests.Asymmetric;

public sealed class X25519KeyExchangeTests
{
    [Fact]
    public void DeriveSharedSecret_Rfc7748Section62_MatchesKnownAnswer()
    {
        using var alice = X25519KeyExchange.ImportPrivateKey(Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        using var bob = X25519KeyExchange.ImportPrivateKey(Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));

        Convert.ToHexStringLower(alice.PublicKey).ShouldBe("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        Convert.ToHexStringLower(bob.PublicKey).ShouldBe("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        Convert.ToHexStringLower(alice.DeriveSharedSecret(bob.PublicKey)).ShouldBe("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        bob.DeriveSharedSecret(alice.PublicKey).ShouldBe(alice.DeriveSharedSecret(bob.PublicKey));
    }

    [Fact]
    public void DeriveKey_BothSides_AgreeAndEqualHkdfOfSharedSecret()
    {
        using var alice = new X25519KeyExchange();
        using var bob = new X25519KeyExchange();
        var info = "test v1"u8.ToArray();

        var a = alice.DeriveKey(bob.PublicKey, info, 48);
        var b = bob.DeriveKey(alice.PublicKey, info);

        a.Length.ShouldBe(48);
        b.ShouldBe(a[..32]);
        a.ShouldBe(HKDF.DeriveKey(HashAlgorithmName.SHA256, alice.DeriveSharedSecret(bob.PublicKey), 48, [], info));
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")]
    public void DeriveSharedSecret_LowOrderPoint_ThrowsKeyAgreementException(string publicHex)
    {
        using var ours = new X25519KeyExchange();

        var ex = Should.Throw<KeyAgreementException>(() => ours.DeriveSharedSecret(Convert.FromHexString(publicHex)));

        ex.Message.ShouldContain("low-order");
        Should.Throw<KeyAgreementException>(() => ours.DeriveKey(Convert.FromHexString(publicHex), "x"u8));
    }

    [Fact]
    public void DeriveSharedSecret_WrongLength_ThrowsArgumentException()
    {
        using var ours = new X25519KeyExchange();

        Should.Throw<ArgumentException>(() => ours.DeriveSharedSecret(new byte[31])).Message.ShouldContain("31 bytes");
    }

    [Fact]
    public void ExportPrivateKey_NotAllowed_ThrowsInvalidOperation()
    {
        using var key = new X25519KeyExchange();

        key.CanExportPrivateKey.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(key.ExportPrivateKey).Message.ShouldContain("allowExport: true");
        Should.Throw<InvalidOperationException>(key.ExportPkcs8Pem);
    }

    [Fact]
    public void Pkcs8AndSpki_RoundTrip_KeepTheSameKeys()
    {
        using var original = new X25519KeyExchange(allowExport: true);
        using var peer = new X25519KeyExchange();

        using var fromRaw = X25519KeyExchange.ImportPrivateKey(original.ExportPrivateKey());
        using var fromDer = X25519KeyExchange.ImportPkcs8(original.ExportPkcs8());
        using var fromPem = X25519KeyExchange.ImportPem(original.ExportPkcs8Pem());

        original.ExportPkcs8Pem().ShouldStartWith("-----BEGIN PRIVATE KEY-----");
        original.ExportPublicKeyPem().ShouldStartWith("-----BEGIN PUBLIC KEY-----");
        X25519KeyExchange.ImportPublicKeySpki(original.ExportPublicKeySpki()).ShouldBe(original.PublicKey);
        X25519KeyExchange.ImportPublicKeyPem(original.ExportPublicKeyPem()).ShouldBe(original.PublicKey);
        var expected = original.DeriveSharedSecret(peer.PublicKey);
        fromRaw.DeriveSharedSecret(peer.PublicKey).ShouldBe(expected);
        fromDer.DeriveSharedSecret(peer.PublicKey).ShouldBe(expected);
        fromPem.DeriveSharedSecret(peer.PublicKey).ShouldBe(expected);
    }

    [Fact]
    public void ImportPem_Garbage_ThrowsKeyFormatExceptionWithoutTheInput()
    {
        var ex = Should.Throw<KeyFormatException>(() => X25519KeyExchange.ImportPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));

        ex.Message.ShouldContain("PKCS#8 PEM");
        ex.Message.ShouldNotContain("AAAA");
    }

    [Fact]
    public void ImportPkcs8_Ed25519Key_ThrowsKeyFormatException()
    {
        using var ed = new Ed25519Signer(allowExport: true);

        Should.Throw<KeyFormatException>(() => X25519KeyExchange.ImportPkcs8(ed.ExportPkcs8()));
    }

    [Fact]
    public void ToString_ShowsOnlyThePublicKey()
    {
        using var key = new X25519KeyExchange(allowExport: true);

        key.ToString().ShouldContain(Convert.ToHexStringLower(key.PublicKey));
        key.ToString().ShouldNotContain(Convert.ToHexStringLower(key.ExportPrivateKey()));
    }

    [Fact]
    public void PublicKey_ReturnsACopy()
    {
        using var key = new X25519KeyExchange();
        var first = key.PublicKey;
        first[0] ^= 0xFF;

        key.PublicKey.ShouldNotBe(first);
    }
}
