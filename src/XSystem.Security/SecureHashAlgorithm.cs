using System.Diagnostics.CodeAnalysis;

namespace XSystem.Security;

/// <summary>The hash functions offered by <see cref="SecureHash"/>.</summary>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "SHA3_256 is the BCL's own spelling; Sha3256 would read as a number.")]
public enum SecureHashAlgorithm
{
    /// <summary>SHA-256 (32-byte digest). The default everywhere.</summary>
    Sha256,

    /// <summary>SHA-384 (48-byte digest).</summary>
    Sha384,

    /// <summary>SHA-512 (64-byte digest).</summary>
    Sha512,

    /// <summary>SHA3-256 (32-byte digest).</summary>
    Sha3_256,

    /// <summary>SHA3-384 (48-byte digest). Needs SHA-3 support in the OS crypto library (no libsodium fallback).</summary>
    Sha3_384,

    /// <summary>SHA3-512 (64-byte digest).</summary>
    Sha3_512,

    /// <summary>BLAKE2b (libsodium); 64-byte digest unless another length is asked for.</summary>
    Blake2b,
}
