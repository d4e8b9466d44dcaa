using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using XSystem.IO;

namespace XSystem.Security;

/// <summary>
/// Encrypts and decrypts files and streams of any size with a password (Argon2id) or a 32-byte key, in XSystem's
/// versioned chunked format: every 64 KiB chunk is sealed with AES-256-GCM (or ChaCha20-Poly1305) under a counter
/// nonce, with the header and a final-chunk flag as associated data, so modification, truncation, reordering and
/// appended data are all detected. File output goes through <see cref="AtomicFileWriter"/>: a failed decryption
/// leaves no partial plaintext file. The format is specified in docs/security.md.
/// </summary>
/// <remarks>
/// <para>Format v1 (big-endian): <c>"XSEF"</c>, version 0x01, algorithm (0x01 AES-256-GCM, 0x02 ChaCha20-Poly1305),
/// KDF (0x00 key, 0x01 Argon2id), log2 chunk size, Argon2id memory KiB (u32), passes (u32), lanes (u32), 16-byte salt,
/// 12-byte base nonce: 48 bytes. Then chunks of <c>ciphertext || 16-byte tag</c>. The file key is
/// HKDF-SHA256(master, salt, "XSystem SecureFile v1"); chunk <c>i</c> uses the base nonce with its last 8 bytes XORed
/// with <c>i</c>, and associated data <c>header || final flag</c>.</para>
/// <para>The stream methods write plaintext chunk by chunk as each one is authenticated; if decryption fails midway,
/// discard what was written. The file methods do that for you.</para>
/// <para>Thread safety: all members are stateless and safe to call from any thread.</para>
/// </remarks>
public static class SecureFile
{
    /// <summary>The header length in bytes (48).</summary>
    public const int HeaderSize = 48;

    /// <summary>The default plaintext chunk size (64 KiB).</summary>
    public const int DefaultChunkSize = 64 * 1024;

    /// <summary>The raw key length in bytes (32).</summary>
    public const int KeySize = 32;

    private const int TagSize = 16;
    private const int NonceSize = 12;
    private const int SaltSize = 16;
    private const byte Version = 1;
    private const byte KdfKey = 0;
    private const byte KdfArgon2id = 1;
    private static readonly byte[] Magic = "XSEF"u8.ToArray();
    private static readonly byte[] HkdfInfo = "XSystem SecureFile v1"u8.ToArray();

    /// <summary>Whether <paramref name="data"/> starts with the SecureFile magic <c>XSEF</c>.</summary>
    /// <param name="data">The first bytes of a file or stream.</param>
    /// <returns><see langword="true"/> when the magic matches.</returns>
    public static bool IsSecureFile(ReadOnlySpan<byte> data) => data.StartsWith(Magic);

    /// <summary>Encrypts a stream with a password (Argon2id).</summary>
    /// <param name="input">The plaintext, read to its end.</param>
    /// <param name="output">Receives the encrypted stream.</param>
    /// <param name="password">The password; must not be empty.</param>
    /// <param name="options">Settings; default <see cref="SecureFileOptions.Default"/>.</param>
    /// <param name="progress">Receives the number of plaintext bytes processed so far.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the output is written.</returns>
    public static Task EncryptAsync(Stream input, Stream output, string password, SecureFileOptions? options = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return EncryptCoreAsync(input, output, Secret.FromPassword(password), options ?? SecureFileOptions.Default, progress, cancellationToken);
    }

    /// <summary>Encrypts a stream with a 32-byte key.</summary>
    /// <param name="input">The plaintext, read to its end.</param>
    /// <param name="output">Receives the encrypted stream.</param>
    /// <param name="key">A 32-byte random key.</param>
    /// <param name="options">Settings; default <see cref="SecureFileOptions.Default"/>.</param>
    /// <param name="progress">Receives the number of plaintext bytes processed so far.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the output is written.</returns>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static Task EncryptAsync(Stream input, Stream output, ReadOnlyMemory<byte> key, SecureFileOptions? options = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        EncryptCoreAsync(input, output, Secret.FromKey(key), options ?? SecureFileOptions.Default, progress, cancellationToken);

    /// <summary>Decrypts a stream encrypted with a password.</summary>
    /// <param name="input">The encrypted stream, read to its end.</param>
    /// <param name="output">Receives the plaintext, chunk by chunk as each is authenticated.</param>
    /// <param name="password">The password.</param>
    /// <param name="options">Limits; default <see cref="SecureFileOptions.Default"/>.</param>
    /// <param name="progress">Receives the number of plaintext bytes written so far.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when all data is decrypted and authenticated.</returns>
    /// <exception cref="EncryptedFormatException">The input is not a SecureFile stream, or it was encrypted with a key.</exception>
    /// <exception cref="AuthenticationFailedException">Wrong password, or the data was modified, truncated, reordered or extended.</exception>
    public static Task DecryptAsync(Stream input, Stream output, string password, SecureFileOptions? options = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return DecryptCoreAsync(input, output, Secret.FromPassword(password), options ?? SecureFileOptions.Default, progress, cancellationToken);
    }

    /// <summary>Decrypts a stream encrypted with a 32-byte key.</summary>
    /// <param name="input">The encrypted stream, read to its end.</param>
    /// <param name="output">Receives the plaintext, chunk by chunk as each is authenticated.</param>
    /// <param name="key">The 32-byte key.</param>
    /// <param name="options">Limits; default <see cref="SecureFileOptions.Default"/>.</param>
    /// <param name="progress">Receives the number of plaintext bytes written so far.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when all data is decrypted and authenticated.</returns>
    /// <exception cref="EncryptedFormatException">The input is not a SecureFile stream, or it was encrypted with a password.</exception>
    /// <exception cref="AuthenticationFailedException">Wrong key, or the data was modified, truncated, reordered or extended.</exception>
    public static Task DecryptAsync(Stream input, Stream output, ReadOnlyMemory<byte> key, SecureFileOptions? options = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        DecryptCoreAsync(input, output, Secret.FromKey(key), options ?? SecureFileOptions.Default, progress, cancellationToken);

    /// <summary>Encrypts a file with a password; the output file is written atomically.</summary>
    /// <param name="inputPath">The plaintext file.</param>
    /// <param name="outputPath">The encrypted file to create or replace.</param>
    /// <param name="password">The password; must not be empty.</param>
    /// <param name="options">Settings; default <see cref="SecureFileOptions.Default"/>.</param>
    /// <param name="progress">Receives the number of plaintext bytes processed so far.</param>
    /// <param name="cancellationToken">Cancels the operation; nothing is written then.</param>
    /// <returns>A task that completes when the output file is committed.</returns>
    public static Task EncryptFileAsync(string inputPath, string outputPath, string password, SecureFileOptions? options = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return FileAsync(inputPath, outputPath, options, (i, o, opt) => EncryptCoreAsync(i, o, Secret.FromPassword(password), opt, progress, cancellationToken), cancellationToken);
    }

    /// <summary>Encrypts a file with a 32-byte key; the output file is written atomically.</summary>
    /// <param name="inputPath">The plaintext file.</param>
    /// <param name="outputPath">The encrypted file to create or replace.</param>
    /// <param name="key">A 32-byte random key.</param>
    /// <param name="options">Settings; default <see cref="SecureFileOptions.Default"/>.</param>
    /// <param name="progress">Receives the number of plaintext bytes processed so far.</param>
    /// <param name="cancellationToken">Cancels the operation; nothing is written then.</param>
    /// <returns>A task that completes when the output file is committed.</returns>
    public static Task EncryptFileAsync(string inputPath, string outputPath, ReadOnlyMemory<byte> key, SecureFileOptions? options = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var secret = Secret.FromKey(key);
        return FileAsync(inputPath, outputPath, options, (i, o, opt) => EncryptCoreAsync(i, o, secret, opt, progress, cancellationToken), cancellationToken);
    }

    /// <summary>Decrypts a password-encrypted file; the plaintext file appears only if every chunk authenticates.</summary>
    /// <param name="inputPath">The encrypted file.</param>
    /// <param name="outputPath">The plaintext file to create or replace.</param>
    /// <param name="password">The password.</param>
    /// <param name="options">Limits; default <see cref="SecureFileOptions.Default"/>.</param>
    /// <param name="progress">Receives the number of plaintext bytes written so far.</param>
    /// <param name="cancellationToken">Cancels the operation; nothing is written then.</param>
    /// <returns>A task that completes when the output file is committed.</returns>
    /// <exception cref="EncryptedFormatException">The input is not a SecureFile.</exception>
    /// <exception cref="AuthenticationFailedException">Wrong password, or the file was modified, truncated, reordered or extended.</exception>
    public static Task DecryptFileAsync(string inputPath, string outputPath, string password, SecureFileOptions? options = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return FileAsync(inputPath, outputPath, options, (i, o, opt) => DecryptCoreAsync(i, o, Secret.FromPassword(password), opt, progress, cancellationToken), cancellationToken);
    }

    /// <summary>Decrypts a key-encrypted file; the plaintext file appears only if every chunk authenticates.</summary>
    /// <param name="inputPath">The encrypted file.</param>
    /// <param name="outputPath">The plaintext file to create or replace.</param>
    /// <param name="key">The 32-byte key.</param>
    /// <param name="options">Limits; default <see cref="SecureFileOptions.Default"/>.</param>
    /// <param name="progress">Receives the number of plaintext bytes written so far.</param>
    /// <param name="cancellationToken">Cancels the operation; nothing is written then.</param>
    /// <returns>A task that completes when the output file is committed.</returns>
    /// <exception cref="EncryptedFormatException">The input is not a SecureFile.</exception>
    /// <exception cref="AuthenticationFailedException">Wrong key, or the file was modified, truncated, reordered or extended.</exception>
    public static Task DecryptFileAsync(string inputPath, string outputPath, ReadOnlyMemory<byte> key, SecureFileOptions? options = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var secret = Secret.FromKey(key);
        return FileAsync(inputPath, outputPath, options, (i, o, opt) => DecryptCoreAsync(i, o, secret, opt, progress, cancellationToken), cancellationToken);
    }

    private static async Task FileAsync(string inputPath, string outputPath, SecureFileOptions? options, Func<Stream, Stream, SecureFileOptions, Task> body, CancellationToken cancellationToken)
    {
        Guard.NotNullOrEmptyPath(inputPath);
        Guard.NotNullOrEmptyPath(outputPath);
        var opt = options ?? SecureFileOptions.Default;
        var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (input.ConfigureAwait(false))
        {
            var writer = AtomicFile.Create(outputPath, opt.WriteOptions);
            await using (writer.ConfigureAwait(false))
            {
                await body(input, writer, opt).ConfigureAwait(false);
                await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task EncryptCoreAsync(Stream input, Stream output, Secret secret, SecureFileOptions options, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        options.ValidateForEncryption();

        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        header[4] = Version;
        header[5] = (byte)options.Algorithm;
        header[6] = secret.Password is null ? KdfKey : KdfArgon2id;
        header[7] = (byte)int.Log2(options.ChunkSize);
        if (secret.Password is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)options.Argon2id.MemoryKiB);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), (uint)options.Argon2id.Iterations);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(16), (uint)options.Argon2id.Parallelism);
        }

        RandomNumberGenerator.Fill(header.AsSpan(20, SaltSize + NonceSize));
        using var cipher = CreateCipher(header, secret, options);
        await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);

        var chunkSize = options.ChunkSize;
        var current = ArrayPool<byte>.Shared.Rent(chunkSize);
        var next = ArrayPool<byte>.Shared.Rent(chunkSize);
        var sealedChunk = ArrayPool<byte>.Shared.Rent(chunkSize + TagSize);
        var ad = new byte[HeaderSize + 1];
        header.CopyTo(ad, 0);
        var nonce = new byte[NonceSize];
        try
        {
            var count = await input.ReadAtLeastAsync(current.AsMemory(0, chunkSize), chunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            long total = 0;
            for (ulong index = 0; ; index++)
            {
                var nextCount = 0;
                var final = count < chunkSize;
                if (!final)
                {
                    nextCount = await input.ReadAtLeastAsync(next.AsMemory(0, chunkSize), chunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    final = nextCount == 0;
                }

                ChunkNonce(header, index, nonce);
                ad[HeaderSize] = final ? (byte)1 : (byte)0;
                var written = cipher.Encrypt(nonce, current.AsSpan(0, count), sealedChunk.AsSpan(), ad);
                await output.WriteAsync(sealedChunk.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
                total += count;
                progress?.Report(total);
                if (final)
                {
                    break;
                }

                (current, next) = (next, current);
                count = nextCount;
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(current.AsSpan(0, chunkSize));
            CryptographicOperations.ZeroMemory(next.AsSpan(0, chunkSize));
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
            ArrayPool<byte>.Shared.Return(sealedChunk);
        }
    }

    private static async Task DecryptCoreAsync(Stream input, Stream output, Secret secret, SecureFileOptions options, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var header = new byte[HeaderSize];
        var headerRead = await input.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var parsed = ParseHeader(header.AsSpan(0, headerRead), secret, options);
        using var cipher = CreateCipher(header, secret, parsed);

        var chunkSize = parsed.ChunkSize;
        var block = chunkSize + TagSize;
        var current = ArrayPool<byte>.Shared.Rent(block);
        var next = ArrayPool<byte>.Shared.Rent(block);
        var plain = ArrayPool<byte>.Shared.Rent(chunkSize);
        var ad = new byte[HeaderSize + 1];
        header.CopyTo(ad, 0);
        var nonce = new byte[NonceSize];
        try
        {
            var count = await input.ReadAtLeastAsync(current.AsMemory(0, block), block, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            long total = 0;
            for (ulong index = 0; ; index++)
            {
                if (count < TagSize)
                {
                    throw new AuthenticationFailedException(
                        $"The encrypted data is truncated: it ends {(index == 0 ? "right after the header" : $"after chunk {index - 1}")} without a final chunk. The file is damaged or was cut short.");
                }

                var nextCount = 0;
                var final = count < block;
                if (!final)
                {
                    nextCount = await input.ReadAtLeastAsync(next.AsMemory(0, block), block, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    final = nextCount == 0;
                }

                ChunkNonce(header, index, nonce);
                ad[HeaderSize] = final ? (byte)1 : (byte)0;
                var chunk = current.AsSpan(0, count);
                if (!cipher.TryDecrypt(nonce, chunk, plain.AsSpan(), ad, out var written))
                {
                    throw Diagnose(cipher, nonce, chunk, ad, index, final);
                }

                await output.WriteAsync(plain.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
                total += written;
                progress?.Report(total);
                if (final)
                {
                    break;
                }

                (current, next) = (next, current);
                count = nextCount;
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain.AsSpan(0, chunkSize));
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    /// <summary>Builds the error for a chunk that did not authenticate, telling truncation and appended data apart where the data proves it.</summary>
    private static AuthenticationFailedException Diagnose(IAeadCipher cipher, byte[] nonce, ReadOnlySpan<byte> chunk, byte[] ad, ulong index, bool assumedFinal)
    {
        ad[HeaderSize] = assumedFinal ? (byte)0 : (byte)1;
        var scratch = new byte[chunk.Length];
        if (cipher.TryDecrypt(nonce, chunk, scratch, ad, out _))
        {
            CryptographicOperations.ZeroMemory(scratch);
            return assumedFinal
                ? new AuthenticationFailedException($"The encrypted data is truncated: it ends after chunk {index} without the final chunk. The file is damaged or was cut short.")
                : new AuthenticationFailedException($"The encrypted data has unexpected bytes after its final chunk (chunk {index}). Something was appended to the file.");
        }

        return index == 0
            ? new AuthenticationFailedException("Decryption failed at the first chunk: the password or key is wrong, or the file was modified.")
            : new AuthenticationFailedException($"Chunk {index} failed authentication: the file was modified, chunks were reordered or removed, or data was appended.");
    }

    private static void ChunkNonce(byte[] header, ulong index, byte[] nonce)
    {
        header.AsSpan(20 + SaltSize, NonceSize).CopyTo(nonce);
        var tail = nonce.AsSpan(NonceSize - 8);
        BinaryPrimitives.WriteUInt64BigEndian(tail, BinaryPrimitives.ReadUInt64BigEndian(tail) ^ index);
    }

    private static ParsedHeader ParseHeader(ReadOnlySpan<byte> header, Secret secret, SecureFileOptions options)
    {
        if (header.Length < Magic.Length || !header.StartsWith(Magic))
        {
            throw new EncryptedFormatException(
                header.StartsWith("XWJE"u8)
                    ? "This is an XWJE envelope from the Python xSystem library, not a SecureFile; open it with XwjeEnvelope.Decrypt."
                    : "The data is not a SecureFile: it does not start with the magic bytes \"XSEF\".");
        }

        if (header.Length < HeaderSize)
        {
            throw new EncryptedFormatException($"The SecureFile header is truncated: {header.Length} of {HeaderSize} bytes.");
        }

        if (header[4] != Version)
        {
            throw new EncryptedFormatException($"SecureFile version {header[4]} is not supported; this library reads version {Version}. Upgrade XSystem.");
        }

        var algorithm = (SecureFileAlgorithm)header[5];
        if (!Enum.IsDefined(algorithm))
        {
            throw new EncryptedFormatException($"SecureFile algorithm 0x{header[5]:x2} is unknown.");
        }

        var kdf = header[6];
        if (kdf is not (KdfKey or KdfArgon2id))
        {
            throw new EncryptedFormatException($"SecureFile key derivation 0x{kdf:x2} is unknown.");
        }

        if (kdf == KdfArgon2id && secret.Password is null)
        {
            throw new EncryptedFormatException("This SecureFile was encrypted with a password; decrypt it with the password, not a key.");
        }

        if (kdf == KdfKey && secret.Password is not null)
        {
            throw new EncryptedFormatException("This SecureFile was encrypted with a raw key; decrypt it with the key, not a password.");
        }

        var log2 = header[7];
        if (log2 is < 10 or > 24)
        {
            throw new EncryptedFormatException($"SecureFile chunk size 2^{log2} is out of range (2^10 to 2^24).");
        }

        Argon2idParameters? argon = null;
        if (kdf == KdfArgon2id)
        {
            var memory = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
            var passes = BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
            var lanes = BinaryPrimitives.ReadUInt32BigEndian(header[16..]);
            if (memory > (uint)options.MaxArgon2MemoryKiB)
            {
                throw new EncryptedFormatException(
                    $"This SecureFile asks for {memory} KiB of Argon2id memory, more than the limit of {options.MaxArgon2MemoryKiB} KiB. Raise SecureFileOptions.MaxArgon2MemoryKiB if the file is trusted.");
            }

            if (memory < Argon2idParameters.MinMemoryKiB || passes is < 1 or > 1000 || lanes != 1)
            {
                throw new EncryptedFormatException($"The SecureFile's Argon2id parameters are invalid (m={memory}, t={passes}, p={lanes}).");
            }

            argon = new Argon2idParameters { MemoryKiB = (int)memory, Iterations = (int)passes, Parallelism = (int)lanes };
        }

        return new ParsedHeader(algorithm, 1 << log2, argon);
    }

    private static IAeadCipher CreateCipher(byte[] header, Secret secret, SecureFileOptions options) =>
        CreateCipher(header, secret, new ParsedHeader(options.Algorithm, options.ChunkSize, secret.Password is null ? null : options.Argon2id));

    private static IAeadCipher CreateCipher(byte[] header, Secret secret, ParsedHeader parsed)
    {
        var salt = header.AsSpan(20, SaltSize);
        var master = secret.Password is null
            ? secret.Key.ToArray()
            : Kdf.Argon2id(secret.Password, salt, parsed.Argon2id, KeySize);
        var fileKey = new byte[KeySize];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, master, fileKey, salt, HkdfInfo);
            return parsed.Algorithm == SecureFileAlgorithm.Aes256Gcm ? new AesGcmCipher(fileKey) : new ChaCha20Poly1305Cipher(fileKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(master);
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    private readonly record struct ParsedHeader(SecureFileAlgorithm Algorithm, int ChunkSize, Argon2idParameters? Argon2id);

    /// <summary>A password or a key; never printed.</summary>
    private sealed class Secret
    {
        private Secret(byte[]? password, ReadOnlyMemory<byte> key)
        {
            Password = password;
            Key = key;
        }

        public byte[]? Password { get; }

        public ReadOnlyMemory<byte> Key { get; }

        public static Secret FromPassword(string password) => new(Encoding.UTF8.GetBytes(password), default);

        public static Secret FromKey(ReadOnlyMemory<byte> key)
        {
            if (key.Length != KeySize)
            {
                ThrowHelper.KeyLength("SecureFile", key.Length, "32");
            }

            return new Secret(null, key);
        }

        public override string ToString() => "Secret(hidden)";
    }
}
