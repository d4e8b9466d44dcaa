using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace XSystem;

/// <summary>
/// Argument guards shared by the XSystem modules, for checks the BCL's <c>ThrowIfXxx</c> helpers do not
/// cover. Each guard throws through a non-inlined helper so the hot path stays small.
/// </summary>
/// <remarks>Thread safety: all members are stateless and safe to call from any thread.</remarks>
public static class Guard
{
    /// <summary>Throws when <paramref name="path"/> is null, empty, white space or contains a NUL character.</summary>
    /// <param name="path">The path to check.</param>
    /// <param name="paramName">The parameter name; filled in by the compiler.</param>
    /// <returns>The path, unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, white space or contains NUL.</exception>
    public static string NotNullOrEmptyPath([NotNull] string? path, [CallerArgumentExpression(nameof(path))] string? paramName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, paramName);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            ThrowNulInPath(paramName);
        }

        return path;
    }

    /// <summary>Throws when <paramref name="value"/> is negative, zero, or <see cref="Timeout.InfiniteTimeSpan"/> is not allowed.</summary>
    /// <param name="value">The time span to check.</param>
    /// <param name="allowInfinite">Whether <see cref="Timeout.InfiniteTimeSpan"/> (-1 ms) is accepted.</param>
    /// <param name="paramName">The parameter name; filled in by the compiler.</param>
    /// <returns>The value, unchanged.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of range.</exception>
    public static TimeSpan NonNegativeTimeout(TimeSpan value, bool allowInfinite = true, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < TimeSpan.Zero && !(allowInfinite && value == Timeout.InfiniteTimeSpan))
        {
            ThrowBadTimeout(value, allowInfinite, paramName);
        }

        return value;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNulInPath(string? paramName) =>
        throw new ArgumentException("The path contains a NUL character, which no file system accepts. Remove it or reject the input.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadTimeout(TimeSpan value, bool allowInfinite, string? paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            value,
            allowInfinite
                ? "The timeout must be zero or positive, or Timeout.InfiniteTimeSpan to wait forever."
                : "The timeout must be zero or positive.");
}
