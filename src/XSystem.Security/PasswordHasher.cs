using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace XSystem.Security;

/// <summary>
/// Password hashing for storage: Argon2id in the PHC string format
/// (<c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>, unpadded base64) with OWASP parameters, constant-time
/// verification, and rehash detection. It also verifies the Python xSystem original's
/// <c>pbkdf2:100000:&lt;b64 salt&gt;:&lt;b64 key&gt;</c> strings (PBKDF2-HMAC-SHA256), so migrated user databases keep
/// working; <see cref="NeedsRehash(string)"/> reports them so they can be upgraded at the next login.
/// Python xSystem names: <c>hash_password</c>, <c>verify_password</c>.
/// </summary>
/// <remarks>
/// <para><see cref="Verify"/> returns <see langword="false"/> for a wrong password and for any hash it cannot read
/// (unknown scheme such as bcrypt, malformed text, a salt other than 16 bytes, more than one lane, or costs above
/// <see cref="MaxVerifyMemoryKiB"/> / <see cref="MaxLegacyIterations"/>, which would let a planted hash tie up the
/// server).</para>
/// <para>Thread safety: all members are stateless and safe to call from any thread.</para>
/// </remarks>
public static class PasswordHasher
{
    /// <summary>The largest Argon2id memory cost <see cref="Verify"/> will spend (1 GiB).</summary>
    public const int MaxVerifyMemoryKiB = 1024 * 1024;

    /// <summary>The largest PBKDF2 iteration count <see cref="Verify"/> accepts in a legacy string (10,000,000).</summary>
    public const int MaxLegacyIterations = 10_000_000;

    private const int SaltLength = 16;
    private const int HashLength = 32;
    private const string Argon2Prefix = "$argon2id$";
    private const string LegacyPrefix = "pbkdf2:";

    /// <summary>Hashes a password with Argon2id and the OWASP default parameters.</summary>
    /// <param name="password">The password.</param>
    /// <returns>The PHC string to store.</returns>
    public static string Hash(string password) => Hash(password, Argon2idParameters.Default);

    /// <summary>Hashes a password with Argon2id and the given parameters.</summary>
    /// <param name="password">The password.</param>
    /// <param name="parameters">The Argon2id cost.</param>
    /// <returns>The PHC string to store.</returns>
    public static string Hash(string password, Argon2idParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(parameters);
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Kdf.Argon2id(password, salt, parameters, HashLength);
        return string.Create(CultureInfo.InvariantCulture, $"{Argon2Prefix}v=19${parameters}${B64(salt)}${B64(hash)}");
    }

    /// <summary>Checks a password against a stored hash (Argon2id PHC string or the Python original's PBKDF2 string).</summary>
    /// <param name="password">The password to check.</param>
    /// <param name="hash">The stored hash.</param>
    /// <returns><see langword="true"/> when the password matches; <see langword="false"/> otherwise or when the hash cannot be read.</returns>
    public static bool Verify(string password, string hash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(hash);
        if (TryParseArgon2(hash, out var parameters, out var salt, out var expected))
        {
            if (parameters.MemoryKiB > MaxVerifyMemoryKiB)
            {
                return false;
            }

            var actual = Kdf.Argon2id(password, salt, parameters, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        if (TryParseLegacy(hash, out var iterations, out salt, out expected))
        {
            var bytes = Encoding.UTF8.GetBytes(password);
            try
            {
                var actual = Rfc2898DeriveBytes.Pbkdf2(bytes, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
                return CryptographicOperations.FixedTimeEquals(actual, expected);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }

        return false;
    }

    /// <summary>Whether a stored hash should be replaced by <see cref="Hash(string)"/> at the next successful login.</summary>
    /// <param name="hash">The stored hash.</param>
    /// <returns><see langword="true"/> for legacy PBKDF2 strings, unreadable hashes and Argon2id hashes weaker than the defaults.</returns>
    public static bool NeedsRehash(string hash) => NeedsRehash(hash, Argon2idParameters.Default);

    /// <summary>Whether a stored hash should be replaced by one made with <paramref name="current"/>.</summary>
    /// <param name="hash">The stored hash.</param>
    /// <param name="current">The parameters new hashes use.</param>
    /// <returns><see langword="true"/> when the hash is not Argon2id or any cost is below <paramref name="current"/>.</returns>
    public static bool NeedsRehash(string hash, Argon2idParameters current)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(current);
        if (!TryParseArgon2(hash, out var parameters, out _, out var expected))
        {
            return true;
        }

        return parameters.MemoryKiB < current.MemoryKiB || parameters.Iterations < current.Iterations || expected.Length < HashLength;
    }

    private static bool TryParseArgon2(string text, out Argon2idParameters parameters, out byte[] salt, out byte[] hash)
    {
        parameters = Argon2idParameters.Default;
        salt = [];
        hash = [];
        if (!text.StartsWith(Argon2Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // $argon2id$v=19$m=..,t=..,p=..$salt$hash -> ["", "argon2id", "v=19", "m=..", salt, hash]
        var parts = text.Split('$');
        if (parts.Length != 6 || parts[2] != "v=19")
        {
            return false;
        }

        int m = -1, t = -1, p = -1;
        foreach (var item in parts[3].Split(','))
        {
            var kv = item.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            switch (kv[0])
            {
                case "m": m = value; break;
                case "t": t = value; break;
                case "p": p = value; break;
                default: return false;
            }
        }

        if (m is < Argon2idParameters.MinMemoryKiB or > Argon2idParameters.MaxMemoryKiB || t is < 1 or > 1_000 || p != 1
            || !TryB64(parts[4], out salt) || salt.Length != SaltLength
            || !TryB64(parts[5], out hash) || hash.Length is < 16 or > 64)
        {
            return false;
        }

        parameters = new Argon2idParameters { MemoryKiB = m, Iterations = t, Parallelism = p };
        return true;
    }

    private static bool TryParseLegacy(string text, out int iterations, out byte[] salt, out byte[] key)
    {
        iterations = 0;
        salt = [];
        key = [];
        if (!text.StartsWith(LegacyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text.Split(':');
        return parts.Length == 4
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            && iterations is >= 1 and <= MaxLegacyIterations
            && TryStandardB64(parts[2], out salt) && salt.Length > 0
            && TryStandardB64(parts[3], out key) && key.Length is >= 16 and <= 64;
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryB64(string text, out byte[] bytes)
    {
        var padded = text.Length % 4 == 0 ? text : text + new string('=', 4 - (text.Length % 4));
        return TryStandardB64(padded, out bytes);
    }

    private static bool TryStandardB64(string text, out byte[] bytes)
    {
        var buffer = new byte[(text.Length / 4 * 3) + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
