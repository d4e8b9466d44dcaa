using System.Diagnostics;
using System.Runtime.InteropServices;
using XSystem.IO.Tests.Infrastructure;

namespace XSystem.IO.Tests;

/// <summary>
/// Crash safety with a real child process: XSystem.IO.CrashHelper rewrites one file in a loop with alternating
/// 1 MiB payloads (all 'A', all 'B') and is killed with SIGKILL at random moments; after every kill the file
/// must hold exactly one complete payload.
/// </summary>
public sealed class AtomicFileCrashTests : IDisposable
{
    private const int PayloadBytes = 1024 * 1024;
    private const int Kills = 50;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WriteAllBytes_ProcessKilledAtRandomMoments_FileAlwaysHoldsOneCompletePayload()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the helper is killed like a crashed Unix process");
        string path = _dir.File("payload.bin");
        var random = new Random(20261126);
        CancellationToken ct = TestContext.Current.CancellationToken;

        for (int kill = 0; kill < Kills; kill++)
        {
            using Process helper = StartHelper(path);
            try
            {
                await WaitForReadyAsync(helper, ct);
                if (kill == 0)
                {
                    await WaitForFileAsync(path, helper, ct);
                }

                await Task.Delay(random.Next(0, 40), ct); // a real process must run for a while; no fake clock applies
            }
            finally
            {
                helper.Kill(entireProcessTree: true);
                await helper.WaitForExitAsync(ct);
            }

            AssertOneCompletePayload(path, kill);
        }

        // Killed writers leave temp files behind; CleanupOrphans reaps exactly those.
        int orphans = _dir.Entries().Count(name => name.EndsWith(".xsystmp", StringComparison.Ordinal));
        AtomicFile.CleanupOrphans(_dir.Path, TimeSpan.Zero).ShouldBe(orphans);
        _dir.Entries().ShouldBe(["payload.bin"]);
    }

    private static void AssertOneCompletePayload(string path, int kill)
    {
        byte[] content = File.ReadAllBytes(path);
        content.Length.ShouldBe(PayloadBytes, $"after kill {kill} the file has a partial length");
        content[0].ShouldBeOneOf((byte)'A', (byte)'B');
        content.AsSpan().IndexOfAnyExcept(content[0]).ShouldBe(-1, $"after kill {kill} the file mixes payloads");
    }

    private static Process StartHelper(string path)
    {
        string helperDll = Path.Combine(AppContext.BaseDirectory, "XSystem.IO.CrashHelper.dll");
        File.Exists(helperDll).ShouldBeTrue($"the crash helper was not copied next to the tests: {helperDll}");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(helperDll);
        info.ArgumentList.Add(path);
        info.ArgumentList.Add(PayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(info)!;
    }

    private static async Task WaitForReadyAsync(Process helper, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartTimeout);
        string? line = await helper.StandardOutput.ReadLineAsync(timeout.Token);
        line.ShouldBe("ready", "the crash helper did not start");
    }

    private static async Task WaitForFileAsync(string path, Process helper, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            helper.HasExited.ShouldBeFalse("the crash helper exited before writing");
            watch.Elapsed.ShouldBeLessThan(StartTimeout, "the crash helper never wrote the file");
            await Task.Delay(5, ct);
        }
    }

    /// <summary>The <c>dotnet</c> host that runs this test: four levels above the shared runtime directory.</summary>
    private static string DotnetHost()
    {
        string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory(); // .../shared/Microsoft.NETCore.App/10.0.x/
        string root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
