namespace XSystem.Security;

/// <summary>Every message the module puts into an exception, in one place. None of them may contain a secret.</summary>
internal static class SecurityMessages
{
    public const string AuthenticationFailed =
        "Decryption failed: the data is not authentic. The ciphertext, tag, nonce or associated data was modified, or the key is wrong.";

    public const string CiphertextTooShort =
        "Decryption failed: the ciphertext is shorter than the authentication tag, so it cannot be authentic.";

    public static string KeyLength(string algorithm, int actual, string allowed) =>
        $"{algorithm} needs a key of {allowed} bytes, but the key has {actual} bytes. Create one with GenerateKey().";

    public static string NonceLength(string algorithm, int actual, int expected) =>
        $"{algorithm} needs a nonce of exactly {expected} bytes, but the nonce has {actual} bytes. Create one with GenerateNonce().";

    public static string DestinationTooSmall(int actual, int needed) =>
        $"The destination buffer has {actual} bytes but {needed} are needed.";

    public static string KeyBits(int bits, string allowed) =>
        $"A key of {bits} bits is not supported; use {allowed}.";

    public const string SharedSecretZero =
        "The peer's public key is a low-order point: the X25519 shared secret is all zeros, which would give an attacker-known key. Reject this peer.";

    public const string PrivateKeyNotExportable =
        "This private key was created without export permission. Create or import it with allowExport: true to export it.";
}
