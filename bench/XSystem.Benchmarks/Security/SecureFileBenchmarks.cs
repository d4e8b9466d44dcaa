using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using XSystem.Security;

namespace XSystem.Benchmarks.Security;

/// <summary>
/// SecureFile (64 KiB chunks, key mode, memory streams) against one raw AES-256-GCM call over the same 8 MiB
/// (baseline): the price of chunking, per-chunk nonces and tags, and streaming.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the fields in [GlobalCleanup].")]
public class SecureFileBenchmarks
{
    private const int Size = 8 * 1024 * 1024;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(12);
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(Size);
    private readonly byte[] _raw = new byte[Size + 16];
    private readonly MemoryStream _output = new(new byte[Size + (Size / 1024) + 4096], 0, Size + (Size / 1024) + 4096, writable: true, publiclyVisible: true);
    private byte[] _encrypted = [];
    private AesGcm _aes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _aes = new AesGcm(_key, 16);
        using var input = new MemoryStream(_plaintext);
        using var output = new MemoryStream();
        SecureFile.EncryptAsync(input, output, _key).GetAwaiter().GetResult();
        _encrypted = output.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aes.Dispose();
        _output.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw AesGcm, one call over 8 MiB")]
    public void RawAesGcm() => _aes.Encrypt(_nonce, _plaintext, _raw.AsSpan(0, Size), _raw.AsSpan(Size, 16));

    [Benchmark(Description = "SecureFile.EncryptAsync 8 MiB")]
    public async Task SecureFileEncrypt()
    {
        _output.Position = 0;
        using var input = new MemoryStream(_plaintext, writable: false);
        await SecureFile.EncryptAsync(input, _output, _key);
    }

    [Benchmark(Description = "SecureFile.DecryptAsync 8 MiB")]
    public async Task SecureFileDecrypt()
    {
        _output.Position = 0;
        using var input = new MemoryStream(_encrypted, writable: false);
        await SecureFile.DecryptAsync(input, _output, _key);
    }
}
