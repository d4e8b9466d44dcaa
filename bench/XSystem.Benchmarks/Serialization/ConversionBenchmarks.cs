using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using nietras.SeparatedValues;
using XSystem.Serialization;
using YamlDotNet.Serialization;
using Serializer = XSystem.Serialization.Serializer;

namespace XSystem.Benchmarks.Serialization;

/// <summary>
/// YAML to JSON throughput on a generated YAML document of about 1 MiB (a list of nested records):
/// Serializer.Convert(bytes, Formats.Yaml, Formats.Json). Reference: a plain YamlDotNet pipeline
/// (Deserialize&lt;object&gt; then the JSON-compatible serializer), which is not equivalent (every scalar comes out as a
/// string, no depth or size limits) and only gives scale.
/// </summary>
[MemoryDiagnoser]
public class YamlToJsonBenchmarks
{
    private static readonly SerializerOptions Compact = new() { Indent = false };
    private readonly IDeserializer _yamlDotNet = new DeserializerBuilder().Build();
    private readonly ISerializer _yamlDotNetJson = new SerializerBuilder().JsonCompatible().Build();
    private byte[] _yaml = [];
    private string _yamlText = string.Empty;

    /// <summary>The document size in bytes (printed by the setup so MB/s can be computed from the mean).</summary>
    public int Size => _yaml.Length;

    [GlobalSetup]
    public void Setup()
    {
        _yamlText = GenerateYaml(1024 * 1024);
        _yaml = Encoding.UTF8.GetBytes(_yamlText);
        Console.WriteLine($"// YAML document: {_yaml.Length} bytes");
        _ = JsonNode.Parse(XSystemCompact()) ?? throw new InvalidOperationException("The conversion produced no JSON.");
    }

    [Benchmark(Baseline = true, Description = "YamlDotNet object + JsonCompatible (reference)")]
    public string YamlDotNetPipeline() => _yamlDotNetJson.Serialize(_yamlDotNet.Deserialize<object>(_yamlText)!);

    [Benchmark(Description = "Serializer.Convert yaml->json (indented)")]
    public byte[] XSystemIndented() => Serializer.Convert(_yaml, Formats.Yaml, Formats.Json);

    [Benchmark(Description = "Serializer.Convert yaml->json (compact)")]
    public byte[] XSystemCompact() => Serializer.Convert(_yaml, Formats.Yaml, Formats.Json, Compact);

    internal static string GenerateYaml(int targetBytes)
    {
        var text = new StringBuilder(targetBytes + 1024);
        text.Append("generated: 2026-11-26T09:30:00Z\nsource: benchmark\nrecords:\n");
        var random = new Random(42);
        for (int i = 0; text.Length < targetBytes; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                  - id: {i}
                    name: "user {i}"
                    email: user{i}@example.org
                    active: {(i % 3 != 0 ? "true" : "false")}
                    score: {random.NextDouble() * 100:F3}
                    created: 2026-{i % 12 + 1:D2}-{i % 28 + 1:D2}
                    tags: [alpha, beta, {(i % 2 == 0 ? "even" : "odd")}]
                    address:
                      street: {i} Main Street
                      city: Springfield
                      zip: "{10000 + i % 90000}"
                    notes: >
                      Folded text for record {i}
                      spanning two lines.

                """);
        }

        return text.ToString();
    }
}

/// <summary>
/// CSV to JSON Lines streaming throughput on a generated CSV of about 10 MiB (8 columns, quoted fields, every value
/// a string). XSystem: Formats.Csv ReadRecordsAsync piped into Formats.JsonLines WriteRecordsAsync, in memory to
/// Stream.Null, and Serializer.ConvertAsync between two temporary files (which adds file I/O and a durable atomic
/// replace of the output). Reference baseline: Sep reading rows and a Utf8JsonWriter writing one object per line.
/// </summary>
[MemoryDiagnoser]
public class CsvToJsonLinesBenchmarks
{
    private byte[] _csv = [];
    private string _directory = string.Empty;
    private string _input = string.Empty;
    private string _output = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _csv = GenerateCsv(10 * 1024 * 1024);
        Console.WriteLine($"// CSV document: {_csv.Length} bytes");
        _directory = Directory.CreateTempSubdirectory("xsystem-bench-").FullName;
        _input = Path.Combine(_directory, "in.csv");
        _output = Path.Combine(_directory, "out.jsonl");
        File.WriteAllBytes(_input, _csv);

        var ours = new MemoryStream();
        XSystemStreamTo(ours).GetAwaiter().GetResult();
        var theirs = new MemoryStream();
        SepToUtf8JsonWriterTo(theirs);
        if (!ours.ToArray().AsSpan().SequenceEqual(theirs.ToArray()))
        {
            throw new InvalidOperationException("The two pipelines produce different JSON Lines.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true, Description = "Sep + Utf8JsonWriter (reference)")]
    public void SepToUtf8JsonWriter() => SepToUtf8JsonWriterTo(Stream.Null);

    [Benchmark(Description = "csv ReadRecordsAsync -> jsonl WriteRecordsAsync (memory)")]
    public Task XSystemStream() => XSystemStreamTo(Stream.Null);

    [Benchmark(Description = "csv -> jsonl direct row copy (memory; the path ConvertAsync takes)")]
    public Task XSystemDirect() =>
        ((XSystem.Serialization.Internal.IJsonLinesSource)Formats.Csv).WriteJsonLinesAsync(new MemoryStream(_csv, writable: false), Stream.Null, SerializerOptions.Default, CancellationToken.None).AsTask();

    [Benchmark(Description = "Serializer.ConvertAsync csv->jsonl (files)")]
    public Task XSystemFiles() => Serializer.ConvertAsync(_input, _output);

    private async Task XSystemStreamTo(Stream output)
    {
        var input = new MemoryStream(_csv, writable: false);
        var csv = (IRecordFormat)Formats.Csv;
        var jsonLines = (IRecordFormat)Formats.JsonLines;
        await jsonLines.WriteRecordsAsync(output, csv.ReadRecordsAsync(input, SerializerOptions.Default), SerializerOptions.Default).ConfigureAwait(false);
    }

    private void SepToUtf8JsonWriterTo(Stream output)
    {
        using SepReader reader = Sep.Reader(o => o with { Unescape = true }).From(new MemoryStream(_csv, writable: false));
        var names = reader.Header.ColNames.Select(n => JsonEncodedText.Encode(n, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping)).ToArray();
        var buffered = new BufferedStream(output, 64 * 1024);
        using var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        foreach (SepReader.Row row in reader)
        {
            writer.WriteStartObject();
            for (int i = 0; i < names.Length; i++)
            {
                writer.WriteString(names[i], row[i].Span);
            }

            writer.WriteEndObject();
            writer.Flush();
            writer.Reset();
            buffered.WriteByte((byte)'\n');
        }

        buffered.Flush();
    }

    internal static byte[] GenerateCsv(int targetBytes)
    {
        var text = new StringBuilder(targetBytes + 1024);
        text.Append("id,name,email,city,amount,date,active,comment\n");
        string[] cities = ["Amsterdam", "Berlin", "Lisbon", "Oslo", "Paris", "Zürich"];
        for (int i = 0; text.Length < targetBytes; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},User {i},user{i}@example.org,{cities[i % cities.Length]},{i * 1.25m:F2},2026-{i % 12 + 1:D2}-{i % 28 + 1:D2},{(i % 2 == 0 ? "true" : "false")},");
            text.Append(i % 5 == 0 ? "\"quoted, with a comma and \"\"quotes\"\"\"\n" : "plain comment\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
