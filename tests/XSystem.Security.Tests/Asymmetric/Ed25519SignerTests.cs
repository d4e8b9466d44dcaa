namespace XSystem.Security.Tests.Asymmetric;

public sealed class Ed25519SignerTests
{
    [Fact]
    public void Sign_Rfc8032Test1_MatchesKnownAnswer()
    {
        using var signer = Ed25519Signer.ImportPrivateKey(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

        var signature = signer.Sign([]);

        Convert.ToHexStringLower(signer.PublicKey).ShouldBe("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        Convert.ToHexStringLower(signature).ShouldBe(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        Ed25519Signer.Verify(signer.PublicKey, signature, []).ShouldBeTrue();
    }

    [Fact]
    public void Verify_ModifiedMessageOrSignature_ReturnsFalse()
    {
        using var signer = new Ed25519Signer();
        var data = "message"u8.ToArray();
        var signature = signer.Sign(data);

        Ed25519Signer.Verify(signer.PublicKey, signature, "messagf"u8).ShouldBeFalse();
        for (var i = 0; i < signature.Length; i++)
        {
            var bad = (byte[])signature.Clone();
            bad[i] ^= 0x04;
            Ed25519Signer.Verify(signer.PublicKey, bad, data).ShouldBeFalse($"byte {i}");
        }
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(31, 64)]
    [InlineData(33, 64)]
    [InlineData(32, 0)]
    [InlineData(32, 63)]
    [InlineData(32, 65)]
    public void Verify_WrongLengths_ReturnsFalseWithoutThrowing(int keyLength, int signatureLength)
    {
        Ed25519Signer.Verify(new byte[keyLength], new byte[signatureLength], "x"u8).ShouldBeFalse();
    }

    [Fact]
    public void Verify_RandomGarbage_NeverThrows()
    {
        var random = new Random(1234);
        var key = new byte[32];
        var sig = new byte[64];
        for (var i = 0; i < 500; i++)
        {
            random.NextBytes(key);
            random.NextBytes(sig);
            Ed25519Signer.Verify(key, sig, key).ShouldBeFalse();
        }
    }

    [Fact]
    public void Sign_SpanOverload_EqualsArrayOverload()
    {
        using var signer = new Ed25519Signer();
        var buffer = new byte[70];

        var written = signer.Sign("abc"u8, buffer);

        written.ShouldBe(64);
        buffer[..64].ShouldBe(signer.Sign("abc"u8));
        Should.Throw<ArgumentException>(() => signer.Sign("abc"u8, new byte[63]));
    }

    [Fact]
    public void Pkcs8AndPem_RoundTrip_ProduceTheSameSignatures()
    {
        using var original = new Ed25519Signer(allowExport: true);

        using var fromDer = Ed25519Signer.ImportPkcs8(original.ExportPkcs8());
        using var fromPem = Ed25519Signer.ImportPem(original.ExportPkcs8Pem(), allowExport: true);

        fromDer.Sign("m"u8).ShouldBe(original.Sign("m"u8));
        fromPem.ExportPrivateKey().ShouldBe(original.ExportPrivateKey());
        Ed25519Signer.ImportPublicKeyPem(original.ExportPublicKeyPem()).ShouldBe(original.PublicKey);
        fromDer.CanExportPrivateKey.ShouldBeFalse();
    }

    [Fact]
    public void ImportPrivateKey_WrongLength_ThrowsKeyFormatException() =>
        Should.Throw<KeyFormatException>(() => Ed25519Signer.ImportPrivateKey(new byte[64])).Message.ShouldContain("exactly 32 bytes");

    [Fact]
    public void ToString_DoesNotRevealPrivateKey()
    {
        using var signer = new Ed25519Signer(allowExport: true);

        signer.ToString().ShouldNotContain(Convert.ToHexStringLower(signer.ExportPrivateKey()));
    }
}
