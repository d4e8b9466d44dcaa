using System.Security.Cryptography;

namespace XSystem.Security.Tests.Files;

public sealed class XwjeEnvelopeTests
{
    [Theory]
    [InlineData(XwjeAlgorithm.Aes256Gcm)]
    [InlineData(XwjeAlgorithm.ChaCha20Poly1305)]
    public void EncryptDecrypt_WithKey_RoundTripsWithPythonLayout(XwjeAlgorithm algorithm)
    {
        var key = RandomNumberGenerator.GetBytes(32);

        var envelope = XwjeEnvelope.Encrypt("payload"u8, key, algorithm);

        envelope.Length.ShouldBe(19 + 7 + 16);
        envelope[..4].ShouldBe("XWJE"u8.ToArray());
        envelope[4].ShouldBe((byte)1);
        envelope[5].ShouldBe((byte)algorithm);
        envelope[18].ShouldBe((byte)0);
        XwjeEnvelope.IsEnvelope(envelope).ShouldBeTrue();
        XwjeEnvelope.Decrypt(envelope, key).ShouldBe("payload"u8.ToArray());
    }

    [Fact]
    public void EncryptDecrypt_WithPassword_StoresSixteenByteSalt()
    {
        var envelope = XwjeEnvelope.Encrypt("payload"u8, "pw");

        envelope[18].ShouldBe((byte)16);
        XwjeEnvelope.Decrypt(envelope, "pw").ShouldBe("payload"u8.ToArray());
        Should.Throw<AuthenticationFailedException>(() => XwjeEnvelope.Decrypt(envelope, "pW")).Message.ShouldNotContain("pW");
    }

    [Fact]
    public void Decrypt_KeyEnvelopeWithPassword_SaysItNeedsTheKey() =>
        Should.Throw<EncryptedFormatException>(() => XwjeEnvelope.Decrypt(XwjeEnvelope.Encrypt("x"u8, new byte[32]), "pw")).Message.ShouldContain("with the key");

    [Theory]
    [InlineData("58574a45", "too short")]
    [InlineData("58574a4601000000000000000000000000000000", "magic")]
    [InlineData("58574a4502000000000000000000000000000000", "version 2")]
    [InlineData("58574a4501020000000000000000000000000000", "Fernet")]
    [InlineData("58574a4501030000000000000000000000000000", "CTR")]
    [InlineData("58574a4501fe0000000000000000000000000000", "null")]
    [InlineData("58574a4501000000000000000000000000002100", "salt length")]
    [InlineData("58574a4501000000000000000000000000000500", "salt length")]
    public void Decrypt_Malformed_ThrowsEncryptedFormatException(string hex, string expected) =>
        Should.Throw<EncryptedFormatException>(() => XwjeEnvelope.Decrypt(Convert.FromHexString(hex), new byte[32])).Message.ShouldContain(expected, Case.Insensitive);

    [Fact]
    public void Decrypt_Tampered_ThrowsAuthenticationFailed()
    {
        var key = new byte[32];
        var envelope = XwjeEnvelope.Encrypt("payload"u8, key);
        envelope[^1] ^= 1;

        Should.Throw<AuthenticationFailedException>(() => XwjeEnvelope.Decrypt(envelope, key));
    }
}
