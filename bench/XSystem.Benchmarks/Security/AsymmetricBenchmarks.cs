using BenchmarkDotNet.Attributes;
using NSec.Cryptography;
using XSystem.Security;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;
using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace XSystem.Benchmarks.Security;

/// <summary>
/// X25519 agreement (raw shared secret from a raw peer public key) and Ed25519 sign/verify: XSystem's types against
/// raw NSec doing the same work (baseline: import the raw peer key, agree, export) and BouncyCastle's managed code.
/// </summary>
[MemoryDiagnoser]
public class X25519Benchmarks
{
    private Key _nsecKey = null!;
    private byte[] _peerPublic = [];
    private X25519KeyExchange _ours = null!;
    private byte[] _bcPrivate = new byte[32];
    private readonly byte[] _bcShared = new byte[32];

    [GlobalSetup]
    public void Setup()
    {
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        _nsecKey = Key.Create(KeyAgreementAlgorithm.X25519, in parameters);
        using var peer = new X25519KeyExchange();
        _peerPublic = peer.PublicKey;
        _bcPrivate = _nsecKey.Export(KeyBlobFormat.RawPrivateKey);
        _ours = X25519KeyExchange.ImportPrivateKey(_bcPrivate);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _nsecKey.Dispose();
        _ours.Dispose();
    }

    [Benchmark(Baseline = true, Description = "NSec X25519 (raw)")]
    public byte[] Raw()
    {
        var exportable = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        var peer = PublicKey.Import(KeyAgreementAlgorithm.X25519, _peerPublic, KeyBlobFormat.RawPublicKey);
        using var secret = KeyAgreementAlgorithm.X25519.Agree(_nsecKey, peer, in exportable)!;
        return secret.Export(SharedSecretBlobFormat.RawSharedSecret);
    }

    [Benchmark(Description = "X25519KeyExchange.DeriveSharedSecret")]
    public byte[] Ours() => _ours.DeriveSharedSecret(_peerPublic);

    [Benchmark(Description = "BouncyCastle X25519")]
    public bool BouncyCastle() => BcX25519.CalculateAgreement(_bcPrivate, 0, _peerPublic, 0, _bcShared, 0);
}

/// <summary>Ed25519 sign and verify of a 1 KiB message: XSystem against raw NSec (baseline per category) and BouncyCastle.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Ed25519Benchmarks
{
    private readonly byte[] _message = new byte[1024];
    private Key _nsecKey = null!;
    private Ed25519Signer _ours = null!;
    private byte[] _public = [];
    private byte[] _signature = [];
    private byte[] _seed = [];
    private readonly byte[] _bcSignature = new byte[64];

    [GlobalSetup]
    public void Setup()
    {
        new Random(7).NextBytes(_message);
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        _nsecKey = Key.Create(SignatureAlgorithm.Ed25519, in parameters);
        _seed = _nsecKey.Export(KeyBlobFormat.RawPrivateKey);
        _ours = Ed25519Signer.ImportPrivateKey(_seed);
        _public = _ours.PublicKey;
        _signature = _ours.Sign(_message);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _nsecKey.Dispose();
        _ours.Dispose();
    }

    [Benchmark(Baseline = true, Description = "NSec Ed25519 sign (raw)")]
    [BenchmarkCategory("Sign")]
    public byte[] RawSign() => SignatureAlgorithm.Ed25519.Sign(_nsecKey, _message);

    [Benchmark(Description = "Ed25519Signer.Sign")]
    [BenchmarkCategory("Sign")]
    public byte[] OursSign() => _ours.Sign(_message);

    [Benchmark(Description = "BouncyCastle Ed25519 sign")]
    [BenchmarkCategory("Sign")]
    public byte[] BouncyCastleSign()
    {
        BcEd25519.Sign(_seed, 0, _message, 0, _message.Length, _bcSignature, 0);
        return _bcSignature;
    }

    [Benchmark(Baseline = true, Description = "NSec Ed25519 verify (raw, import + verify)")]
    [BenchmarkCategory("Verify")]
    public bool RawVerify() =>
        PublicKey.TryImport(SignatureAlgorithm.Ed25519, _public, KeyBlobFormat.RawPublicKey, out var key)
        && SignatureAlgorithm.Ed25519.Verify(key!, _message, _signature);

    [Benchmark(Description = "Ed25519Signer.Verify")]
    [BenchmarkCategory("Verify")]
    public bool OursVerify() => Ed25519Signer.Verify(_public, _signature, _message);

    [Benchmark(Description = "BouncyCastle Ed25519 verify")]
    [BenchmarkCategory("Verify")]
    public bool BouncyCastleVerify() => BcEd25519.Verify(_signature, 0, _public, 0, _message, 0, _message.Length);
}
