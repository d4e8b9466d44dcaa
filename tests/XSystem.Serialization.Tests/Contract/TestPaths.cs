namespace XSystem.Serialization.Tests.Contract;

/// <summary>Locates the repository and the shared conformance suites (<c>../shared/conformance</c> from the repository root).</summary>
public static class TestPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds <c>XSystem.slnx</c>.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>A path under <c>../shared/conformance</c>, for example <c>Conformance("json", "test_parsing")</c>.</summary>
    public static string Conformance(params string[] parts) =>
        Path.GetFullPath(Path.Combine([RepositoryRoot, "..", "shared", "conformance", .. parts]));

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
