namespace XSystem.Security.Tests;

/// <summary>Locates the repository root (the folder holding XSystem.slnx) and the shared conformance suites.</summary>
public static class TestPaths
{
    /// <summary>The repository root.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>A Wycheproof vector file from <c>../shared/conformance/wycheproof</c>.</summary>
    public static string Wycheproof(string fileName) =>
        Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "conformance", "wycheproof", fileName));

    /// <summary>A committed fixture under <c>tests/XSystem.Security.Tests/Fixtures</c>.</summary>
    public static string Fixture(string fileName) =>
        Path.Combine(RepositoryRoot, "tests", "XSystem.Security.Tests", "Fixtures", fileName);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XSystem.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No XSystem.slnx above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
    }
}
