namespace XSystem.IO.Tests.Infrastructure;

/// <summary>A fresh directory under the system temp folder, deleted (with its content) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("xsystem-io-").FullName;
    }

    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside the directory (nothing is created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The names of all entries in the directory, hidden ones included, sorted.</summary>
    public string[] Entries() =>
        Directory.EnumerateFileSystemEntries(Path, "*", new EnumerationOptions { AttributesToSkip = 0 })
            .Select(System.IO.Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToArray()!;

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
