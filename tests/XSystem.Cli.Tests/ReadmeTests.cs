using System.Text.RegularExpressions;
using XSystem.Cli.Doctor;

namespace XSystem.Cli.Tests;

/// <summary>Tests that change the process's current directory run alone.</summary>
[CollectionDefinition(nameof(CurrentDirectoryGroup), DisableParallelization = true)]
public sealed class CurrentDirectoryGroup;

/// <summary>Keeps the README honest: its module table matches the doctor's catalog, and its C# samples compile and run.</summary>
[Collection(nameof(CurrentDirectoryGroup))]
public partial class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));

    [GeneratedRegex(@"^\| (XSystem[\w.]*) \| (done|in progress|planned) \|", RegexOptions.Multiline)]
    private static partial Regex ModuleRow();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [Fact]
    public void ModuleTable_MatchesCatalog()
    {
        var rows = ModuleRow().Matches(Readme).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        foreach (ModuleInfo module in ModuleCatalog.All)
        {
            rows.ShouldContainKey(module.Name);
            rows[module.Name].ShouldBe(ModuleCatalog.Label(module.Status), $"README status of {module.Name}");
        }
    }

    [Fact]
    public void QuickStart_HasExactlyTheTwoCommands()
    {
        int start = Readme.IndexOf("## Quick start", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0);
        string section = Readme[start..Readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal)];
        var block = Regex.Match(section, @"```sh\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        block.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["dotnet run --project src/XSystem.Cli -- doctor", "./test.sh"]);
    }

    [Fact]
    public void CSharpSamples_AppearVerbatimInCompiledCode()
    {
        string samples = File.ReadAllText(Path.Combine(FindRepositoryRoot(), "tests", "XSystem.Cli.Tests", "ReadmeSamples.cs"));
        string normalizedSamples = Normalize(samples);
        var blocks = CSharpBlock().Matches(Readme).Select(m => m.Groups[1].Value).ToList();

        blocks.ShouldNotBeEmpty();
        foreach (string block in blocks)
        {
            normalizedSamples.ShouldContain(Normalize(block), customMessage: "a README C# block is not in ReadmeSamples.cs; copy it there so the build checks it");
        }
    }

    [Fact]
    public void TasteSample_Runs()
    {
        string directory = Directory.CreateTempSubdirectory("xsys-readme-").FullName;
        string previous = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(directory);
            string result = ReadmeSamples.Taste();
            result.ShouldBe("""{ "theme": "dark" }""" + "|" + Path.Combine(directory, "reports", "2026", "q3.csv"));
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Normalize(string code) =>
        string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XSystem.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
