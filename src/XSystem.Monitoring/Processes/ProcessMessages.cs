using System.Globalization;

namespace XSystem.Monitoring;

/// <summary>The messages of the process API, in one place.</summary>
internal static class ProcessMessages
{
    public static string Gone(int pid, string? reason) => string.Create(
        CultureInfo.InvariantCulture,
        $"Process {pid} {reason ?? "does not exist (it exited or never existed)"}. Look the process up again with Processes.Get or Processes.List.");

    public static string Denied(int pid, string what) => string.Create(
        CultureInfo.InvariantCulture,
        $"Access denied to {what} of process {pid}: the process belongs to another user. Run as that user or with more privileges (root, CAP_SYS_PTRACE, CAP_KILL).");

    public static string NotSupported(string member) =>
        $"{member} is implemented for Linux (/proc) only; this operating system ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}) is not supported yet.";

    public static string Malformed(int pid, string file) => string.Create(
        CultureInfo.InvariantCulture,
        $"Process {pid} exited while /proc/{pid}/{file} was read (the file was empty or cut short).");
}
