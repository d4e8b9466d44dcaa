using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace XSystem.Security;

/// <summary>Throw helpers kept out of line so the hot paths stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void KeyLength(string algorithm, int actual, string allowed, string? paramName = "key") =>
        throw new ArgumentException(SecurityMessages.KeyLength(algorithm, actual, allowed), paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NonceLength(string algorithm, int actual, int expected, string paramName = "nonce") =>
        throw new ArgumentException(SecurityMessages.NonceLength(algorithm, actual, expected), paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DestinationTooSmall(int actual, int needed, string paramName = "destination") =>
        throw new ArgumentException(SecurityMessages.DestinationTooSmall(actual, needed), paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AuthenticationFailed(Exception? inner = null) =>
        throw new AuthenticationFailedException(SecurityMessages.AuthenticationFailed, inner);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CiphertextTooShort() =>
        throw new AuthenticationFailedException(SecurityMessages.CiphertextTooShort);
}
