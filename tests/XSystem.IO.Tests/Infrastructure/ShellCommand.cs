using System.Diagnostics;

namespace XSystem.IO.Tests.Infrastructure;

/// <summary>Runs a short command-line tool (chown, stat) and returns its trimmed standard output.</summary>
internal static class ShellCommand
{
    public static string Run(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{fileName} {string.Join(' ', arguments)} failed: {error}");
        return output.Trim();
    }
}
