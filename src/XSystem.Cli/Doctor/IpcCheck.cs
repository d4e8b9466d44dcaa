using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using XSystem.Ipc;

namespace XSystem.Cli.Doctor;

/// <summary>Starts <c>xsys __ipc-echo</c> as a child process and sends messages through a <see cref="MessagePipe"/> round trip.</summary>
internal sealed class IpcCheck : IDoctorCheck
{
    public string Module => "XSystem.Ipc";

    public string Description => "MessagePipe round trip with a child process";

    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string name = "xsys-doctor-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        MessagePipeServer server = MessagePipe.CreateServer(name);
        await using (server.ConfigureAwait(false))
        {
            using Process child = StartEchoChild(name);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                MessagePipe pipe = await server.AcceptAsync(timeout.Token).ConfigureAwait(false);
                long started = watch.ElapsedMilliseconds;
                await using (pipe.ConfigureAwait(false))
                {
                    var roundTrip = Stopwatch.StartNew();
                    for (int i = 0; i < 100; i++)
                    {
                        string message = "ping " + i.ToString(CultureInfo.InvariantCulture);
                        await pipe.SendAsync(message, timeout.Token).ConfigureAwait(false);
                        string reply = await pipe.ReceiveAsync<string>(timeout.Token).ConfigureAwait(false);
                        if (reply != message)
                        {
                            return CheckResult.Fail($"the child echoed '{reply}' for '{message}'");
                        }
                    }

                    double microseconds = roundTrip.Elapsed.TotalMicroseconds / 100;
                    return CheckResult.Pass(string.Create(CultureInfo.InvariantCulture,
                        $"100 round trips with child pid {child.Id} OK, {microseconds:F0} µs each (child start {started} ms)"));
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return CheckResult.Fail(child.HasExited
                    ? $"the echo child exited with code {child.ExitCode} before answering"
                    : "the echo child did not connect or answer within 30 s");
            }
            finally
            {
                if (!child.HasExited)
                {
                    await child.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None)
                        .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                    if (!child.HasExited)
                    {
                        child.Kill(entireProcessTree: true);
                    }
                }
            }
        }
    }

    /// <summary>Starts this very xsys (its dll under the dotnet host) with the hidden echo subcommand.</summary>
    private static Process StartEchoChild(string name)
    {
        string dll = typeof(IpcCheck).Assembly.Location;
        var info = new ProcessStartInfo(DotnetHost()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("__ipc-echo");
        info.ArgumentList.Add(name);
        return Process.Start(info) ?? throw new InvalidOperationException("the dotnet host did not start");
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
