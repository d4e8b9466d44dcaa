using System.Security.Cryptography;

namespace XSystem.Security.Tests.Wycheproof;

public sealed class KdfMacWycheproofTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("hkdf_sha256_test.json", "SHA256")]
    [InlineData("hkdf_sha512_test.json", "SHA512")]
    public void Hkdf_WycheproofVectors_ValidMatchOversizeRejected(string file, string hash)
    {
        var tally = new WycheproofTally(file);
        foreach (var c in WycheproofVectors.Load(file))
        {
            var size = c.Number("size");
            Func<byte[]> derive = () => Kdf.Hkdf(c.Hex("ikm"), size, c.Hex("salt"), c.Hex("info"), new HashAlgorithmName(hash));
            if (c.Result == "valid")
            {
                tally.Valid++;
                if (derive().AsSpan().SequenceEqual(c.Hex("okm")))
                {
                    tally.ValidMatched++;
                }
                else
                {
                    tally.Failures.Add($"{c}: okm differs");
                }
            }
            else
            {
                tally.Invalid++;
                Should.Throw<ArgumentOutOfRangeException>(derive);
                tally.InvalidRejected++;
            }
        }

        tally.Report(output);
        tally.ValidMatched.ShouldBe(tally.Valid);
        tally.InvalidRejected.ShouldBe(tally.Invalid);
    }

    [Theory]
    [InlineData("hmac_sha256_test.json", SecureHashAlgorithm.Sha256)]
    [InlineData("hmac_sha512_test.json", SecureHashAlgorithm.Sha512)]
    public void Hmac_WycheproofVectors_ValidVerifyModifiedRejected(string file, SecureHashAlgorithm algorithm)
    {
        var tally = new WycheproofTally(file);
        foreach (var c in WycheproofVectors.Load(file))
        {
            var key = c.Hex("key");
            var msg = c.Hex("msg");
            var tag = c.Hex("tag");
            var verified = SecureHash.VerifyHmac(algorithm, key, msg, tag);
            var full = SecureHash.Hmac(algorithm, key, msg);
            if (c.Result == "valid")
            {
                tally.Valid++;
                if (verified && full.AsSpan(0, tag.Length).SequenceEqual(tag))
                {
                    tally.ValidMatched++;
                }
                else
                {
                    tally.Failures.Add($"{c}: valid tag not verified");
                }
            }
            else
            {
                tally.Invalid++;
                if (!verified)
                {
                    tally.InvalidRejected++;
                }
                else
                {
                    tally.Failures.Add($"{c}: modified tag verified");
                }
            }
        }

        tally.Report(output);
        tally.ValidMatched.ShouldBe(tally.Valid);
        tally.InvalidRejected.ShouldBe(tally.Invalid);
    }

    [Theory]
    [InlineData("pbkdf2_hmacsha256_test.json", "SHA256")]
    [InlineData("pbkdf2_hmacsha512_test.json", "SHA512")]
    public void Pbkdf2_WycheproofVectors_AllValidMatch(string file, string hash)
    {
        var tally = new WycheproofTally(file);
        var weakRefused = 0;
        foreach (var c in WycheproofVectors.Load(file))
        {
            var password = c.Hex("password");
            var salt = c.Hex("salt");
            var iterations = c.Number("iterationCount");
            var length = c.Number("dkLen");
            tally.Valid++;
            var dk = Kdf.Pbkdf2(password, salt, iterations, length, new HashAlgorithmName(hash), allowWeak: true);
            if (dk.AsSpan().SequenceEqual(c.Hex("dk")))
            {
                tally.ValidMatched++;
            }
            else
            {
                tally.Failures.Add($"{c}: dk differs");
            }

            if (salt.Length < Kdf.MinPbkdf2SaltLength || iterations < Kdf.MinPbkdf2Iterations)
            {
                // Without allowWeak the same parameters are refused.
                Should.Throw<ArgumentException>(() => Kdf.Pbkdf2(password, salt, iterations, length, new HashAlgorithmName(hash)));
                weakRefused++;
            }
        }

        output.WriteLine($"{file}: {weakRefused} cases use weak parameters (checked with allowWeak: true; refused without it)");
        tally.Report(output);
        tally.ValidMatched.ShouldBe(tally.Valid);
    }
}
