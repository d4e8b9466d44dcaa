namespace XSystem.Security.Tests.Kdfs;

public sealed class PasswordHasherTests
{
    private static readonly Argon2idParameters Cheap = new() { MemoryKiB = 256, Iterations = 1 };

    [Fact]
    public void Hash_Default_IsPhcArgon2idWithOwaspParameters()
    {
        var hash = PasswordHasher.Hash("correct horse");

        hash.ShouldStartWith("$argon2id$v=19$m=19456,t=2,p=1$");
        hash.Split('$').Length.ShouldBe(6);
        hash.ShouldNotContain("=$");
        PasswordHasher.Verify("correct horse", hash).ShouldBeTrue();
        PasswordHasher.Verify("correct horsf", hash).ShouldBeFalse();
        PasswordHasher.NeedsRehash(hash).ShouldBeFalse();
    }

    [Fact]
    public void Hash_SamePasswordTwice_UsesDifferentSalts()
    {
        PasswordHasher.Hash("pw", Cheap).ShouldNotBe(PasswordHasher.Hash("pw", Cheap));
    }

    [Fact]
    public void NeedsRehash_WeakerParameters_IsTrue()
    {
        var hash = PasswordHasher.Hash("pw", Cheap);

        PasswordHasher.Verify("pw", hash).ShouldBeTrue();
        PasswordHasher.NeedsRehash(hash).ShouldBeTrue();
        PasswordHasher.NeedsRehash(hash, Cheap).ShouldBeFalse();
    }

    [Fact]
    public void Verify_PythonLegacyPbkdf2String_AcceptsRightPasswordAndNeedsRehash()
    {
        // Built like the Python original's hash_password: PBKDF2-HMAC-SHA256, 100,000 iterations, 32-byte salt and key.
        var salt = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var key = Kdf.Pbkdf2("legacy-pw", salt, 100_000);
        var stored = $"pbkdf2:100000:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(key)}";

        PasswordHasher.Verify("legacy-pw", stored).ShouldBeTrue();
        PasswordHasher.Verify("legacy-pX", stored).ShouldBeFalse();
        PasswordHasher.NeedsRehash(stored).ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("$2b$12$abcdefghijklmnopqrstuuJ7pY1x0b3n3B1o4yQ0k1y2Gg6Zq0x7y")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=4$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=99999999,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2i$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("pbkdf2:abc:AAAA:AAAA")]
    [InlineData("pbkdf2:999999999:AAAAAAAAAAAAAAAAAAAAAA==:AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("pbkdf2:100000:!!!!:AAAA")]
    public void Verify_UnreadableOrAbusiveHash_ReturnsFalse(string stored)
    {
        PasswordHasher.Verify("pw", stored).ShouldBeFalse();
        PasswordHasher.NeedsRehash(stored).ShouldBeTrue();
    }
}
