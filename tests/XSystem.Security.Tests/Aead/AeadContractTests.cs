using System.Security.Cryptography;

namespace XSystem.Security.Tests.Aead;

/// <summary>The same cases run against every <see cref="IAeadCipher"/>.</summary>
public abstract class AeadContractTests<TCipher>
    where TCipher : IAeadCipher
{
    protected abstract int KeySize { get; }

    protected abstract int NonceSize { get; }

    protected abstract TCipher Create(byte[] key);

    private byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    private byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceSize);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(1000)]
    public void Encrypt_ThenDecrypt_RoundTrips(int length)
    {
        using var cipher = Create(NewKey());
        var nonce = NewNonce();
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var ad = "header"u8.ToArray();

        var ciphertext = cipher.Encrypt(nonce, plaintext, ad);

        ciphertext.Length.ShouldBe(length + cipher.TagSize);
        cipher.Decrypt(nonce, ciphertext, ad).ShouldBe(plaintext);
        cipher.TryDecrypt(nonce, ciphertext, ad, out var opened).ShouldBeTrue();
        opened.ShouldBe(plaintext);
    }

    [Fact]
    public void Decrypt_AnyFlippedBit_FailsAuthentication()
    {
        using var cipher = Create(NewKey());
        var nonce = NewNonce();
        var ciphertext = cipher.Encrypt(nonce, "attack at dawn"u8);

        for (var i = 0; i < ciphertext.Length; i++)
        {
            var tampered = (byte[])ciphertext.Clone();
            tampered[i] ^= 0x01;
            cipher.TryDecrypt(nonce, tampered, default, out var plaintext).ShouldBeFalse($"byte {i}");
            plaintext.ShouldBeNull();
            Should.Throw<AuthenticationFailedException>(() => cipher.Decrypt(nonce, tampered));
        }
    }

    [Fact]
    public void Decrypt_WrongAssociatedData_FailsAuthentication()
    {
        using var cipher = Create(NewKey());
        var nonce = NewNonce();
        var ciphertext = cipher.Encrypt(nonce, "data"u8, "v1"u8);

        var ex = Should.Throw<AuthenticationFailedException>(() => cipher.Decrypt(nonce, ciphertext, "v2"u8));

        ex.ShouldBeAssignableTo<CryptographicException>();
        ex.Message.ShouldContain("not authentic");
    }

    [Fact]
    public void Decrypt_WrongKey_FailsAuthentication()
    {
        var nonce = NewNonce();
        using var sender = Create(NewKey());
        using var other = Create(NewKey());
        var ciphertext = sender.Encrypt(nonce, "data"u8);

        other.TryDecrypt(nonce, ciphertext, default, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void Decrypt_ShorterThanTag_FailsAuthentication(int length)
    {
        using var cipher = Create(NewKey());

        Should.Throw<AuthenticationFailedException>(() => cipher.Decrypt(NewNonce(), new byte[length]));
        cipher.TryDecrypt(NewNonce(), new byte[length], default, out _).ShouldBeFalse();
    }

    [Fact]
    public void Encrypt_WrongNonceLength_ThrowsArgumentExceptionNamingSizes()
    {
        using var cipher = Create(NewKey());

        var ex = Should.Throw<ArgumentException>(() => cipher.Encrypt(new byte[NonceSize + 1], "x"u8));

        ex.ParamName.ShouldBe("nonce");
        ex.Message.ShouldContain($"exactly {NonceSize} bytes");
        ex.Message.ShouldContain($"has {NonceSize + 1} bytes");
    }

    [Fact]
    public void Constructor_WrongKeyLength_ThrowsArgumentExceptionNamingSizes()
    {
        var ex = Should.Throw<ArgumentException>(() => Create(new byte[31]));

        ex.ParamName.ShouldBe("key");
        ex.Message.ShouldContain("has 31 bytes");
    }

    [Fact]
    public void SpanOverloads_WriteIntoCallerBuffers()
    {
        using var cipher = Create(NewKey());
        var nonce = NewNonce();
        var plaintext = "span path"u8.ToArray();
        var ciphertext = new byte[plaintext.Length + cipher.TagSize + 5];

        var written = cipher.Encrypt(nonce, plaintext, ciphertext.AsSpan(), "ad"u8);
        var decrypted = new byte[plaintext.Length];
        var read = cipher.Decrypt(nonce, ciphertext.AsSpan(0, written), decrypted.AsSpan(), "ad"u8);

        written.ShouldBe(plaintext.Length + cipher.TagSize);
        read.ShouldBe(plaintext.Length);
        decrypted.ShouldBe(plaintext);
        cipher.Encrypt(nonce, plaintext, "ad"u8).ShouldBe(ciphertext[..written]);
    }

    [Fact]
    public void SpanTryDecrypt_Tampered_ReturnsFalseAndClearsDestination()
    {
        using var cipher = Create(NewKey());
        var nonce = NewNonce();
        var ciphertext = cipher.Encrypt(nonce, "secret plaintext"u8);
        ciphertext[0] ^= 0x80;
        var destination = new byte[ciphertext.Length];
        destination.AsSpan().Fill(0xAA);

        var ok = cipher.TryDecrypt(nonce, ciphertext, destination.AsSpan(), default, out var written);

        ok.ShouldBeFalse();
        written.ShouldBe(0);
        destination.AsSpan(0, ciphertext.Length - cipher.TagSize).ToArray().ShouldAllBe(b => b == 0);
    }

    [Fact]
    public void Encrypt_DestinationTooSmall_ThrowsArgumentException()
    {
        using var cipher = Create(NewKey());

        var ex = Should.Throw<ArgumentException>(() => cipher.Encrypt(NewNonce(), new byte[10], new byte[20].AsSpan()));

        ex.Message.ShouldContain("26 are needed");
    }

    [Fact]
    public void ToString_DoesNotRevealKey()
    {
        var key = NewKey();
        using var cipher = Create(key);

        var text = cipher.ToString()!;

        text.ShouldNotContain(Convert.ToHexString(key), Case.Insensitive);
        text.ShouldNotContain(Convert.ToBase64String(key));
    }

    [Fact]
    public void Encrypt_SameInputsTwice_IsDeterministic()
    {
        var key = NewKey();
        var nonce = NewNonce();
        using var a = Create(key);
        using var b = Create(key);

        a.Encrypt(nonce, "same"u8).ShouldBe(b.Encrypt(nonce, "same"u8));
    }

    [Fact]
    public async Task Encrypt_FromManyThreads_AllRoundTrip()
    {
        using var cipher = Create(NewKey());

        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            for (var j = 0; j < 200; j++)
            {
                var nonce = NewNonce();
                var plaintext = BitConverter.GetBytes((i * 1000) + j);
                var ct = cipher.Encrypt(nonce, plaintext);
                cipher.Decrypt(nonce, ct).ShouldBe(plaintext);
            }
        }, TestContext.Current.CancellationToken));

        await Task.WhenAll(tasks);
        tasks.Count().ShouldBe(8);
    }
}

public sealed class AesGcmCipherContractTests : AeadContractTests<AesGcmCipher>
{
    protected override int KeySize => 32;

    protected override int NonceSize => 12;

    protected override AesGcmCipher Create(byte[] key) => new(key);

    [Theory]
    [InlineData(128)]
    [InlineData(192)]
    [InlineData(256)]
    public void GenerateKey_SupportedSizes_ReturnsKeyOfThatSize(int bits)
    {
        var key = AesGcmCipher.GenerateKey(bits);

        key.Length.ShouldBe(bits / 8);
        using var cipher = new AesGcmCipher(key);
        cipher.KeySize.ShouldBe(bits / 8);
    }

    [Fact]
    public void GenerateKey_UnsupportedSize_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => AesGcmCipher.GenerateKey(512)).Message.ShouldContain("128, 192 or 256");

    [Fact]
    public void GenerateNonce_Returns12RandomBytes()
    {
        var a = AesGcmCipher.GenerateNonce();
        var b = AesGcmCipher.GenerateNonce();

        a.Length.ShouldBe(12);
        a.ShouldNotBe(b);
    }

    [Fact]
    public void Encrypt_NistTestCase_MatchesKnownAnswer()
    {
        // GCM specification (McGrew & Viega) test case 2: zero key, zero IV, one zero block.
        using var cipher = new AesGcmCipher(new byte[16]);

        var result = cipher.Encrypt(new byte[12], new byte[16]);

        Convert.ToHexStringLower(result).ShouldBe("0388dace60b6a392f328c2b971b2fe78" + "ab6e47d42cec13bdf53a67b21257bddf");
    }
}

public sealed class ChaCha20Poly1305CipherContractTests : AeadContractTests<ChaCha20Poly1305Cipher>
{
    protected override int KeySize => 32;

    protected override int NonceSize => 12;

    protected override ChaCha20Poly1305Cipher Create(byte[] key) => new(key);

    [Fact]
    public void Encrypt_Rfc8439Section282_MatchesKnownAnswer()
    {
        var key = Enumerable.Range(0x80, 32).Select(i => (byte)i).ToArray();
        var nonce = Convert.FromHexString("070000004041424344454647");
        var ad = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
        var plaintext = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."u8.ToArray();
        using var cipher = new ChaCha20Poly1305Cipher(key);

        var result = cipher.Encrypt(nonce, plaintext, ad);

        Convert.ToHexStringLower(result[..16]).ShouldBe("d31a8d34648e60db7b86afbc53ef7ec2");
        Convert.ToHexStringLower(result[^16..]).ShouldBe("1ae10b594f09e26a7e902ecbd0600691");
        cipher.Decrypt(nonce, result, ad).ShouldBe(plaintext);
    }

    [Fact]
    public void GenerateKey_Not256_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => ChaCha20Poly1305Cipher.GenerateKey(128));

    [Fact]
    public void IsSupported_OnThisPlatform_IsTrue() => ChaCha20Poly1305Cipher.IsSupported.ShouldBeTrue();
}

public sealed class XChaCha20Poly1305CipherContractTests : AeadContractTests<XChaCha20Poly1305Cipher>
{
    protected override int KeySize => 32;

    protected override int NonceSize => 24;

    protected override XChaCha20Poly1305Cipher Create(byte[] key) => new(key);

    [Fact]
    public void GenerateNonce_Returns24Bytes() => XChaCha20Poly1305Cipher.GenerateNonce().Length.ShouldBe(24);

    [Fact]
    public void Decrypt_AfterDispose_ThrowsObjectDisposed()
    {
        var cipher = new XChaCha20Poly1305Cipher(XChaCha20Poly1305Cipher.GenerateKey());
        var nonce = XChaCha20Poly1305Cipher.GenerateNonce();
        var ct = cipher.Encrypt(nonce, "x"u8);
        cipher.Dispose();

        Should.Throw<ObjectDisposedException>(() => cipher.Decrypt(nonce, ct));
    }
}
