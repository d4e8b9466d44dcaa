using System.Security.Cryptography;
using System.Text;
using Spectre.Console.Testing;
using XSystem.Cli.Doctor;
using XSystem.Cli.Tests.Infrastructure;
using XSystem.Security;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys hash</c>, <c>encrypt</c>, <c>decrypt</c>, <c>keygen</c>, <c>sign</c>, <c>verify</c> and <c>cert</c>.</summary>
public class SecurityCommandTests
{
    private sealed record Run(int ExitCode, string Console, string Stdout, string Stderr);

    private static async Task<Run> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(200);
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => output, error, outputIsTerminal: false);
        int exit = await XsysApp.RunAsync(args, console, streams, TestContext.Current.CancellationToken);
        return new Run(exit, console.Output, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    [Fact]
    public async Task Hash_TwoFiles_PrintsSha256sumLines()
    {
        using var dir = new TempDirectory();
        string a = dir.Write("a.txt", "abc");
        string b = dir.Write("b.txt", "");

        Run run = await RunAsync("hash", a, b);

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldBe(
            $"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  {a}\n" +
            $"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  {b}\n");
    }

    [Fact]
    public async Task Hash_Blake2bAndMissingFile_HashesWhatExistsAndExitsOne()
    {
        using var dir = new TempDirectory();
        string a = dir.Write("a.txt", "abc");

        Run run = await RunAsync("hash", a, dir.File("missing.txt"), "--algo", "blake2b");

        run.ExitCode.ShouldBe(1);
        run.Stdout.ShouldStartWith("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1");
        run.Stderr.ShouldContain("file not found");
    }

    [Fact]
    public async Task Hash_UnknownAlgorithm_IsUsageError()
    {
        Run run = await RunAsync("hash", "x", "--algo", "md5");

        run.ExitCode.ShouldBe(2);
        run.Console.ShouldContain("md5");
    }

    [Fact]
    public async Task EncryptDecrypt_PasswordFile_RoundTripsAndWrongPasswordFails()
    {
        using var dir = new TempDirectory();
        string plain = dir.Write("plain.txt", "top secret text");
        string pw = dir.Write("pw.txt", "hunter2\n");
        string wrong = dir.Write("wrong.txt", "hunter3");

        Run enc = await RunAsync("encrypt", plain, dir.File("plain.xsef"), "--password-file", pw);
        Run dec = await RunAsync("decrypt", dir.File("plain.xsef"), dir.File("back.txt"), "--password-file", pw);
        Run bad = await RunAsync("decrypt", dir.File("plain.xsef"), dir.File("bad.txt"), "--password-file", wrong);

        enc.ExitCode.ShouldBe(0, enc.Stderr);
        SecureFile.IsSecureFile(File.ReadAllBytes(dir.File("plain.xsef"))).ShouldBeTrue();
        dec.ExitCode.ShouldBe(0, dec.Stderr);
        File.ReadAllText(dir.File("back.txt")).ShouldBe("top secret text");
        bad.ExitCode.ShouldBe(1);
        bad.Stderr.ShouldContain("password or key is wrong");
        bad.Stderr.ShouldNotContain("hunter");
        File.Exists(dir.File("bad.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task EncryptDecrypt_KeyFileChaCha_RoundTrips()
    {
        using var dir = new TempDirectory();
        string plain = dir.Write("plain.bin", "data");
        string key = dir.Write("k.hex", Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

        (await RunAsync("encrypt", plain, dir.File("enc"), "--key-file", key, "--algo", "chacha20-poly1305")).ExitCode.ShouldBe(0);
        (await RunAsync("decrypt", dir.File("enc"), dir.File("out"), "--key-file", key)).ExitCode.ShouldBe(0);

        File.ReadAllText(dir.File("out")).ShouldBe("data");
        File.ReadAllBytes(dir.File("enc"))[5].ShouldBe((byte)2);
    }

    [Fact]
    public async Task Decrypt_XwjeEnvelope_IsDetectedAndOpened()
    {
        using var dir = new TempDirectory();
        string pw = dir.Write("pw.txt", "pa55");
        File.WriteAllBytes(dir.File("legacy.bin"), XwjeEnvelope.Encrypt("from python"u8, "pa55"));

        Run run = await RunAsync("decrypt", dir.File("legacy.bin"), dir.File("legacy.txt"), "--password-file", pw);

        run.ExitCode.ShouldBe(0, run.Stderr);
        File.ReadAllText(dir.File("legacy.txt")).ShouldBe("from python");
    }

    [Fact]
    public async Task Encrypt_Xwje_WritesEnvelopeThePythonLibraryReads()
    {
        using var dir = new TempDirectory();
        string plain = dir.Write("p.txt", "to python");
        string pw = dir.Write("pw.txt", "pa55");

        (await RunAsync("encrypt", plain, dir.File("p.xwje"), "--password-file", pw, "--xwje")).ExitCode.ShouldBe(0);

        XwjeEnvelope.Decrypt(File.ReadAllBytes(dir.File("p.xwje")), "pa55").ShouldBe("to python"u8.ToArray());
    }

    [Fact]
    public async Task Encrypt_NoPasswordSourceAndNoTerminal_ExplainsHowToPassIt()
    {
        using var dir = new TempDirectory();
        string plain = dir.Write("p.txt", "x");

        Run run = await RunAsync("encrypt", plain, dir.File("out"));

        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("--password-file");
        File.Exists(dir.File("out")).ShouldBeFalse();
    }

    [Fact]
    public async Task KeygenSignVerify_Ed25519_ValidThenTamperedFails()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("release");
        string file = dir.Write("app.txt", "release 1.0");

        (await RunAsync("keygen", "ed25519", "--out", prefix)).ExitCode.ShouldBe(0);
        Run sign = await RunAsync("sign", file, "--key", prefix + ".key", "--out", dir.File("app.sig"));
        Run ok = await RunAsync("verify", file, "--pub", prefix + ".pub", "--sig", dir.File("app.sig"));
        File.WriteAllText(file, "release 1.1");
        Run bad = await RunAsync("verify", file, "--pub", prefix + ".pub", "--sig", dir.File("app.sig"));

        File.ReadAllText(prefix + ".key").ShouldStartWith("-----BEGIN PRIVATE KEY-----");
        File.ReadAllText(prefix + ".pub").ShouldStartWith("-----BEGIN PUBLIC KEY-----");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(prefix + ".key").ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        sign.ExitCode.ShouldBe(0, sign.Stderr);
        ok.ExitCode.ShouldBe(0, ok.Stderr);
        ok.Stdout.ShouldContain("OK");
        bad.ExitCode.ShouldBe(1);
        bad.Stderr.ShouldContain("BAD signature");
    }

    [Fact]
    public async Task Keygen_X25519ToStdout_PrintsBothPemBlocks()
    {
        Run run = await RunAsync("keygen", "x25519");

        run.ExitCode.ShouldBe(0);
        run.Stdout.ShouldContain("-----BEGIN PRIVATE KEY-----");
        run.Stdout.ShouldContain("-----BEGIN PUBLIC KEY-----");
        X25519KeyExchange.ImportPem(run.Stdout[..(run.Stdout.IndexOf("-----END PRIVATE KEY-----", StringComparison.Ordinal) + 25)]).PublicKey.Length.ShouldBe(32);
    }

    [Fact]
    public async Task CertNewAndShow_SelfSigned_ShowsNamesAndFingerprint()
    {
        using var dir = new TempDirectory();
        string prefix = dir.File("localhost");

        Run created = await RunAsync("cert", "new", "localhost", "--out", prefix, "--dns", "127.0.0.1");
        Run shown = await RunAsync("cert", "show", prefix + ".crt");

        created.ExitCode.ShouldBe(0, created.Stderr);
        shown.ExitCode.ShouldBe(0, shown.Stderr);
        shown.Console.ShouldContain("CN=localhost");
        shown.Console.ShouldContain("127.0.0.1");
        shown.Console.ShouldContain("ECDSA");
        using var cert = Certificates.Load(prefix + ".crt");
        shown.Console.ShouldContain(Convert.ToHexStringLower(Certificates.Fingerprint(cert)));
        created.Stdout.ShouldContain(Convert.ToHexStringLower(Certificates.Fingerprint(cert)));
    }

    [Fact]
    public async Task SecurityCheck_OnThisMachine_Passes()
    {
        CheckResult result = await new SecurityCheck().RunAsync(TestContext.Current.CancellationToken);

        result.Passed.ShouldBeTrue(result.Detail);
        result.Detail.ShouldContain("libsodium OK");
        result.Detail.ShouldContain("AES hardware");
    }
}
