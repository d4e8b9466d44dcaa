using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using nietras.SeparatedValues;
using XSystem.Serialization;
using XSystem.Serialization.Csv.Internal;

namespace XSystem.Benchmarks.Serialization;

/// <summary>
/// Reading about 10 MB of CSV string records (6 string columns) from a MemoryStream: raw Sep setting a class's
/// properties by hand (the baseline), against Serializer.ReadRecordsAsync&lt;T&gt; (the typed path), the whole-document
/// typed path (Serializer.Deserialize&lt;List&lt;T&gt;&gt;, next to raw Sep filling a list), the typed path forced through
/// JSON text (the route for records with constructors), and the tree path (a JsonObject per row).
/// </summary>
[MemoryDiagnoser]
public class CsvBenchmarks
{
    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        string[] words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"];
        var text = new StringBuilder(11 * 1024 * 1024);
        text.Append("Id,First,Last,City,Email,Note\r\n");
        int row = 0;
        while (text.Length < 10 * 1024 * 1024)
        {
            string first = words[random.Next(words.Length)];
            string last = words[random.Next(words.Length)] + random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string note = row % 20 == 0 ? "\"quoted, with a comma\"" : "note " + random.Next(100000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"R{row},{first},{last},{words[random.Next(words.Length)]} city,{first}.{last}@example.org,{note}\r\n");
            row++;
        }

        _csv = Encoding.UTF8.GetBytes(text.ToString());
    }

    private MemoryStream Input() => new(_csv, writable: false);

    [Benchmark(Baseline = true, Description = "raw Sep, properties set by hand")]
    public int RawSep()
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).From(Input());
        (int id, int first, int last, int city, int email, int note) = Columns(reader.Header);
        int count = 0;
        foreach (SepReader.Row row in reader)
        {
            var person = new Person
            {
                Id = row[id].ToString(),
                First = row[first].ToString(),
                Last = row[last].ToString(),
                City = row[city].ToString(),
                Email = row[email].ToString(),
                Note = row[note].ToString(),
            };
            count += person.Note.Length > 0 ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "raw Sep async, properties set by hand")]
    public async Task<int> RawSepAsync()
    {
        using var reader = await Sep.Reader(o => o with { Unescape = true }).FromAsync(Input()).ConfigureAwait(false);
        (int id, int first, int last, int city, int email, int note) = Columns(reader.Header);
        int count = 0;
        while (await reader.MoveNextAsync().ConfigureAwait(false))
        {
            count += Make(reader.Current, id, first, last, city, email, note).Note.Length > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>The index of each of the record's columns in the header.</summary>
    private static (int Id, int First, int Last, int City, int Email, int Note) Columns(SepReaderHeader header) =>
        (header.IndexOf("Id"), header.IndexOf("First"), header.IndexOf("Last"), header.IndexOf("City"), header.IndexOf("Email"), header.IndexOf("Note"));

    private static Person Make(SepReader.Row row, int id, int first, int last, int city, int email, int note) => new()
    {
        Id = row[id].ToString(),
        First = row[first].ToString(),
        Last = row[last].ToString(),
        City = row[city].ToString(),
        Email = row[email].ToString(),
        Note = row[note].ToString(),
    };

    [Benchmark(Description = "Serializer.ReadRecordsAsync<Person>")]
    public async Task<int> Typed()
    {
        int count = 0;
        await foreach (Person? person in Serializer.ReadRecordsAsync<Person>(Input(), Formats.Csv).ConfigureAwait(false))
        {
            count += person!.Note.Length > 0 ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "raw Sep into a List, properties set by hand")]
    public int RawSepList()
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).From(_csv);
        (int id, int first, int last, int city, int email, int note) = Columns(reader.Header);
        var people = new List<Person>();
        foreach (SepReader.Row row in reader)
        {
            people.Add(Make(row, id, first, last, city, email, note));
        }

        return people.Count;
    }

    [Benchmark(Description = "Serializer.Deserialize<List<Person>> (bytes)")]
    public int TypedList() => Serializer.Deserialize<List<Person>>(_csv, Formats.Csv)!.Count;

    [Benchmark(Description = "typed, rows through JSON text")]
    public async Task<int> TypedThroughJson()
    {
        int count = 0;
        await foreach (Person? person in DelimitedReader.ReadTypedAsync<Person>(Input(), SerializerOptions.Default, Dialect.Csv, forceJson: true).ConfigureAwait(false))
        {
            count += person!.Note.Length > 0 ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "tree, ReadRecordsAsync<JsonObject>")]
    public async Task<int> Tree()
    {
        int count = 0;
        await foreach (JsonObject? row in Serializer.ReadRecordsAsync<JsonObject>(Input(), Formats.Csv).ConfigureAwait(false))
        {
            count += row!.Count > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>The record type: six string properties.</summary>
    public sealed class Person
    {
        public string Id { get; set; } = string.Empty;

        public string First { get; set; } = string.Empty;

        public string Last { get; set; } = string.Empty;

        public string City { get; set; } = string.Empty;

        public string Email { get; set; } = string.Empty;

        public string Note { get; set; } = string.Empty;
    }
}
