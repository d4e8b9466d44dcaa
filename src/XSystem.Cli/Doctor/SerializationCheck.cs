using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization;

namespace XSystem.Cli.Doctor;

/// <summary>
/// Round-trips a small tree through every available format (write, parse back, compare), using for each format the
/// first of a few shapes it can hold (a nested document; a table of string records for CSV/TSV; sections for INI; one
/// root element for XML; a flat string map for form-style formats), and checks that content detection names JSON
/// and YAML for a sample of each.
/// </summary>
internal sealed class SerializationCheck : IDoctorCheck
{
    private const string JsonSample = """{"name": "xsys", "ports": [80, 443], "tls": {"enabled": true}}""";
    private const string YamlSample = "name: xsys\nports:\n  - 80\n  - 443\ntls:\n  enabled: true\n";

    public string Module => "XSystem.Serialization";

    public string Description => "round trip through every format and content detection";

    /// <summary>The shapes tried in order; a format passes when one of them comes back equal.</summary>
    internal static IReadOnlyList<JsonNode> Shapes() =>
    [
        // Nested document with the scalar kinds most formats hold.
        new JsonObject
        {
            ["name"] = "xsys",
            ["count"] = 3,
            ["ratio"] = 1.5,
            ["ok"] = true,
            ["tags"] = new JsonArray("a", "ü ✓"),
            ["nested"] = new JsonObject { ["key"] = "value" },
        },

        // A table of string records: CSV, TSV.
        new JsonArray(
            new JsonObject { ["name"] = "xsys", ["count"] = "3" },
            new JsonObject { ["name"] = "doctor", ["count"] = "4" }),

        // Sections of string values: INI.
        new JsonObject { ["section"] = new JsonObject { ["name"] = "xsys", ["count"] = "3" } },

        // One table of rows: databases.
        new JsonObject { ["items"] = new JsonArray(new JsonObject { ["name"] = "xsys", ["count"] = 3 }) },

        // A flat map of strings: form-encoded, multipart.
        new JsonObject { ["name"] = "xsys", ["count"] = "3" },
    ];

    public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        IReadOnlyList<IFormat> formats = Formats.All;
        var failures = new List<string>();
        foreach (IFormat format in formats)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (RoundTrip(format) is { } problem)
            {
                failures.Add($"{format.Name} ({problem})");
            }
        }

        string? json = Formats.Detect(Encoding.UTF8.GetBytes(JsonSample))?.Format.Name;
        string? yaml = Formats.Detect(Encoding.UTF8.GetBytes(YamlSample))?.Format.Name;
        if (json != "json")
        {
            failures.Add($"detection named {json ?? "nothing"} for a JSON sample");
        }

        if (yaml != "yaml")
        {
            failures.Add($"detection named {yaml ?? "nothing"} for a YAML sample");
        }

        int passed = formats.Count - failures.Count(f => !f.StartsWith("detection", StringComparison.Ordinal));
        string elapsed = $"{Stopwatch.GetElapsedTime(start).TotalMilliseconds:0} ms";
        return ValueTask.FromResult(failures.Count == 0
            ? CheckResult.Pass($"{passed} of {formats.Count} formats round-trip; detection OK ({elapsed})")
            : CheckResult.Fail($"{passed} of {formats.Count} formats round-trip; failed: {string.Join("; ", failures)}"));
    }

    /// <summary>Null when some shape round-trips through <paramref name="format"/>; else what went wrong with each shape.</summary>
    internal static string? RoundTrip(IFormat format)
    {
        var problems = new List<string>();
        foreach (JsonNode shape in Shapes())
        {
            try
            {
                byte[] bytes = Serializer.Write(shape, format);
                JsonNode? back = Serializer.Parse(bytes, format);
                if (JsonNode.DeepEquals(shape, back))
                {
                    return null;
                }

                problems.Add("came back different");
            }
            catch (SerializationException ex)
            {
                problems.Add(ex.Problem);
            }
        }

        return problems.Count == 0 ? "no shape tried" : problems[^1];
    }
}
