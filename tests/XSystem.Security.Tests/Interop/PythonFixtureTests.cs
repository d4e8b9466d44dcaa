using System.Text.Json;

namespace XSystem.Security.Tests.Interop;

/// <summary>Values produced by Python's <c>cryptography</c> (Fixtures/make_fixtures.py), checked here.</summary>
public sealed class PythonFixtureTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("python_fixtures.json"))).RootElement;

    private static byte[] Hex(JsonElement e, string name) => Convert.FromHexString(e.GetProperty(name).GetString()!);

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    [Fact]
    public void X25519_PythonKeys_GiveTheSameSharedSecretAndHkdfKey()
    {
        var x = Root.GetProperty("x25519");
        using var fromRaw = X25519KeyExchange.ImportPrivateKey(Hex(x, "alicePrivateRaw"));
        using var fromPem = X25519KeyExchange.ImportPem(Text(x, "alicePrivatePem"));
        var bobPublic = X25519KeyExchange.ImportPublicKeyPem(Text(x, "bobPublicPem"));

        bobPublic.ShouldBe(Hex(x, "bobPublicRaw"));
        fromPem.PublicKey.ShouldBe(Hex(x, "alicePublicRaw"));
        fromRaw.DeriveSharedSecret(bobPublic).ShouldBe(Hex(x, "shared"));
        fromPem.DeriveKey(bobPublic, Hex(x, "hkdfInfo")).ShouldBe(Hex(x, "hkdfSha256Key"));
    }

    [Fact]
    public void Ed25519_PythonSignature_VerifiesAndOurSignatureMatches()
    {
        var e = Root.GetProperty("ed25519");
        using var fromDer = Ed25519Signer.ImportPkcs8(Hex(e, "privateDer"));
        using var fromPem = Ed25519Signer.ImportPem(Text(e, "privatePem"));
        var publicKey = Ed25519Signer.ImportPublicKeyPem(Text(e, "publicPem"));

        publicKey.ShouldBe(Hex(e, "publicRaw"));
        Ed25519Signer.Verify(publicKey, Hex(e, "signature"), Hex(e, "message")).ShouldBeTrue();
        fromDer.Sign(Hex(e, "message")).ShouldBe(Hex(e, "signature"));
        fromPem.PublicKey.ShouldBe(publicKey);
    }

    [Fact]
    public void Argon2id_PythonOutput_Matches()
    {
        var a = Root.GetProperty("argon2id");
        var parameters = new Argon2idParameters
        {
            MemoryKiB = a.GetProperty("memoryKiB").GetInt32(),
            Iterations = a.GetProperty("iterations").GetInt32(),
            Parallelism = a.GetProperty("parallelism").GetInt32(),
        };

        Kdf.Argon2id(Hex(a, "password"), Hex(a, "salt"), parameters).ShouldBe(Hex(a, "output"));
    }

    [Fact]
    public void PasswordHasher_PythonLegacyHash_Verifies()
    {
        var l = Root.GetProperty("legacyPasswordHash");

        PasswordHasher.Verify(Text(l, "password"), Text(l, "hash")).ShouldBeTrue();
        PasswordHasher.Verify(Text(l, "password") + "x", Text(l, "hash")).ShouldBeFalse();
    }
}

/// <summary>XWJE envelopes written by the Python reference script, opened here.</summary>
public sealed class PythonXwjeFixtureTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("python_fixtures.json"))).RootElement;

    [Fact]
    public void Decrypt_PythonEnvelopes_AllOpen()
    {
        var opened = 0;
        foreach (var item in Root.GetProperty("xwje").EnumerateArray())
        {
            var envelope = Convert.FromHexString(item.GetProperty("envelope").GetString()!);
            var expected = Convert.FromHexString(item.GetProperty("plaintext").GetString()!);
            var plaintext = item.GetProperty("password").ValueKind == JsonValueKind.String
                ? XwjeEnvelope.Decrypt(envelope, item.GetProperty("password").GetString()!)
                : XwjeEnvelope.Decrypt(envelope, Convert.FromHexString(item.GetProperty("key").GetString()!));
            plaintext.ShouldBe(expected);
            opened++;
        }

        opened.ShouldBe(4);
    }
}
