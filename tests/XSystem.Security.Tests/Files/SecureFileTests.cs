using System.Buffers.Binary;
using System.Security.Cryptography;

namespace XSystem.Security.Tests.Files;

public sealed class SecureFileTests : IDisposable
{
    private const int Chunk = 1024;
    private static readonly SecureFileOptions Small = new() { ChunkSize = Chunk, Argon2id = new Argon2idParameters { MemoryKiB = 64, Iterations = 1 } };
    private readonly string _dir = Directory.CreateTempSubdirectory("xsys-securefile-").FullName;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<byte[]> EncryptAsync(byte[] plaintext, SecureFileOptions? options = null, string? password = null)
    {
        using var input = new MemoryStream(plaintext);
        using var output = new MemoryStream();
        if (password is null)
        {
            await SecureFile.EncryptAsync(input, output, _key, options ?? Small, cancellationToken: Ct);
        }
        else
        {
            await SecureFile.EncryptAsync(input, output, password, options ?? Small, cancellationToken: Ct);
        }

        return output.ToArray();
    }

    private async Task<byte[]> DecryptAsync(byte[] encrypted, string? password = null, SecureFileOptions? options = null)
    {
        using var input = new MemoryStream(encrypted);
        using var output = new MemoryStream();
        if (password is null)
        {
            await SecureFile.DecryptAsync(input, output, _key, options ?? Small, cancellationToken: Ct);
        }
        else
        {
            await SecureFile.DecryptAsync(input, output, password, options ?? Small, cancellationToken: Ct);
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData(0, SecureFileAlgorithm.Aes256Gcm)]
    [InlineData(1, SecureFileAlgorithm.Aes256Gcm)]
    [InlineData(Chunk - 1, SecureFileAlgorithm.Aes256Gcm)]
    [InlineData(Chunk, SecureFileAlgorithm.ChaCha20Poly1305)]
    [InlineData(Chunk + 1, SecureFileAlgorithm.ChaCha20Poly1305)]
    [InlineData((3 * Chunk) + 100, SecureFileAlgorithm.Aes256Gcm)]
    [InlineData(4 * Chunk, SecureFileAlgorithm.Aes256Gcm)]
    public async Task EncryptDecrypt_WithKey_RoundTripsAndHasExpectedLength(int length, SecureFileAlgorithm algorithm)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var options = new SecureFileOptions { ChunkSize = Chunk, Algorithm = algorithm };

        var encrypted = await EncryptAsync(plaintext, options);

        var chunks = Math.Max(1, (length + Chunk - 1) / Chunk);
        encrypted.Length.ShouldBe(SecureFile.HeaderSize + length + (chunks * 16));
        (await DecryptAsync(encrypted)).ShouldBe(plaintext);
        encrypted[5].ShouldBe((byte)algorithm);
    }

    [Fact]
    public async Task Encrypt_WithPassword_WritesDocumentedHeader()
    {
        var encrypted = await EncryptAsync("hello"u8.ToArray(), password: "pw");

        encrypted.AsSpan(0, 4).ToArray().ShouldBe("XSEF"u8.ToArray());
        encrypted[4].ShouldBe((byte)1);
        encrypted[5].ShouldBe((byte)1);
        encrypted[6].ShouldBe((byte)1);
        encrypted[7].ShouldBe((byte)10);
        BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(8)).ShouldBe(64u);
        BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(12)).ShouldBe(1u);
        BinaryPrimitives.ReadUInt32BigEndian(encrypted.AsSpan(16)).ShouldBe(1u);
        SecureFile.IsSecureFile(encrypted).ShouldBeTrue();
        (await DecryptAsync(encrypted, "pw")).ShouldBe("hello"u8.ToArray());
    }

    [Fact]
    public async Task Decrypt_AnyFlippedByte_FailsWithCryptographicException()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 300));

        for (var i = 0; i < encrypted.Length; i++)
        {
            var tampered = (byte[])encrypted.Clone();
            tampered[i] ^= 0x20;
            var ex = await Should.ThrowAsync<CryptographicException>(() => DecryptAsync(tampered));
            (ex is AuthenticationFailedException or EncryptedFormatException).ShouldBeTrue($"byte {i}: {ex.GetType().Name}");
        }
    }

    [Fact]
    public async Task Decrypt_LastChunkDropped_ReportsTruncation()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 300));
        var truncated = encrypted[..(SecureFile.HeaderSize + (2 * (Chunk + 16)))];

        var ex = await Should.ThrowAsync<AuthenticationFailedException>(() => DecryptAsync(truncated));

        ex.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task Decrypt_EverythingAfterHeaderDropped_ReportsTruncation()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(10));

        var ex = await Should.ThrowAsync<AuthenticationFailedException>(() => DecryptAsync(encrypted[..SecureFile.HeaderSize]));

        ex.Message.ShouldContain("right after the header");
    }

    [Fact]
    public async Task Decrypt_TwoChunksSwapped_FailsAuthentication()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(3 * Chunk));
        var block = Chunk + 16;
        var swapped = (byte[])encrypted.Clone();
        encrypted.AsSpan(SecureFile.HeaderSize, block).CopyTo(swapped.AsSpan(SecureFile.HeaderSize + block));
        encrypted.AsSpan(SecureFile.HeaderSize + block, block).CopyTo(swapped.AsSpan(SecureFile.HeaderSize));

        await Should.ThrowAsync<AuthenticationFailedException>(() => DecryptAsync(swapped));
    }

    [Fact]
    public async Task Decrypt_DataAppendedAfterFullFinalChunk_ReportsAppendedBytes()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(2 * Chunk));

        var ex = await Should.ThrowAsync<AuthenticationFailedException>(() => DecryptAsync([.. encrypted, .. new byte[100]]));

        ex.Message.ShouldContain("after its final chunk");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(Chunk + 16)]
    public async Task Decrypt_DataAppendedAfterShortFinalChunk_Fails(int extra)
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(Chunk + 10));

        await Should.ThrowAsync<AuthenticationFailedException>(() => DecryptAsync([.. encrypted, .. new byte[extra]]));
    }

    [Fact]
    public async Task Decrypt_WrongPassword_FailsWithoutRevealingWhichPartWasWrong()
    {
        const string password = "the-right-password";
        var encrypted = await EncryptAsync("secret data"u8.ToArray(), password: password);
        var tampered = (byte[])encrypted.Clone();
        tampered[SecureFile.HeaderSize + 1] ^= 1;

        var wrong = await Should.ThrowAsync<AuthenticationFailedException>(() => DecryptAsync(encrypted, "the-wrong-password"));
        var modified = await Should.ThrowAsync<AuthenticationFailedException>(() => DecryptAsync(tampered, password));

        wrong.Message.ShouldBe(modified.Message);
        wrong.Message.ShouldNotContain("the-wrong-password");
        wrong.Message.ShouldNotContain("secret");
        wrong.ToString().ShouldNotContain(password);
    }

    [Fact]
    public async Task Decrypt_KeyFileWithPassword_ThrowsFormatExceptionNamingTheFix()
    {
        var encrypted = await EncryptAsync([1, 2, 3]);

        var ex = await Should.ThrowAsync<EncryptedFormatException>(() => DecryptAsync(encrypted, "pw"));

        ex.Message.ShouldContain("with the key");
    }

    [Fact]
    public async Task Decrypt_HugeArgon2Memory_RefusedBeforeWork()
    {
        var encrypted = await EncryptAsync([1, 2, 3], password: "pw");
        BinaryPrimitives.WriteUInt32BigEndian(encrypted.AsSpan(8), 64 * 1024 * 1024);

        var ex = await Should.ThrowAsync<EncryptedFormatException>(() => DecryptAsync(encrypted, "pw"));

        ex.Message.ShouldContain("MaxArgon2MemoryKiB");
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { (byte)'X', (byte)'S' })]
    [InlineData(new byte[] { (byte)'N', (byte)'O', (byte)'P', (byte)'E', 1, 1, 0, 16 })]
    public async Task Decrypt_NotASecureFile_ThrowsEncryptedFormatException(byte[] data) =>
        await Should.ThrowAsync<EncryptedFormatException>(() => DecryptAsync(data));

    [Fact]
    public async Task Decrypt_XwjeEnvelope_PointsToXwjeEnvelope()
    {
        var envelope = XwjeEnvelope.Encrypt("x"u8, _key);

        var ex = await Should.ThrowAsync<EncryptedFormatException>(() => DecryptAsync(envelope));

        ex.Message.ShouldContain("XwjeEnvelope");
    }

    [Fact]
    public async Task Decrypt_UnsupportedVersion_SaysSo()
    {
        var encrypted = await EncryptAsync([1]);
        encrypted[4] = 2;

        (await Should.ThrowAsync<EncryptedFormatException>(() => DecryptAsync(encrypted))).Message.ShouldContain("version 2");
    }

    [Fact]
    public async Task EncryptFile_ThenDecryptFile_RoundTripsWithProgress()
    {
        var source = Path.Combine(_dir, "plain.bin");
        var encrypted = Path.Combine(_dir, "plain.bin.xsef");
        var restored = Path.Combine(_dir, "restored.bin");
        var data = RandomNumberGenerator.GetBytes((5 * SecureFile.DefaultChunkSize) + 123);
        await File.WriteAllBytesAsync(source, data, Ct);
        var reports = new List<long>();
        var progress = new SyncProgress(reports);

        await SecureFile.EncryptFileAsync(source, encrypted, "pw", Small, progress, Ct);
        await SecureFile.DecryptFileAsync(encrypted, restored, "pw", Small, cancellationToken: Ct);

        (await File.ReadAllBytesAsync(restored, Ct)).ShouldBe(data);
        reports[^1].ShouldBe(data.Length);
        reports.ShouldBe(reports.Order().ToList());
    }

    [Fact]
    public async Task DecryptFile_Tampered_LeavesNoOutputFile()
    {
        var source = Path.Combine(_dir, "plain.bin");
        var encrypted = Path.Combine(_dir, "enc.bin");
        var restored = Path.Combine(_dir, "restored.bin");
        await File.WriteAllBytesAsync(source, RandomNumberGenerator.GetBytes(10 * Chunk), Ct);
        await SecureFile.EncryptFileAsync(source, encrypted, _key, Small, cancellationToken: Ct);
        var bytes = await File.ReadAllBytesAsync(encrypted, Ct);
        bytes[^5] ^= 1;
        await File.WriteAllBytesAsync(encrypted, bytes, Ct);

        await Should.ThrowAsync<AuthenticationFailedException>(() => SecureFile.DecryptFileAsync(encrypted, restored, _key, Small, cancellationToken: Ct));

        File.Exists(restored).ShouldBeFalse();
        Directory.GetFiles(_dir).Length.ShouldBe(2);
    }

    [Fact]
    public async Task EncryptFile_Cancelled_WritesNothing()
    {
        var source = Path.Combine(_dir, "plain.bin");
        var encrypted = Path.Combine(_dir, "enc.bin");
        await File.WriteAllBytesAsync(source, new byte[4 * Chunk], Ct);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => SecureFile.EncryptFileAsync(source, encrypted, _key, Small, cancellationToken: cts.Token));

        File.Exists(encrypted).ShouldBeFalse();
    }

    [Fact]
    public async Task Encrypt_KeyNot32Bytes_Throws() =>
        await Should.ThrowAsync<ArgumentException>(() => SecureFile.EncryptAsync(new MemoryStream(), new MemoryStream(), new byte[16], cancellationToken: Ct));

    [Fact]
    public async Task Encrypt_ChunkSizeNotPowerOfTwo_Throws() =>
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => EncryptAsync([1], new SecureFileOptions { ChunkSize = 3000 }));

    [Fact]
    public async Task Encrypt_SameInputTwice_DiffersBecauseSaltAndNonceAreRandom()
    {
        var a = await EncryptAsync([1, 2, 3]);
        var b = await EncryptAsync([1, 2, 3]);

        a.ShouldNotBe(b);
    }

    private sealed class SyncProgress(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }
}
