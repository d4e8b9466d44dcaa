using XSystem.IO;

namespace XSystem.Security;

/// <summary>The AEAD cipher a <see cref="SecureFile"/> stream uses for its chunks.</summary>
public enum SecureFileAlgorithm
{
    /// <summary>AES-256-GCM (format byte 0x01). The default: fastest where the CPU has AES instructions.</summary>
    Aes256Gcm = 1,

    /// <summary>ChaCha20-Poly1305 (format byte 0x02). Faster on CPUs without AES instructions.</summary>
    ChaCha20Poly1305 = 2,
}

/// <summary>Settings for <see cref="SecureFile"/>. Encryption reads every property; decryption reads only the limits and the write options.</summary>
/// <remarks>Thread safety: immutable once built (init-only properties); safe to share.</remarks>
public sealed class SecureFileOptions
{
    /// <summary>The defaults: AES-256-GCM, Argon2id with OWASP parameters, 64 KiB chunks, 1 GiB Argon2id memory limit.</summary>
    public static SecureFileOptions Default { get; } = new();

    /// <summary>The chunk cipher for new files; default <see cref="SecureFileAlgorithm.Aes256Gcm"/>.</summary>
    public SecureFileAlgorithm Algorithm { get; init; } = SecureFileAlgorithm.Aes256Gcm;

    /// <summary>The Argon2id cost for password-encrypted files; default <see cref="Argon2idParameters.Default"/> (19 MiB, 2 passes).</summary>
    public Argon2idParameters Argon2id { get; init; } = Argon2idParameters.Default;

    /// <summary>The plaintext bytes per chunk for new files: a power of two from 1 KiB to 16 MiB; default 65536 (64 KiB).</summary>
    public int ChunkSize { get; init; } = SecureFile.DefaultChunkSize;

    /// <summary>
    /// The largest Argon2id memory cost a file being decrypted may ask for; default 1,048,576 KiB (1 GiB). A file that asks
    /// for more is refused before any work, so a planted file cannot exhaust memory.
    /// </summary>
    public int MaxArgon2MemoryKiB { get; init; } = 1024 * 1024;

    /// <summary>How the file methods write their output (atomically, through <see cref="AtomicFileWriter"/>); default <see cref="AtomicWriteOptions.Default"/>.</summary>
    public AtomicWriteOptions? WriteOptions { get; init; }

    internal void ValidateForEncryption()
    {
        if (!Enum.IsDefined(Algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(Algorithm), Algorithm, "Unknown SecureFile algorithm.");
        }

        ArgumentNullException.ThrowIfNull(Argon2id, nameof(Argon2id));
        Argon2id.Validate();
        if (ChunkSize is < 1024 or > 16 * 1024 * 1024 || (ChunkSize & (ChunkSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, "The chunk size must be a power of two from 1 KiB to 16 MiB.");
        }
    }
}
