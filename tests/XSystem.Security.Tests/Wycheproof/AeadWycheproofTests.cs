namespace XSystem.Security.Tests.Wycheproof;

public sealed class AeadWycheproofTests(ITestOutputHelper output)
{
    [Fact]
    public void AesGcm_WycheproofVectors_AllValidMatchAllInvalidRejected()
    {
        var tally = Run("aes_gcm_test.json", key => new AesGcmCipher(key), nonceSize: 12);

        // Every 12-byte-nonce case is checked; other nonce sizes are not offered by the API (BCL AesGcm takes only 12).
        tally.Valid.ShouldBe(229);
        (tally.ValidMatched + tally.NotSupportedByApi).ShouldBe(tally.Valid);
        tally.InvalidRejected.ShouldBe(tally.Invalid);
        tally.ValidMatched.ShouldBe(116);
        tally.NotSupportedByApi.ShouldBe(113);
    }

    [Fact]
    public void ChaCha20Poly1305_WycheproofVectors_AllValidMatchAllInvalidRejected()
    {
        var tally = Run("chacha20_poly1305_test.json", key => new ChaCha20Poly1305Cipher(key), nonceSize: 12);

        tally.ValidMatched.ShouldBe(tally.Valid);
        tally.InvalidRejected.ShouldBe(tally.Invalid);
        tally.NotSupportedByApi.ShouldBe(0);
    }

    [Fact]
    public void XChaCha20Poly1305_WycheproofVectors_AllValidMatchAllInvalidRejected()
    {
        var tally = Run("xchacha20_poly1305_test.json", key => new XChaCha20Poly1305Cipher(key), nonceSize: 24);

        tally.ValidMatched.ShouldBe(tally.Valid);
        tally.InvalidRejected.ShouldBe(tally.Invalid);
        tally.NotSupportedByApi.ShouldBe(0);
    }

    private WycheproofTally Run(string file, Func<byte[], IAeadCipher> create, int nonceSize)
    {
        var tally = new WycheproofTally(file);
        foreach (var c in WycheproofVectors.Load(file))
        {
            var key = c.Hex("key");
            var iv = c.Hex("iv");
            var aad = c.Hex("aad");
            var msg = c.Hex("msg");
            var sealedBytes = c.Hex("ct").Concat(c.Hex("tag")).ToArray();
            using var cipher = create(key);
            var tagOk = c.Hex("tag").Length == cipher.TagSize;

            switch (c.Result)
            {
                case "valid":
                    tally.Valid++;
                    if (iv.Length != nonceSize || !tagOk)
                    {
                        // Sizes the API deliberately does not offer: the call must be refused, not silently mis-handled.
                        Should.Throw<ArgumentException>(() => cipher.Decrypt(iv, sealedBytes, aad));
                        Should.Throw<ArgumentException>(() => cipher.Encrypt(iv, msg, aad));
                        tally.NotSupportedByApi++;
                        break;
                    }

                    var encrypted = cipher.Encrypt(iv, msg, aad);
                    var ok = cipher.TryDecrypt(iv, sealedBytes, aad, out var plaintext);
                    if (encrypted.AsSpan().SequenceEqual(sealedBytes) && ok && plaintext!.AsSpan().SequenceEqual(msg))
                    {
                        tally.ValidMatched++;
                    }
                    else
                    {
                        tally.Failures.Add($"{file} {c}: valid case did not match");
                    }

                    break;
                case "invalid":
                    tally.Invalid++;
                    if (iv.Length != nonceSize)
                    {
                        Should.Throw<ArgumentException>(() => cipher.Decrypt(iv, sealedBytes, aad));
                        tally.InvalidRejected++;
                    }
                    else if (!cipher.TryDecrypt(iv, sealedBytes, aad, out _))
                    {
                        Should.Throw<AuthenticationFailedException>(() => cipher.Decrypt(iv, sealedBytes, aad));
                        tally.InvalidRejected++;
                    }
                    else
                    {
                        tally.Failures.Add($"{file} {c}: invalid case was accepted");
                    }

                    break;
                default:
                    tally.Acceptable++;
                    tally.Failures.Add($"{file} {c}: unexpected result class for an AEAD file");
                    break;
            }
        }

        tally.Report(output);
        return tally;
    }
}
