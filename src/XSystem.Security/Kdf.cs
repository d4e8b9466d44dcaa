using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace XSystem.Security;

/// <summary>
/// Key derivation: HKDF (RFC 5869) and PBKDF2 from the BCL, Argon2id from libsodium. Python xSystem names:
/// <c>HKDF_Expand.derive</c>, <c>PBKDF2_Derive.derive</c>, <c>derive_key_pbkdf2</c>, <c>derive_key_argon2id</c>.
/// </summary>
/// <remarks>
/// <para>For passwords prefer <see cref="Argon2id(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Argon2idParameters?, int)"/>
/// (memory-hard). PBKDF2 refuses salts under <see cref="MinPbkdf2SaltLength"/> bytes and fewer than
/// <see cref="MinPbkdf2Iterations"/> iterations unless <c>allowWeak</c> is set, which exists to check old data and
/// test vectors.</para>
/// <para>Thread safety: all members are stateless and safe to call from any thread.</para>
/// </remarks>
public static class Kdf
{
    /// <summary>The fewest PBKDF2 iterations accepted without <c>allowWeak</c> (100,000, the Python original's default).</summary>
    public const int MinPbkdf2Iterations = 100_000;

    /// <summary>The shortest PBKDF2 salt accepted without <c>allowWeak</c> (8 bytes).</summary>
    public const int MinPbkdf2SaltLength = 8;

    /// <summary>The Argon2id salt length libsodium requires (16 bytes).</summary>
    public const int Argon2idSaltLength = 16;

    /// <summary>HKDF extract-and-expand (RFC 5869).</summary>
    /// <param name="ikm">The input keying material.</param>
    /// <param name="length">The output length in bytes, 1 to 255 times the hash length.</param>
    /// <param name="salt">Optional salt; default none (a zero block, per RFC 5869).</param>
    /// <param name="info">Optional context; default none.</param>
    /// <param name="hash">The hash; default (an empty name) means SHA-256.</param>
    /// <returns>The derived bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is out of range.</exception>
    public static byte[] Hkdf(ReadOnlySpan<byte> ikm, int length, ReadOnlySpan<byte> salt = default, ReadOnlySpan<byte> info = default, HashAlgorithmName hash = default)
    {
        var name = Sha256IfDefault(hash);
        var max = 255 * HashLength(name);
        if (length < 1 || length > max)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"HKDF-{name.Name} produces 1 to {max} bytes.");
        }

        var output = new byte[length];
        HKDF.DeriveKey(name, ikm, output, salt, info);
        return output;
    }

    /// <summary>PBKDF2 over a UTF-8 password.</summary>
    /// <param name="password">The password; encoded as UTF-8.</param>
    /// <param name="salt">A random salt, at least 8 bytes (16 recommended).</param>
    /// <param name="iterations">The iteration count; at least 100,000 unless <paramref name="allowWeak"/>.</param>
    /// <param name="length">The output length in bytes; default 32.</param>
    /// <param name="hash">The HMAC hash; default (an empty name) means SHA-256.</param>
    /// <param name="allowWeak">Accept short salts and low iteration counts (for legacy data and test vectors); default <see langword="false"/>.</param>
    /// <returns>The derived bytes.</returns>
    /// <exception cref="ArgumentException">The salt is too short or the iteration count too low.</exception>
    public static byte[] Pbkdf2(string password, ReadOnlySpan<byte> salt, int iterations, int length = 32, HashAlgorithmName hash = default, bool allowWeak = false)
    {
        ArgumentNullException.ThrowIfNull(password);
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return Pbkdf2(bytes.AsSpan(), salt, iterations, length, hash, allowWeak);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>PBKDF2 over password bytes.</summary>
    /// <param name="password">The password bytes.</param>
    /// <param name="salt">A random salt, at least 8 bytes (16 recommended).</param>
    /// <param name="iterations">The iteration count; at least 100,000 unless <paramref name="allowWeak"/>.</param>
    /// <param name="length">The output length in bytes; default 32.</param>
    /// <param name="hash">The HMAC hash; default (an empty name) means SHA-256.</param>
    /// <param name="allowWeak">Accept short salts and low iteration counts (for legacy data and test vectors); default <see langword="false"/>.</param>
    /// <returns>The derived bytes.</returns>
    /// <exception cref="ArgumentException">The salt is too short or the iteration count too low.</exception>
    public static byte[] Pbkdf2(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, int length = 32, HashAlgorithmName hash = default, bool allowWeak = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (!allowWeak)
        {
            if (salt.Length < MinPbkdf2SaltLength)
            {
                throw new ArgumentException(
                    $"A PBKDF2 salt of {salt.Length} bytes is too short; use at least {MinPbkdf2SaltLength} (16 random bytes recommended). Pass allowWeak: true only to check legacy data.",
                    nameof(salt));
            }

            if (iterations < MinPbkdf2Iterations)
            {
                throw new ArgumentException(
                    $"{iterations} PBKDF2 iterations are too few; use at least {MinPbkdf2Iterations:N0} (or Argon2id). Pass allowWeak: true only to check legacy data.",
                    nameof(iterations));
            }
        }

        return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, Sha256IfDefault(hash), length);
    }

    /// <summary>Argon2id (RFC 9106) over a UTF-8 password.</summary>
    /// <param name="password">The password; encoded as UTF-8.</param>
    /// <param name="salt">A random 16-byte salt.</param>
    /// <param name="parameters">The cost; default <see cref="Argon2idParameters.Default"/> (OWASP).</param>
    /// <param name="length">The output length in bytes; default 32.</param>
    /// <returns>The derived bytes.</returns>
    /// <exception cref="ArgumentException">The salt is not 16 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public static byte[] Argon2id(string password, ReadOnlySpan<byte> salt, Argon2idParameters? parameters = null, int length = 32)
    {
        ArgumentNullException.ThrowIfNull(password);
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return Argon2id(bytes.AsSpan(), salt, parameters, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Argon2id (RFC 9106) over password bytes.</summary>
    /// <param name="password">The password bytes.</param>
    /// <param name="salt">A random 16-byte salt.</param>
    /// <param name="parameters">The cost; default <see cref="Argon2idParameters.Default"/> (OWASP).</param>
    /// <param name="length">The output length in bytes, 16 or more; default 32.</param>
    /// <returns>The derived bytes.</returns>
    /// <exception cref="ArgumentException">The salt is not 16 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public static byte[] Argon2id(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters? parameters = null, int length = 32)
    {
        var p = parameters ?? Argon2idParameters.Default;
        p.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 16);
        if (salt.Length != Argon2idSaltLength)
        {
            throw new ArgumentException($"The Argon2id salt must be exactly {Argon2idSaltLength} bytes (libsodium's fixed size), but it has {salt.Length} bytes.", nameof(salt));
        }

        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = p.Parallelism,
            MemorySize = p.MemoryKiB,
            NumberOfPasses = p.Iterations,
        });
        return algorithm.DeriveBytes(password, salt, length);
    }

    internal static HashAlgorithmName Sha256IfDefault(HashAlgorithmName hash) =>
        string.IsNullOrEmpty(hash.Name) ? HashAlgorithmName.SHA256 : hash;

    private static int HashLength(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => 20,
        "SHA256" or "SHA3_256" => 32,
        "SHA384" or "SHA3_384" => 48,
        "SHA512" or "SHA3_512" => 64,
        "MD5" => 16,
        _ => throw new ArgumentException($"HKDF does not support the hash '{hash.Name}'; use SHA256, SHA384 or SHA512.", nameof(hash)),
    };
}
