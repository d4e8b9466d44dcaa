using System.Diagnostics;

namespace XSystem.Monitoring.Tests.System;

/// <summary>Fixture files and system tools for the SystemInfo tests.</summary>
internal static class TestSupport
{
    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "System", name));

    /// <summary>Runs a tool with the C locale and returns its standard output; null when the tool is not installed.</summary>
    public static string? Tool(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["LANG"] = "C";
        start.Environment["LC_ALL"] = "C";
        try
        {
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (global::System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>A temp directory deleted on dispose.</summary>
    public sealed class TempTree : IDisposable
    {
        public TempTree()
        {
            Root = Directory.CreateTempSubdirectory("xsys-mon-").FullName;
        }

        public string Root { get; }

        public void Write(string relative, string content)
        {
            string path = Path.Combine(Root, relative.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
