using System.Security.Cryptography;

namespace XSystem.Security.Tests.Kdfs;

public sealed class KdfTests
{
    private static readonly byte[] Ikm = Enumerable.Repeat((byte)0x0b, 22).ToArray();

    [Fact]
    public void Hkdf_Rfc5869Case1_MatchesKnownAnswer()
    {
        var okm = Kdf.Hkdf(Ikm, 42, Convert.FromHexString("000102030405060708090a0b0c"), Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9"));

        SecureHash.ToHex(okm).ShouldBe("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    [Fact]
    public void Hkdf_Rfc5869Case3NoSaltNoInfo_MatchesKnownAnswer()
    {
        SecureHash.ToHex(Kdf.Hkdf(Ikm, 42)).ShouldBe("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    [Fact]
    public void Hkdf_TooLong_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Kdf.Hkdf(Ikm, (255 * 32) + 1)).Message.ShouldContain("8160");

    [Fact]
    public void Pbkdf2_WeakParameters_RefusedUnlessAllowed()
    {
        var shortSalt = Should.Throw<ArgumentException>(() => Kdf.Pbkdf2("pw", new byte[7], 200_000));
        var fewIterations = Should.Throw<ArgumentException>(() => Kdf.Pbkdf2("pw", new byte[16], 99_999));

        shortSalt.Message.ShouldContain("allowWeak");
        fewIterations.Message.ShouldContain("100,000");
        Kdf.Pbkdf2("pw", new byte[7], 1, allowWeak: true).Length.ShouldBe(32);
    }

    [Fact]
    public void Pbkdf2_Rfc7914Vector_MatchesKnownAnswer()
    {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64.
        var dk = Kdf.Pbkdf2("passwd", "salt"u8, 1, 64, HashAlgorithmName.SHA256, allowWeak: true);

        SecureHash.ToHex(dk).ShouldStartWith("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }

    [Fact]
    public void Argon2id_SaltNot16Bytes_Throws() =>
        Should.Throw<ArgumentException>(() => Kdf.Argon2id("pw", new byte[8])).Message.ShouldContain("exactly 16 bytes");

    [Fact]
    public void Argon2id_ParallelismAboveOne_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Kdf.Argon2id("pw", new byte[16], new Argon2idParameters { Parallelism = 4 }));

    [Fact]
    public void Argon2id_SameInputs_SameOutputAndDifferentSaltDiffers()
    {
        var cheap = new Argon2idParameters { MemoryKiB = 64, Iterations = 1 };
        var salt = new byte[16];

        var a = Kdf.Argon2id("pw", salt, cheap);
        var b = Kdf.Argon2id("pw"u8, salt, cheap);
        salt[0] = 1;

        a.ShouldBe(b);
        Kdf.Argon2id("pw", salt, cheap).ShouldNotBe(a);
    }
}
