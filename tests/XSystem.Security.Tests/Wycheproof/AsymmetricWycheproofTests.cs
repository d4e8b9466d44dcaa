namespace XSystem.Security.Tests.Wycheproof;

public sealed class AsymmetricWycheproofTests(ITestOutputHelper output)
{
    [Fact]
    public void X25519_WycheproofVectors_ValidMatchAndZeroSharedSecretsRejected()
    {
        var tally = new WycheproofTally("x25519_test.json");
        var zeroRejected = 0;
        foreach (var c in WycheproofVectors.Load("x25519_test.json"))
        {
            var shared = c.Hex("shared");
            using var ours = X25519KeyExchange.ImportPrivateKey(c.Hex("private"));
            byte[]? result = null;
            KeyAgreementException? refused = null;
            try
            {
                result = ours.DeriveSharedSecret(c.Hex("public"));
            }
            catch (KeyAgreementException ex)
            {
                refused = ex;
            }

            var isZero = shared.All(b => b == 0);
            if (c.Result == "valid")
            {
                tally.Valid++;
                if (result is not null && result.AsSpan().SequenceEqual(shared))
                {
                    tally.ValidMatched++;
                }
                else
                {
                    tally.Failures.Add($"{c}: valid case did not match ({refused?.Message})");
                }
            }
            else
            {
                tally.Acceptable++;
                if (isZero)
                {
                    // Documented policy: an all-zero shared secret (low-order peer point) is always refused.
                    if (refused is null)
                    {
                        tally.Failures.Add($"{c}: zero shared secret was not refused");
                    }

                    zeroRejected++;
                    tally.AcceptableRejected++;
                }
                else if (result is not null)
                {
                    if (!result.AsSpan().SequenceEqual(shared))
                    {
                        tally.Failures.Add($"{c}: acceptable case accepted with a different shared secret");
                    }

                    tally.AcceptableAccepted++;
                }
                else
                {
                    tally.AcceptableRejected++;
                }
            }
        }

        output.WriteLine($"x25519_test.json: acceptable cases refused because the shared secret is all zeros: {zeroRejected}");
        tally.Report(output);
        tally.ValidMatched.ShouldBe(tally.Valid);
        zeroRejected.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Ed25519_WycheproofVectors_ValidVerifyInvalidRejected()
    {
        var tally = new WycheproofTally("ed25519_test.json");
        foreach (var c in WycheproofVectors.Load("ed25519_test.json"))
        {
            var publicKey = Convert.FromHexString(c.Group.GetProperty("publicKey").GetProperty("pk").GetString()!);
            var verified = Ed25519Signer.Verify(publicKey, c.Hex("sig"), c.Hex("msg"));
            switch (c.Result)
            {
                case "valid":
                    tally.Valid++;
                    if (verified)
                    {
                        tally.ValidMatched++;
                    }
                    else
                    {
                        tally.Failures.Add($"{c}: valid signature rejected");
                    }

                    break;
                case "invalid":
                    tally.Invalid++;
                    if (!verified)
                    {
                        tally.InvalidRejected++;
                    }
                    else
                    {
                        tally.Failures.Add($"{c}: invalid signature accepted");
                    }

                    break;
                default:
                    tally.Acceptable++;
                    if (verified)
                    {
                        tally.AcceptableAccepted++;
                    }
                    else
                    {
                        tally.AcceptableRejected++;
                    }

                    break;
            }
        }

        tally.Report(output);
        tally.ValidMatched.ShouldBe(tally.Valid);
        tally.InvalidRejected.ShouldBe(tally.Invalid);
    }

    [Fact]
    public void Ed25519_WycheproofPublicKeyPem_ImportsToTheRawKey()
    {
        var group = WycheproofVectors.Load("ed25519_test.json")[0].Group;

        var raw = Ed25519Signer.ImportPublicKeyPem(group.GetProperty("publicKeyPem").GetString()!);
        var fromDer = Ed25519Signer.ImportPublicKeySpki(Convert.FromHexString(group.GetProperty("publicKeyDer").GetString()!));

        Convert.ToHexStringLower(raw).ShouldBe(group.GetProperty("publicKey").GetProperty("pk").GetString());
        fromDer.ShouldBe(raw);
    }
}
