using System.Security.Cryptography;
using System.Text;

namespace XSystem.Security.Tests.Hashing;

public sealed class SecureHashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xsys-hash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(SecureHashAlgorithm.Sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData(SecureHashAlgorithm.Sha384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")]
    [InlineData(SecureHashAlgorithm.Sha512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")]
    [InlineData(SecureHashAlgorithm.Sha3_256, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532")]
    [InlineData(SecureHashAlgorithm.Sha3_512, "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0")]
    [InlineData(SecureHashAlgorithm.Blake2b, "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")]
    public void Hash_Abc_MatchesKnownAnswer(SecureHashAlgorithm algorithm, string expected)
    {
        var digest = SecureHash.Hash(algorithm, "abc"u8);

        SecureHash.ToHex(digest).ShouldBe(expected);
        digest.Length.ShouldBe(SecureHash.HashSize(algorithm));
    }

    [Fact]
    public void Sha3_384_WhenSupported_MatchesKnownAnswer()
    {
        if (!SecureHash.IsSupported(SecureHashAlgorithm.Sha3_384))
        {
            Should.Throw<PlatformNotSupportedException>(() => SecureHash.Sha3_384("abc"u8)).Message.ShouldContain("OpenSSL");
            return;
        }

        SecureHash.ToHex(SecureHash.Sha3_384("abc"u8)).ShouldBe("ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25");
    }

    [Fact]
    public void Blake2b_VariableLengthAndKey_MatchesPythonHashlib()
    {
        // hashlib.blake2b(b"abc", digest_size=32).hexdigest() and hashlib.blake2b(b"abc", key=bytes(range(32))).hexdigest()
        SecureHash.ToHex(SecureHash.Blake2b("abc"u8, 32)).ShouldBe("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        SecureHash.Blake2b("abc"u8, 64, key).Length.ShouldBe(64);
        SecureHash.Blake2b("abc"u8, 64, key).ShouldNotBe(SecureHash.Blake2b("abc"u8));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(65)]
    public void Blake2b_LengthOutOfRange_Throws(int length) =>
        Should.Throw<ArgumentOutOfRangeException>(() => SecureHash.Blake2b("x"u8, length)).Message.ShouldContain("32 to 64");

    [Fact]
    public void HmacSha256_Rfc4231Case2_MatchesKnownAnswer()
    {
        var tag = SecureHash.HmacSha256("Jefe"u8, "what do ya want for nothing?"u8);

        SecureHash.ToHex(tag).ShouldBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        SecureHash.VerifyHmac(SecureHashAlgorithm.Sha256, "Jefe"u8, "what do ya want for nothing?"u8, tag).ShouldBeTrue();
        SecureHash.VerifyHmac(SecureHashAlgorithm.Sha256, "Jefe"u8, "what do ya want for nothing!"u8, tag).ShouldBeFalse();
        SecureHash.VerifyHmac(SecureHashAlgorithm.Sha256, "Jefe"u8, "what do ya want for nothing?"u8, tag.AsSpan(0, 8)).ShouldBeFalse();
    }

    [Fact]
    public void Hmac_Blake2b_ThrowsPointingToKeyedBlake2b() =>
        Should.Throw<ArgumentException>(() => SecureHash.Hmac(SecureHashAlgorithm.Blake2b, "k"u8, "d"u8)).Message.ShouldContain("SecureHash.Blake2b");

    [Theory]
    [InlineData(SecureHashAlgorithm.Sha256)]
    [InlineData(SecureHashAlgorithm.Sha3_256)]
    [InlineData(SecureHashAlgorithm.Blake2b)]
    public async Task HashFile_LargeFile_EqualsOneShot(SecureHashAlgorithm algorithm)
    {
        var data = RandomNumberGenerator.GetBytes((3 * SecureHash.BufferSize) + 17);
        var path = Path.Combine(_dir, "data.bin");
        await File.WriteAllBytesAsync(path, data, TestContext.Current.CancellationToken);

        var expected = SecureHash.Hash(algorithm, data);

        SecureHash.HashFile(path, algorithm).ShouldBe(expected);
        (await SecureHash.HashFileAsync(path, algorithm, TestContext.Current.CancellationToken)).ShouldBe(expected);
        using var stream = new MemoryStream(data);
        (await SecureHash.HashStreamAsync(stream, algorithm, TestContext.Current.CancellationToken)).ShouldBe(expected);
    }

    [Fact]
    public void HashFile_Missing_ThrowsFileNotFound() =>
        Should.Throw<FileNotFoundException>(() => SecureHash.HashFile(Path.Combine(_dir, "nope")));

    [Fact]
    public void HexAndBase64_RoundTrip()
    {
        var bytes = new byte[] { 0, 1, 0xAB, 0xFF };

        SecureHash.ToHex(bytes).ShouldBe("0001abff");
        SecureHash.FromHex("0001ABff").ShouldBe(bytes);
        SecureHash.FromBase64(SecureHash.ToBase64(bytes)).ShouldBe(bytes);
        Should.Throw<FormatException>(() => SecureHash.FromHex("abc"));
    }

    [Fact]
    public void FixedTimeEquals_ComparesContentAndLength()
    {
        SecureHash.FixedTimeEquals("abc"u8, "abc"u8).ShouldBeTrue();
        SecureHash.FixedTimeEquals("abc"u8, "abd"u8).ShouldBeFalse();
        SecureHash.FixedTimeEquals("abc"u8, "ab"u8).ShouldBeFalse();
    }

    [Fact]
    public void Sha256_Utf8String_MatchesPythonSecureHashSha256()
    {
        SecureHash.ToHex(SecureHash.Sha256(Encoding.UTF8.GetBytes("héllo"))).ShouldBe(SecureHash.ToHex(SHA256.HashData(Encoding.UTF8.GetBytes("héllo"))));
    }
}
