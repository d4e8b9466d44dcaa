using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using XSystem.Security;
using BcChaCha20Poly1305 = Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305;
using BclChaCha20Poly1305 = System.Security.Cryptography.ChaCha20Poly1305;

namespace XSystem.Benchmarks.Security;

/// <summary>
/// AES-256-GCM over 1 MiB: XSystem's <see cref="AesGcmCipher"/> (span overload into a caller buffer, and the byte[]
/// overload) against the raw BCL <see cref="AesGcm"/> (baseline) and BouncyCastle's managed GCM.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the fields in [GlobalCleanup].")]
public class AesGcmBenchmarks
{
    private const int Size = 1024 * 1024;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(12);
    private readonly byte[] _nonce2 = RandomNumberGenerator.GetBytes(12);
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(Size);
    private readonly byte[] _output = new byte[Size + 16];
    private AesGcm _raw = null!;
    private AesGcmCipher _ours = null!;
    private GcmBlockCipher _bc = null!;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _raw = new AesGcm(_key, 16);
        _ours = new AesGcmCipher(_key);
        _bc = new GcmBlockCipher(new AesEngine());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _ours.Dispose();
    }

    [Benchmark(Baseline = true, Description = "BCL AesGcm (raw)")]
    public void Raw() => _raw.Encrypt(_nonce, _plaintext, _output.AsSpan(0, Size), _output.AsSpan(Size, 16));

    [Benchmark(Description = "AesGcmCipher span")]
    public int OursSpan() => _ours.Encrypt(_nonce, _plaintext, _output.AsSpan());

    [Benchmark(Description = "AesGcmCipher byte[]")]
    public byte[] OursArray() => _ours.Encrypt(_nonce, _plaintext);

    [Benchmark(Description = "BouncyCastle GCM")]
    public int BouncyCastle()
    {
        // BouncyCastle refuses to reuse the previous nonce for encryption, so alternate two.
        _flip = !_flip;
        _bc.Init(true, new AeadParameters(new KeyParameter(_key), 128, _flip ? _nonce : _nonce2));
        var written = _bc.ProcessBytes(_plaintext, 0, Size, _output, 0);
        return written + _bc.DoFinal(_output, written);
    }
}

/// <summary>ChaCha20-Poly1305 over 1 MiB: XSystem's cipher against the raw BCL type (baseline) and BouncyCastle.</summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the fields in [GlobalCleanup].")]
public class ChaCha20Poly1305Benchmarks
{
    private const int Size = 1024 * 1024;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(12);
    private readonly byte[] _nonce2 = RandomNumberGenerator.GetBytes(12);
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(Size);
    private readonly byte[] _output = new byte[Size + 16];
    private BclChaCha20Poly1305 _raw = null!;
    private ChaCha20Poly1305Cipher _ours = null!;
    private BcChaCha20Poly1305 _bc = null!;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _raw = new BclChaCha20Poly1305(_key);
        _ours = new ChaCha20Poly1305Cipher(_key);
        _bc = new BcChaCha20Poly1305();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _ours.Dispose();
    }

    [Benchmark(Baseline = true, Description = "BCL ChaCha20Poly1305 (raw)")]
    public void Raw() => _raw.Encrypt(_nonce, _plaintext, _output.AsSpan(0, Size), _output.AsSpan(Size, 16));

    [Benchmark(Description = "ChaCha20Poly1305Cipher span")]
    public int OursSpan() => _ours.Encrypt(_nonce, _plaintext, _output.AsSpan());

    [Benchmark(Description = "ChaCha20Poly1305Cipher byte[]")]
    public byte[] OursArray() => _ours.Encrypt(_nonce, _plaintext);

    [Benchmark(Description = "BouncyCastle ChaCha20Poly1305")]
    public int BouncyCastle()
    {
        _flip = !_flip;
        _bc.Init(true, new AeadParameters(new KeyParameter(_key), 128, _flip ? _nonce : _nonce2));
        var written = _bc.ProcessBytes(_plaintext, 0, Size, _output, 0);
        return written + _bc.DoFinal(_output, written);
    }
}
