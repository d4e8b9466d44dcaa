using XSystem.IO;
using XSystem.Terminal;

namespace XSystem.Cli.Tests;

/// <summary>
/// The README's C# samples, verbatim, so the build proves they compile; <see cref="ReadmeTests"/> checks that every
/// README block appears here and runs them.
/// </summary>
internal static class ReadmeSamples
{
    public static string Taste()
    {
        // Replace a file so that readers and crashes see the old or the new content, never a mix.
        AtomicFile.WriteAllText("settings.json", """{ "theme": "dark" }""");

        // Read it back with a size limit and strict UTF-8.
        string text = SafeFile.ReadAllText("settings.json", new SafeReadOptions { MaxBytes = 1024 * 1024 });

        // Keep untrusted names inside a folder.
        var uploads = new PathGuard(Directory.GetCurrentDirectory());
        string safe = uploads.Resolve("reports/2026/q3.csv");

        // One process at a time, across processes; the kernel releases it if the holder dies.
        using (FileLock.Acquire("settings.json.lock", TimeSpan.FromSeconds(5)))
        {
            Console.WriteLine(Term.Colorize("locked", Colors.Green, Style.Bold));
        }

        return text + "|" + safe;
    }
}
