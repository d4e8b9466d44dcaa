using System.Security.Cryptography;
using NSec.Cryptography;
using BclIncrementalHash = System.Security.Cryptography.IncrementalHash;
using NSecIncrementalHash = NSec.Cryptography.IncrementalHash;

namespace XSystem.Security;

/// <summary>Incremental hashing over the BCL (SHA-2, SHA-3) or libsodium (BLAKE2b, and SHA-3 when the OS lacks it).</summary>
internal abstract class StreamingHasher : IDisposable
{
    public abstract void Append(ReadOnlySpan<byte> data);

    public abstract byte[] Finish();

    public abstract void Dispose();

    public static StreamingHasher Create(SecureHashAlgorithm algorithm, int blake2bLength = 64, ReadOnlySpan<byte> key = default)
    {
        if (algorithm == SecureHashAlgorithm.Blake2b)
        {
            return key.IsEmpty ? new NSecHasher(HashAlgorithms.Blake2b(blake2bLength)) : new Blake2bMacHasher(key, blake2bLength);
        }

        if (!key.IsEmpty)
        {
            return new BclHasher(BclIncrementalHash.CreateHMAC(HashAlgorithms.BclName(algorithm), key));
        }

        if (HashAlgorithms.UseNSecFallback(algorithm))
        {
            return new NSecHasher(algorithm == SecureHashAlgorithm.Sha3_256 ? NSec.Cryptography.HashAlgorithm.Sha3_256 : NSec.Cryptography.HashAlgorithm.Sha3_512);
        }

        return new BclHasher(BclIncrementalHash.CreateHash(HashAlgorithms.BclName(algorithm)));
    }

    private sealed class BclHasher(BclIncrementalHash hash) : StreamingHasher
    {
        public override void Append(ReadOnlySpan<byte> data) => hash.AppendData(data);

        public override byte[] Finish() => hash.GetHashAndReset();

        public override void Dispose() => hash.Dispose();
    }

    private sealed class NSecHasher : StreamingHasher
    {
        private NSecIncrementalHash _state;

        public NSecHasher(NSec.Cryptography.HashAlgorithm algorithm) => NSecIncrementalHash.Initialize(algorithm, out _state);

        public override void Append(ReadOnlySpan<byte> data) => NSecIncrementalHash.Update(ref _state, data);

        public override byte[] Finish() => NSecIncrementalHash.Finalize(ref _state);

        public override void Dispose()
        {
        }
    }

    private sealed class Blake2bMacHasher : StreamingHasher
    {
        private readonly Key _key;
        private IncrementalMac _state;

        public Blake2bMacHasher(ReadOnlySpan<byte> key, int length)
        {
            var algorithm = HashAlgorithms.Blake2bMac(key.Length, length);
            _key = Key.Import(algorithm, key, KeyBlobFormat.RawSymmetricKey);
            IncrementalMac.Initialize(_key, out _state);
        }

        public override void Append(ReadOnlySpan<byte> data) => IncrementalMac.Update(ref _state, data);

        public override byte[] Finish() => IncrementalMac.Finalize(ref _state);

        public override void Dispose() => _key.Dispose();
    }
}

/// <summary>Algorithm lookups and support checks shared by the hashing code.</summary>
internal static class HashAlgorithms
{
    public const int Blake2bMinLength = 32;
    public const int Blake2bMaxLength = 64;

    public static int Size(SecureHashAlgorithm algorithm) => algorithm switch
    {
        SecureHashAlgorithm.Sha256 or SecureHashAlgorithm.Sha3_256 => 32,
        SecureHashAlgorithm.Sha384 or SecureHashAlgorithm.Sha3_384 => 48,
        SecureHashAlgorithm.Sha512 or SecureHashAlgorithm.Sha3_512 or SecureHashAlgorithm.Blake2b => 64,
        _ => throw Unknown(algorithm),
    };

    public static HashAlgorithmName BclName(SecureHashAlgorithm algorithm) => algorithm switch
    {
        SecureHashAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        SecureHashAlgorithm.Sha384 => HashAlgorithmName.SHA384,
        SecureHashAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        SecureHashAlgorithm.Sha3_256 => Sha3(HashAlgorithmName.SHA3_256, SHA3_256.IsSupported),
        SecureHashAlgorithm.Sha3_384 => Sha3(HashAlgorithmName.SHA3_384, SHA3_384.IsSupported),
        SecureHashAlgorithm.Sha3_512 => Sha3(HashAlgorithmName.SHA3_512, SHA3_512.IsSupported),
        SecureHashAlgorithm.Blake2b => throw new ArgumentException("BLAKE2b has no HMAC form here; use SecureHash.Blake2b(data, length, key) for keyed BLAKE2b.", nameof(algorithm)),
        _ => throw Unknown(algorithm),
    };

    /// <summary>SHA3-256 and SHA3-512 fall back to libsodium when the OS crypto library lacks SHA-3.</summary>
    public static bool UseNSecFallback(SecureHashAlgorithm algorithm) =>
        (algorithm == SecureHashAlgorithm.Sha3_256 && !SHA3_256.IsSupported)
        || (algorithm == SecureHashAlgorithm.Sha3_512 && !SHA3_512.IsSupported);

    public static bool IsSupported(SecureHashAlgorithm algorithm) => algorithm switch
    {
        SecureHashAlgorithm.Sha3_384 => SHA3_384.IsSupported,
        SecureHashAlgorithm.Sha256 or SecureHashAlgorithm.Sha384 or SecureHashAlgorithm.Sha512
            or SecureHashAlgorithm.Sha3_256 or SecureHashAlgorithm.Sha3_512 or SecureHashAlgorithm.Blake2b => true,
        _ => false,
    };

    public static Blake2b Blake2b(int length)
    {
        CheckBlake2bLength(length);
        return length == 64 ? NSec.Cryptography.HashAlgorithm.Blake2b_512 : new Blake2b(length);
    }

    public static Blake2bMac Blake2bMac(int keyLength, int length)
    {
        CheckBlake2bLength(length);
        if (keyLength is < 16 or > 64)
        {
            ThrowHelper.KeyLength("Keyed BLAKE2b", keyLength, "16 to 64");
        }

        return new Blake2bMac(keyLength, length);
    }

    public static void CheckBlake2bLength(int length)
    {
        if (length is < Blake2bMinLength or > Blake2bMaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"BLAKE2b digests here are {Blake2bMinLength} to {Blake2bMaxLength} bytes (shorter digests are not collision resistant).");
        }
    }

    private static HashAlgorithmName Sha3(HashAlgorithmName name, bool supported) =>
        supported
            ? name
            : throw new PlatformNotSupportedException(
                $"{name.Name} is not available from this platform's crypto library (on Linux it needs OpenSSL 1.1.1 or later). " +
                "SHA3-256 and SHA3-512 fall back to libsodium for plain hashing; HMAC-SHA3 and SHA3-384 have no fallback.");

    private static ArgumentOutOfRangeException Unknown(SecureHashAlgorithm algorithm) =>
        new(nameof(algorithm), algorithm, "Unknown hash algorithm.");
}
