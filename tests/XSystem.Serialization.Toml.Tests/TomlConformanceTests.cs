using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Toml.Tests;

/// <summary>toml-test (../shared/conformance/toml): every listed valid case decodes to the expected tagged JSON, every invalid case is rejected.</summary>
public sealed class TomlConformanceTests(ITestOutputHelper output)
{
    private static readonly TomlFormat Format = new();

    private static readonly SerializerOptions Toml10 = new();

    private static readonly SerializerOptions Toml11 = new() { FormatOptions = [new TomlOptions { Version = TomlVersion.Toml11 }] };

    /// <summary>Bytes that matter to TOML's grammar, for mutations.</summary>
    private static readonly byte[] Alphabet = "[]{}=,.\\\"'#\n\r \t0aZ_-:+eE"u8.ToArray();

    private static string Suite => TestPaths.Conformance("toml", "tests");

    private static IEnumerable<string> Cases(string version, string kind) =>
        File.ReadLines(Path.Combine(Suite, "files-toml-" + version))
            .Where(line => line.StartsWith(kind + "/", StringComparison.Ordinal) && line.EndsWith(".toml", StringComparison.Ordinal));

    /// <summary>Runs one version's list; returns the failures (case path and reason) and the counts.</summary>
    private static (List<string> Failures, int Valid, int ValidPassed, int Invalid, int InvalidPassed) Run(string version, SerializerOptions options)
    {
        var failures = new List<string>();
        int valid = 0, validPassed = 0, invalid = 0, invalidPassed = 0;
        foreach (string path in Cases(version, "valid"))
        {
            valid++;
            byte[] bytes = File.ReadAllBytes(Path.Combine(Suite, path));
            JsonNode expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Suite, Path.ChangeExtension(path, ".json"))))!;
            try
            {
                JsonNode? tree = Format.Parse(bytes, options);
                string? diff = TomlTestJson.Difference(expected, TomlTestJson.ToTagged(tree));
                if (diff is null)
                {
                    validPassed++;
                }
                else
                {
                    failures.Add($"{path}: {diff}");
                }
            }
            catch (SerializationException ex)
            {
                failures.Add($"{path}: rejected: {ex.Message}");
            }
        }

        foreach (string path in Cases(version, "invalid"))
        {
            invalid++;
            byte[] bytes = File.ReadAllBytes(Path.Combine(Suite, path));
            try
            {
                JsonNode? tree = Format.Parse(bytes, options);
                failures.Add($"{path}: accepted, gave {tree?.ToJsonString()}");
            }
            catch (SerializationException)
            {
                invalidPassed++;
            }
        }

        return (failures, valid, validPassed, invalid, invalidPassed);
    }

    [Fact]
    public void TomlTest_Toml10List_AllValidDecodeAndAllInvalidRejected()
    {
        var (failures, valid, validPassed, invalid, invalidPassed) = Run("1.0.0", Toml10);
        output.WriteLine($"TOML 1.0.0: valid {validPassed}/{valid}, invalid {invalidPassed}/{invalid}");
        valid.ShouldBeGreaterThan(200);
        invalid.ShouldBeGreaterThan(400);
        failures.ShouldBeEmpty(string.Join('\n', failures));
    }

    [Fact]
    public void TomlTest_Toml11List_WithToml11Option_AllValidDecodeAndAllInvalidRejected()
    {
        var (failures, valid, validPassed, invalid, invalidPassed) = Run("1.1.0", Toml11);
        output.WriteLine($"TOML 1.1.0: valid {validPassed}/{valid}, invalid {invalidPassed}/{invalid}");
        foreach (string failure in failures)
        {
            output.WriteLine(failure);
        }

        valid.ShouldBeGreaterThan(200);
        failures.ShouldBeEmpty(string.Join('\n', failures));
    }

    [Fact]
    public void TomlTest_EveryValidCase_RoundTripsThroughTheWriter()
    {
        var failures = new List<string>();
        foreach (string path in Cases("1.0.0", "valid"))
        {
            JsonNode? first = Format.Parse(File.ReadAllBytes(Path.Combine(Suite, path)), Toml10);
            string written = string.Empty;
            try
            {
                written = TomlText.Write(first);
                JsonNode? second = Format.Parse(Encoding.UTF8.GetBytes(written), Toml10);
                string? diff = TomlTestJson.Difference(TomlTestJson.ToTagged(first), TomlTestJson.ToTagged(second));
                if (diff is not null)
                {
                    failures.Add($"{path}: {diff}\n{written}");
                }
            }
            catch (SerializationException ex)
            {
                failures.Add($"{path}: {ex.Message}\n{written}");
            }
        }

        failures.ShouldBeEmpty(string.Join('\n', failures));
    }

    [Fact]
    public void TomlTest_MutatedCases_OnlyEverThrowSerializationExceptionAndValidOnesRoundTrip()
    {
        var random = new Random(20240501);
        int parsed = 0;
        foreach (string path in Cases("1.0.0", "valid").Concat(Cases("1.0.0", "invalid")))
        {
            byte[] original = File.ReadAllBytes(Path.Combine(Suite, path));
            if (original.Length == 0)
            {
                continue;
            }

            for (int round = 0; round < 20; round++)
            {
                byte[] mutated = (byte[])original.Clone();
                for (int edit = 1 + random.Next(3); edit > 0; edit--)
                {
                    mutated[random.Next(mutated.Length)] = Alphabet[random.Next(Alphabet.Length)];
                }

                JsonNode? tree;
                try
                {
                    tree = Format.Parse(mutated, Toml10);
                }
                catch (SerializationException)
                {
                    continue;
                }

                parsed++;
                JsonNode? again = Format.Parse(Encoding.UTF8.GetBytes(TomlText.Write(tree)), Toml10);
                TomlTestJson.Difference(TomlTestJson.ToTagged(tree), TomlTestJson.ToTagged(again)).ShouldBeNull(path);
            }
        }

        parsed.ShouldBeGreaterThan(0);
    }
}
