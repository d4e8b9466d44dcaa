using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using XSystem.Cli.Doctor;

namespace XSystem.Cli.Tests;

/// <summary>The <c>xsys doctor</c> Redis check against a private redis-server started by the test.</summary>
public sealed class RedisDoctorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Func<string, string?> Env(string? value) => name => name == RedisCheck.Variable ? value : null;

    [Fact]
    public async Task Run_VariableNotSet_ReportsSkipped()
    {
        var check = new RedisCheck(Env(null));

        CheckResult result = await check.RunAsync(Token);

        result.Passed.ShouldBeTrue();
        result.Detail.ShouldStartWith("skipped");
        result.Detail.ShouldContain("XSYSTEM_REDIS");
    }

    [Fact]
    public async Task Run_ServerRunning_PassesWithLatency()
    {
        await using PrivateRedis server = await PrivateRedis.StartAsync(Token);
        var check = new RedisCheck(Env(server.Endpoint));

        CheckResult result = await check.RunAsync(Token);

        result.Passed.ShouldBeTrue(result.Detail);
        result.Detail.ShouldStartWith($"PING 127.0.0.1:{server.Port}");
        result.Detail.ShouldContain(" ms");
    }

    [Fact]
    public async Task Run_NothingListening_FailsNamingTheEndpoint()
    {
        int port = PrivateRedis.FreePort();
        var check = new RedisCheck(Env($"127.0.0.1:{port}"));
        var clock = Stopwatch.StartNew();

        CheckResult result = await check.RunAsync(Token);

        result.Passed.ShouldBeFalse();
        result.Detail.ShouldContain($"127.0.0.1:{port}");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Run_PasswordInConfiguration_IsNeverPrinted()
    {
        int port = PrivateRedis.FreePort();
        var check = new RedisCheck(Env($"127.0.0.1:{port},password=hunter2-secret"));

        CheckResult result = await check.RunAsync(Token);

        result.Detail.ShouldNotContain("hunter2-secret");
    }

    [Fact]
    public void Create_DoctorChecks_IncludeTheRedisCheckForCaching()
    {
        IReadOnlyList<IDoctorCheck> checks = DoctorChecks.Create();

        checks.OfType<RedisCheck>().Single().Module.ShouldBe("XSystem.Caching");
    }

    /// <summary>A redis-server of this test's own on a free loopback port, killed on dispose; missing redis-server fails the test.</summary>
    private sealed class PrivateRedis : IAsyncDisposable
    {
        private readonly Process _process;

        private PrivateRedis(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

        public static async Task<PrivateRedis> StartAsync(CancellationToken cancellationToken)
        {
            string executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("redis-server is not installed, so the Redis doctor check cannot be tested. Install it (sudo apt-get install -y redis-server; test.sh does this in CI).");
            for (int attempt = 0; ; attempt++)
            {
                int port = FreePort();
                var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (string argument in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"])
                {
                    start.ArgumentList.Add(argument);
                }

                Process process = Process.Start(start)!;
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                var server = new PrivateRedis(process, port);
                if (await server.WaitForPingAsync(cancellationToken))
                {
                    return server;
                }

                await server.DisposeAsync();
                if (attempt == 4)
                {
                    throw new InvalidOperationException($"redis-server did not answer PING on a free port after 5 attempts (last port {port}).");
                }
            }
        }

        public static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            finally
            {
                _process.Dispose();
            }

            return ValueTask.CompletedTask;
        }

        private async Task<bool> WaitForPingAsync(CancellationToken cancellationToken)
        {
            long deadline = Environment.TickCount64 + 10_000;
            while (Environment.TickCount64 < deadline && !_process.HasExited)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                    NetworkStream stream = client.GetStream();
                    await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
                    byte[] buffer = new byte[16];
                    int read = await stream.ReadAsync(buffer, cancellationToken);
                    if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
                catch (SocketException)
                {
                }
                catch (IOException)
                {
                }

                await Task.Delay(20, cancellationToken);
            }

            return false;
        }
    }
}
