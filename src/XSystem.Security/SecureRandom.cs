using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace XSystem.Security;

/// <summary>
/// Cryptographically secure randomness from the OS (<see cref="RandomNumberGenerator"/>): bytes, unbiased integers,
/// URL-safe tokens, choices and shuffles. Python xSystem names: <c>SecureRandom.token_bytes/token_hex/token_urlsafe/
/// randint/choice</c>, <c>secure_random</c>.
/// </summary>
/// <remarks>Thread safety: all members are safe to call from any thread.</remarks>
public static class SecureRandom
{
    /// <summary>Returns <paramref name="count"/> random bytes.</summary>
    /// <param name="count">The number of bytes, zero or more.</param>
    /// <returns>A new array.</returns>
    public static byte[] Bytes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return RandomNumberGenerator.GetBytes(count);
    }

    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    /// <param name="destination">The buffer to fill.</param>
    public static void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);

    /// <summary>
    /// Returns a uniformly distributed integer in <c>[minInclusive, maxExclusive)</c> without modulo bias. (Python's
    /// <c>randint(a, b)</c> includes <c>b</c>: call <c>Int(a, b + 1)</c>.)
    /// </summary>
    /// <param name="minInclusive">The smallest value that can be returned.</param>
    /// <param name="maxExclusive">One more than the largest value that can be returned.</param>
    /// <returns>The random integer.</returns>
    /// <exception cref="ArgumentException"><paramref name="maxExclusive"/> is not greater than <paramref name="minInclusive"/>.</exception>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Name fixed by the public contract (SecureRandom.Int).")]
    public static int Int(int minInclusive, int maxExclusive) => RandomNumberGenerator.GetInt32(minInclusive, maxExclusive);

    /// <summary>Returns a random URL-safe token: <paramref name="byteCount"/> random bytes as base64url without padding.</summary>
    /// <param name="byteCount">The entropy in bytes; default 32 (256 bits, 43 characters).</param>
    /// <returns>The token.</returns>
    public static string Token(int byteCount = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        return System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(byteCount));
    }

    /// <summary>Returns a random token as lowercase hex.</summary>
    /// <param name="byteCount">The entropy in bytes; default 32 (64 hex characters).</param>
    /// <returns>The token.</returns>
    public static string TokenHex(int byteCount = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        return Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(byteCount));
    }

    /// <summary>Picks one element uniformly at random.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">A non-empty list.</param>
    /// <returns>The chosen element.</returns>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public static T Choice<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("Cannot choose from an empty list.", nameof(items));
        }

        return items[RandomNumberGenerator.GetInt32(items.Count)];
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates with unbiased secure indices).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements to shuffle.</param>
    public static void Shuffle<T>(Span<T> items) => RandomNumberGenerator.Shuffle(items);

    /// <summary>Shuffles a list in place (Fisher-Yates with unbiased secure indices).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The list to shuffle.</param>
    public static void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = RandomNumberGenerator.GetInt32(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
