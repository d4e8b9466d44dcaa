namespace XSystem.IO.Tests.Infrastructure;

/// <summary>A fresh directory under the system temp directory, deleted (with its links, never their targets) on dispose.</summary>
internal sealed class PathsTempDir : IDisposable
{
    public PathsTempDir(string prefix = "xsys-paths-")
    {
        DirectoryPath = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string DirectoryPath { get; }

    public string Combine(params string[] parts) => Path.Combine([DirectoryPath, .. parts]);

    public string CreateDirectory(params string[] parts) => Directory.CreateDirectory(Combine(parts)).FullName;

    public string WriteFile(string relative, string content = "x")
    {
        string path = Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            // Directory.Delete removes symbolic links themselves and does not follow them.
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
