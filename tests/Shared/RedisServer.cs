using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XSystem.Testing;

/// <summary>
/// A private <c>redis-server</c> on a free loopback port, with persistence off. <see cref="StartAsync"/> waits until
/// PING answers; <see cref="Stop"/> kills it; <see cref="StartAsync"/> again brings it back on the same port (empty).
/// Disposing kills the process even when a test failed. A missing <c>redis-server</c> fails the test with a message
/// saying how to install it; it never passes silently.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"];
    private Process? _process;

    private RedisServer(int port) => Port = port;

    /// <summary>The loopback port the server listens on; it stays the same across restarts.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for the server.</summary>
    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        // The port is picked free and then released for redis-server; another process could grab it in between, so
        // a start that fails to bind is retried on a new port.
        Exception? last = null;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var server = new RedisServer(FreePort());
            try
            {
                await server.StartAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException ex) when (ex is not RedisServerMissingException)
            {
                last = ex;
                await server.DisposeAsync();
            }
        }

        throw new InvalidOperationException("Could not start redis-server on a free loopback port after 5 attempts.", last);
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it answers PING.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The server is already running.");
        }

        string executable = FindExecutable();
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"])
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        long deadline = Environment.TickCount64 + 10_000;
        while (Environment.TickCount64 < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                Stop();
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} on port {Port}: {Snapshot(output)}");
            }

            if (await PingAsync(cancellationToken))
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }

        Stop();
        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within 10 s: {Snapshot(output)}");
    }

    /// <summary>Kills the server at once (no graceful shutdown) and waits for the process to exit.</summary>
    public void Stop()
    {
        Process? process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Kills the server and starts it again on the same port.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Stop();
        await StartAsync(cancellationToken);
    }

    /// <summary>Sends one raw RESP command and returns the first reply line (for checks that must not go through the library under test).</summary>
    public async Task<string> CommandAsync(CancellationToken cancellationToken, params string[] parts)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
        NetworkStream stream = client.GetStream();
        var request = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (string part in parts)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), cancellationToken);
        byte[] buffer = new byte[4096];
        int read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(1000);
            string reply = await CommandAsync(timeout.Token, "PING");
            return reply.StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string FindExecutable()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Candidates.FirstOrDefault(File.Exists) ?? throw new RedisServerMissingException();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}

/// <summary>redis-server is not installed: the Redis tests cannot run and must fail, not pass.</summary>
public sealed class RedisServerMissingException() : InvalidOperationException(
    "redis-server was not found on PATH or in /usr/bin, /usr/local/bin. The XSystem.Caching.Redis tests need a real server: " +
    "install it (Debian/Ubuntu: sudo apt-get install -y redis-server; test.sh does this in CI) and run the tests again.");
