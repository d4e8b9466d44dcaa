using System.Diagnostics;

namespace XSystem.Cli.Tests.Infrastructure;

/// <summary>Runs the built <c>xsys</c> as a real child process.</summary>
internal static class XsysProcess
{
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "xsys.dll");

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyDictionary<string, string?>? environment = null, params string[] args)
    {
        var (exit, stdout, stderr) = await RunBytesAsync(stdin: null, environment, args);
        return (exit, System.Text.Encoding.UTF8.GetString(stdout), stderr);
    }

    /// <summary>
    /// Runs <c>xsys</c> with <paramref name="stdin"/> written to its standard input (then closed; null closes it at once)
    /// and returns standard output as raw bytes, so binary output and exact text can be checked.
    /// </summary>
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunBytesAsync(
        byte[]? stdin, IReadOnlyDictionary<string, string?>? environment = null, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("NO_COLOR");
        start.Environment.Remove("FORCE_COLOR");
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            using var stdout = new MemoryStream();
            Task copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, timeout.Token);
            Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);

            // Feed standard input while the outputs drain, so a large input cannot deadlock on full pipes.
            Stream input = process.StandardInput.BaseStream;
            try
            {
                if (stdin is not null)
                {
                    await input.WriteAsync(stdin, timeout.Token);
                    await input.FlushAsync(timeout.Token);
                }
            }
            catch (IOException)
            {
                // The process exited before reading everything (for example on a usage error); its exit code tells.
            }
            finally
            {
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(timeout.Token);
            await copyOut;
            return (process.ExitCode, stdout.ToArray(), await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
