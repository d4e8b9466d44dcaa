using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace XSystem.Security;

/// <summary>
/// Hashing, HMAC and constant-time comparison: SHA-256/384/512 and SHA3-256/384/512 from the BCL, BLAKE2b (plain
/// and keyed, 32 to 64 bytes) from libsodium. One-shot over spans, streaming over streams and files, and hex/base64
/// helpers. Python xSystem names: <c>SecureHash</c>, <c>secure_hash</c>, <c>constant_time_compare</c>.
/// </summary>
/// <remarks>
/// <para>SHA-3 comes from the OS crypto library (OpenSSL 1.1.1+ on Linux, Windows 11 CNG). Where it is missing,
/// SHA3-256 and SHA3-512 fall back to libsodium; SHA3-384 and HMAC-SHA3 then throw
/// <see cref="PlatformNotSupportedException"/>. <see cref="IsSupported"/> tells in advance.</para>
/// <para>Thread safety: all members are stateless and safe to call from any thread.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "SHA3_256 is the BCL's own spelling.")]
public static class SecureHash
{
    /// <summary>The read buffer size used by the streaming methods (128 KiB).</summary>
    public const int BufferSize = 128 * 1024;

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    /// <param name="data">The input.</param>
    /// <returns>The 32-byte digest.</returns>
    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    /// <summary>SHA-384 of <paramref name="data"/>.</summary>
    /// <param name="data">The input.</param>
    /// <returns>The 48-byte digest.</returns>
    public static byte[] Sha384(ReadOnlySpan<byte> data) => SHA384.HashData(data);

    /// <summary>SHA-512 of <paramref name="data"/>.</summary>
    /// <param name="data">The input.</param>
    /// <returns>The 64-byte digest.</returns>
    public static byte[] Sha512(ReadOnlySpan<byte> data) => SHA512.HashData(data);

    /// <summary>SHA3-256 of <paramref name="data"/> (libsodium fallback when the OS lacks SHA-3).</summary>
    /// <param name="data">The input.</param>
    /// <returns>The 32-byte digest.</returns>
    public static byte[] Sha3_256(ReadOnlySpan<byte> data) =>
        SHA3_256.IsSupported ? SHA3_256.HashData(data) : NSec.Cryptography.HashAlgorithm.Sha3_256.Hash(data);

    /// <summary>SHA3-384 of <paramref name="data"/>.</summary>
    /// <param name="data">The input.</param>
    /// <returns>The 48-byte digest.</returns>
    /// <exception cref="PlatformNotSupportedException">The OS crypto library has no SHA-3.</exception>
    public static byte[] Sha3_384(ReadOnlySpan<byte> data)
    {
        _ = HashAlgorithms.BclName(SecureHashAlgorithm.Sha3_384);
        return SHA3_384.HashData(data);
    }

    /// <summary>SHA3-512 of <paramref name="data"/> (libsodium fallback when the OS lacks SHA-3).</summary>
    /// <param name="data">The input.</param>
    /// <returns>The 64-byte digest.</returns>
    public static byte[] Sha3_512(ReadOnlySpan<byte> data) =>
        SHA3_512.IsSupported ? SHA3_512.HashData(data) : NSec.Cryptography.HashAlgorithm.Sha3_512.Hash(data);

    /// <summary>BLAKE2b of <paramref name="data"/>, plain or keyed (BLAKE2b's built-in MAC mode).</summary>
    /// <param name="data">The input.</param>
    /// <param name="length">The digest length in bytes, 32 to 64; default 64 (as Python's <c>hashlib.blake2b</c>).</param>
    /// <param name="key">An optional key of 16 to 64 bytes; default none.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is outside 32..64.</exception>
    /// <exception cref="ArgumentException">The key is not 16 to 64 bytes.</exception>
    public static byte[] Blake2b(ReadOnlySpan<byte> data, int length = 64, ReadOnlySpan<byte> key = default)
    {
        if (key.IsEmpty)
        {
            return HashAlgorithms.Blake2b(length).Hash(data);
        }

        var algorithm = HashAlgorithms.Blake2bMac(key.Length, length);
        using var macKey = Key.Import(algorithm, key, KeyBlobFormat.RawSymmetricKey);
        return algorithm.Mac(macKey, data);
    }

    /// <summary>Hashes <paramref name="data"/> with the given algorithm (BLAKE2b gives 64 bytes).</summary>
    /// <param name="algorithm">The hash function.</param>
    /// <param name="data">The input.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="PlatformNotSupportedException">SHA3-384 on a platform without SHA-3.</exception>
    public static byte[] Hash(SecureHashAlgorithm algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        SecureHashAlgorithm.Sha256 => Sha256(data),
        SecureHashAlgorithm.Sha384 => Sha384(data),
        SecureHashAlgorithm.Sha512 => Sha512(data),
        SecureHashAlgorithm.Sha3_256 => Sha3_256(data),
        SecureHashAlgorithm.Sha3_384 => Sha3_384(data),
        SecureHashAlgorithm.Sha3_512 => Sha3_512(data),
        SecureHashAlgorithm.Blake2b => Blake2b(data),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown hash algorithm."),
    };

    /// <summary>The digest length in bytes of <paramref name="algorithm"/> (BLAKE2b: 64, its default).</summary>
    /// <param name="algorithm">The hash function.</param>
    /// <returns>The length in bytes.</returns>
    public static int HashSize(SecureHashAlgorithm algorithm) => HashAlgorithms.Size(algorithm);

    /// <summary>Whether <paramref name="algorithm"/> can be used for plain hashing on this machine.</summary>
    /// <param name="algorithm">The hash function.</param>
    /// <returns><see langword="true"/> when it is available.</returns>
    public static bool IsSupported(SecureHashAlgorithm algorithm) => HashAlgorithms.IsSupported(algorithm);

    /// <summary>HMAC-SHA256 of <paramref name="data"/>.</summary>
    /// <param name="key">The secret key (any length; 32 bytes recommended).</param>
    /// <param name="data">The message.</param>
    /// <returns>The 32-byte tag.</returns>
    public static byte[] HmacSha256(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    /// <summary>HMAC-SHA512 of <paramref name="data"/>.</summary>
    /// <param name="key">The secret key (any length; 64 bytes recommended).</param>
    /// <param name="data">The message.</param>
    /// <returns>The 64-byte tag.</returns>
    public static byte[] HmacSha512(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA512.HashData(key, data);

    /// <summary>HMAC of <paramref name="data"/> with a SHA-2 or SHA-3 hash. For BLAKE2b use <see cref="Blake2b"/> with a key.</summary>
    /// <param name="algorithm">A SHA-2 or SHA-3 algorithm.</param>
    /// <param name="key">The secret key.</param>
    /// <param name="data">The message.</param>
    /// <returns>The tag (as long as the digest).</returns>
    /// <exception cref="ArgumentException"><paramref name="algorithm"/> is BLAKE2b.</exception>
    /// <exception cref="PlatformNotSupportedException">HMAC-SHA3 on a platform without SHA-3.</exception>
    public static byte[] Hmac(SecureHashAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        CryptographicOperations.HmacData(HashAlgorithms.BclName(algorithm), key, data);

    /// <summary>Checks an HMAC tag in constant time.</summary>
    /// <param name="algorithm">A SHA-2 or SHA-3 algorithm.</param>
    /// <param name="key">The secret key.</param>
    /// <param name="data">The message.</param>
    /// <param name="expectedTag">The tag to check: a full-length tag, or a truncated one of at least 16 bytes.</param>
    /// <returns><see langword="true"/> when the tag matches.</returns>
    public static bool VerifyHmac(SecureHashAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> expectedTag)
    {
        var tag = Hmac(algorithm, key, data);
        if (expectedTag.Length < 16 || expectedTag.Length > tag.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(tag.AsSpan(0, expectedTag.Length), expectedTag);
    }

    /// <summary>Hashes a stream from its current position to the end.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <param name="algorithm">The hash function; default SHA-256.</param>
    /// <returns>The digest.</returns>
    public static byte[] HashStream(Stream stream, SecureHashAlgorithm algorithm = SecureHashAlgorithm.Sha256)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var hasher = StreamingHasher.Create(algorithm);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, BufferSize)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }

            return hasher.Finish();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hashes a stream asynchronously from its current position to the end.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <param name="algorithm">The hash function; default SHA-256.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The digest.</returns>
    public static async Task<byte[]> HashStreamAsync(Stream stream, SecureHashAlgorithm algorithm = SecureHashAlgorithm.Sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var hasher = StreamingHasher.Create(algorithm);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }

            return hasher.Finish();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hashes a file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="algorithm">The hash function; default SHA-256.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static byte[] HashFile(string path, SecureHashAlgorithm algorithm = SecureHashAlgorithm.Sha256)
    {
        Guard.NotNullOrEmptyPath(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return HashStream(stream, algorithm);
    }

    /// <summary>Hashes a file asynchronously.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="algorithm">The hash function; default SHA-256.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async Task<byte[]> HashFileAsync(string path, SecureHashAlgorithm algorithm = SecureHashAlgorithm.Sha256, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrEmptyPath(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await HashStreamAsync(stream, algorithm, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lowercase hexadecimal text of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>Two characters per byte.</returns>
    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Parses hexadecimal text (either case).</summary>
    /// <param name="hex">The text.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="FormatException">The text is not an even number of hex digits.</exception>
    public static byte[] FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return Convert.FromHexString(hex);
    }

    /// <summary>Standard base64 text of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The base64 text with padding.</returns>
    public static string ToBase64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    /// <summary>Parses standard base64 text.</summary>
    /// <param name="base64">The text.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="FormatException">The text is not base64.</exception>
    public static byte[] FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        return Convert.FromBase64String(base64);
    }

    /// <summary>Compares two byte sequences in time that depends only on their lengths, not their contents.</summary>
    /// <param name="left">The first sequence.</param>
    /// <param name="right">The second sequence.</param>
    /// <returns><see langword="true"/> when both have the same length and bytes.</returns>
    public static bool FixedTimeEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        CryptographicOperations.FixedTimeEquals(left, right);
}
