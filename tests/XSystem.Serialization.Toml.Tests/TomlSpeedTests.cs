using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Tomlyn;
using Tomlyn.Model;

namespace XSystem.Serialization.Toml.Tests;

/// <summary>
/// A quick Stopwatch comparison with the anchor library (Tomlyn) on a ~100-line configuration. BenchmarkDotNet numbers
/// belong in bench/; this run only guards against gross regressions, so it is kept out of the default run.
/// </summary>
public sealed class TomlSpeedTests(ITestOutputHelper output)
{
    internal static string Config()
    {
        var text = new StringBuilder();
        text.Append("# service configuration\ntitle = \"demo service\"\nversion = \"1.2.3\"\ndebug = false\nstarted = 2024-05-01T12:00:00Z\n\n");
        for (int s = 0; s < 6; s++)
        {
            text.Append("[server").Append(s).Append("]\n");
            text.Append("host = \"10.0.0.").Append(s).Append("\"\nport = ").Append(8000 + s).Append('\n');
            text.Append("timeout = 2.5\nenabled = true\ntags = [\"a\", \"b\", \"c\"]\n");
            text.Append("limits = { cpu = 2, memory = \"512Mi\" }\nretry.count = 3\nretry.backoff = 1.5\n\n");
        }

        for (int p = 0; p < 6; p++)
        {
            text.Append("[[products]]\nname = \"item ").Append(p).Append("\"\nsku = ").Append(738594937 + p).Append("\nprice = 9.99\n");
            text.Append("description = '''\nA product that\nspans lines.'''\n\n");
        }

        return text.ToString();
    }

    [Fact]
    [Trait("Category", "Soak")]
    public void Parse_HundredLineConfig_IsAtLeastAsFastAsTomlyn()
    {
        // Timing on a shared machine is noisy: run on request (XSYSTEM_PERF=1), in Release.
        Assert.SkipUnless(Environment.GetEnvironmentVariable("XSYSTEM_PERF") == "1", "set XSYSTEM_PERF=1 to run the speed comparison");
        string text = Config();
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var format = new TomlFormat();
        JsonNode? ours = format.Parse(bytes, SerializerOptions.Default);
        TomlTable theirs = TomlSerializer.Deserialize<TomlTable>(text)!;
        ((JsonObject)ours!).Count.ShouldBe(theirs.Count);

        double ourTime = Measure(() => format.Parse(bytes, SerializerOptions.Default));
        double theirTime = Measure(() => TomlSerializer.Deserialize<TomlTable>(text));
        double ratio = theirTime / ourTime;

        output.WriteLine($"{text.Split('\n').Length} lines: ours {ourTime * 1e6:F1} µs, Tomlyn {theirTime * 1e6:F1} µs, speed ratio {ratio:F2}x");
        ratio.ShouldBeGreaterThan(0.9);
    }

    private static double Measure(Action action)
    {
        for (int i = 0; i < 2000; i++)
        {
            action();
        }

        double best = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < 2000; i++)
            {
                action();
            }

            best = Math.Min(best, watch.Elapsed.TotalSeconds / 2000);
        }

        return best;
    }
}
