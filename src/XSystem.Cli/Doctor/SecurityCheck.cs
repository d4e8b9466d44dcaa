using System.Diagnostics;
using XSystem.Security;

namespace XSystem.Cli.Doctor;

/// <summary>
/// Loads libsodium through NSec (X25519 agreement, XChaCha20-Poly1305 and Ed25519 round trips), runs AES-GCM and
/// ChaCha20-Poly1305 from the OS crypto library, and reports whether the CPU has AES instructions (AES-NI on x86,
/// the AES extension on Arm). Missing AES hardware is reported, not failed: ChaCha20-Poly1305 is then the faster choice.
/// </summary>
internal sealed class SecurityCheck : IDoctorCheck
{
    public string Module => "XSystem.Security";

    public string Description => "libsodium, AEAD round trips, AES hardware";

    public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            using var alice = new X25519KeyExchange();
            using var bob = new X25519KeyExchange();
            if (!alice.DeriveSharedSecret(bob.PublicKey).AsSpan().SequenceEqual(bob.DeriveSharedSecret(alice.PublicKey)))
            {
                return ValueTask.FromResult(CheckResult.Fail("X25519 agreement gave different secrets on both sides"));
            }

            using var signer = new Ed25519Signer();
            if (!Ed25519Signer.Verify(signer.PublicKey, signer.Sign("doctor"u8), "doctor"u8))
            {
                return ValueTask.FromResult(CheckResult.Fail("an Ed25519 signature did not verify"));
            }

            IAeadCipher[] ciphers =
            [
                new XChaCha20Poly1305Cipher(XChaCha20Poly1305Cipher.GenerateKey()),
                new AesGcmCipher(AesGcmCipher.GenerateKey()),
                new ChaCha20Poly1305Cipher(ChaCha20Poly1305Cipher.GenerateKey()),
            ];
            foreach (var cipher in ciphers)
            {
                using (cipher)
                {
                    var nonce = new byte[cipher.NonceSize];
                    if (!cipher.Decrypt(nonce, cipher.Encrypt(nonce, "doctor"u8)).AsSpan().SequenceEqual("doctor"u8))
                    {
                        return ValueTask.FromResult(CheckResult.Fail($"{cipher} did not round-trip"));
                    }
                }
            }
        }
        catch (DllNotFoundException ex)
        {
            return ValueTask.FromResult(CheckResult.Fail($"libsodium did not load ({ex.Message}); publish with a runtime identifier the libsodium package supports"));
        }
        catch (TypeInitializationException ex)
        {
            return ValueTask.FromResult(CheckResult.Fail($"libsodium did not initialize ({ex.InnerException?.Message ?? ex.Message})"));
        }

        bool aesHardware = System.Runtime.Intrinsics.X86.Aes.IsSupported || System.Runtime.Intrinsics.Arm.Aes.IsSupported;
        string aes = aesHardware ? "AES hardware: yes" : "AES hardware: no (prefer ChaCha20-Poly1305)";
        string sha3 = SecureHash.IsSupported(SecureHashAlgorithm.Sha3_384) ? "SHA-3: OS" : "SHA-3: libsodium fallback (no SHA3-384)";
        return ValueTask.FromResult(CheckResult.Pass($"libsodium OK, {aes}, {sha3} ({Stopwatch.GetElapsedTime(start).TotalMilliseconds:0} ms)"));
    }
}
