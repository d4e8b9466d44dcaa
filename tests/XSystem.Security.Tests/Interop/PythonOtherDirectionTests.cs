using System.Diagnostics;
using System.Text.Json;

namespace XSystem.Security.Tests.Interop;

/// <summary>Values made here, checked by Python's <c>cryptography</c> (Fixtures/verify_from_dotnet.py). Skipped when python3 with cryptography is missing.</summary>
public sealed class PythonOtherDirectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xsys-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task PythonCryptography_VerifiesOurX25519Ed25519AndXwje()
    {
        var (available, why) = await PythonAvailableAsync();
        if (!available)
        {
            Assert.Skip($"python3 with the 'cryptography' package is not available ({why}); test.sh installs python3-cryptography when run as root.");
        }

        using var ours = new X25519KeyExchange(allowExport: true);
        using var peer = new X25519KeyExchange();
        using var signer = new Ed25519Signer();
        var key = SecureRandom.Bytes(32);
        var message = "signed by XSystem"u8.ToArray();
        var plaintext = "encrypted by XSystem"u8.ToArray();
        var input = new
        {
            x25519 = new { ourPrivateRaw = Hex(ours.ExportPrivateKey()), peerPublicRaw = Hex(peer.PublicKey), shared = Hex(ours.DeriveSharedSecret(peer.PublicKey)) },
            ed25519 = new { publicRaw = Hex(signer.PublicKey), message = Hex(message), signature = Hex(signer.Sign(message)) },
            xwje = new { key = Hex(key), plaintext = Hex(plaintext), envelope = Hex(XwjeEnvelope.Encrypt(plaintext, key)) },
            xwjePassword = new { password = "pässword", plaintext = Hex(plaintext), envelope = Hex(XwjeEnvelope.Encrypt(plaintext, "pässword", XwjeAlgorithm.ChaCha20Poly1305)) },
        };
        var path = Path.Combine(_dir, "from_dotnet.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(input), TestContext.Current.CancellationToken);

        var (exit, output) = await RunAsync("python3", TestPaths.Fixture("verify_from_dotnet.py"), path);

        exit.ShouldBe(0, output);
        output.ShouldContain("OK");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static async Task<(bool Available, string Why)> PythonAvailableAsync()
    {
        try
        {
            var (exit, output) = await RunAsync("python3", "-c", "import cryptography");
            return (exit == 0, output.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (false, ex.Message);
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
