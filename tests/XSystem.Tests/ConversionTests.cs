using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization;

namespace XSystem.Tests;

/// <summary>Conversion between any two formats through the tree, on shapes both can hold, and the file-level API.</summary>
public sealed class ConversionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("xsys-convert-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // One section of string values: the shape every document format holds (INI and XML have no types; XML has one root).
    private static JsonObject Document() => new()
    {
        ["server"] = new JsonObject { ["host"] = "example.org", ["port"] = "8080", ["name"] = "Grüße 🎉", ["mode"] = "fast" },
    };

    // Flat records of strings: the shape every record format holds.
    private static JsonArray Records() =>
    [
        new JsonObject { ["id"] = "1", ["name"] = "Ada", ["note"] = "comma, \"quote\"" },
        new JsonObject { ["id"] = "2", ["name"] = "Linus", ["note"] = "line\nbreak" },
    ];

    private static readonly string[] DocumentFormats = ["json", "json5", "yaml", "toml", "xml", "ini"];
    private static readonly string[] RecordFormats = ["json", "jsonl", "json5", "yaml", "csv", "tsv"];

    public static TheoryData<string, string> DocumentPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (string from in DocumentFormats)
        {
            foreach (string to in DocumentFormats)
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    public static TheoryData<string, string> RecordPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (string from in RecordFormats)
        {
            foreach (string to in RecordFormats)
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentPairs))]
    public void Convert_Document_BetweenAnyTwoFormats_KeepsTheTree(string from, string to)
    {
        IFormat source = Formats.FromName(from);
        IFormat target = Formats.FromName(to);
        byte[] input = Serializer.Write(Document(), source);

        byte[] output = Serializer.Convert(input, source, target);

        JsonNode.DeepEquals(Serializer.Parse(output, target), Document()).ShouldBeTrue($"{from} -> {to}:\n{Encoding.UTF8.GetString(output)}");
    }

    [Theory]
    [MemberData(nameof(RecordPairs))]
    public void Convert_Records_BetweenAnyTwoFormats_KeepsTheRecords(string from, string to)
    {
        IFormat source = Formats.FromName(from);
        IFormat target = Formats.FromName(to);
        byte[] input = Serializer.Write(Records(), source);

        byte[] output = Serializer.Convert(input, source, target);

        JsonNode.DeepEquals(Serializer.Parse(output, target), Records()).ShouldBeTrue($"{from} -> {to}:\n{Encoding.UTF8.GetString(output)}");
    }

    [Fact]
    public void Convert_Files_ByExtension_WritesTarget()
    {
        string yaml = Path.Combine(_directory, "app.yaml");
        string toml = Path.Combine(_directory, "app.toml");
        File.WriteAllText(yaml, "title: demo\nserver:\n  port: 8080\n  tls: true\n");

        Serializer.Convert(yaml, toml);

        JsonNode back = Serializer.Load(toml)!;
        back["server"]!["port"]!.GetValue<long>().ShouldBe(8080);
        back["server"]!["tls"]!.GetValue<bool>().ShouldBeTrue();
        Directory.GetFiles(_directory).Length.ShouldBe(2, "no temp files left behind");
    }

    [Fact]
    public async Task ConvertAsync_CsvToJsonLines_Streams()
    {
        string csv = Path.Combine(_directory, "people.csv");
        string jsonl = Path.Combine(_directory, "people.jsonl");
        await File.WriteAllTextAsync(csv, "id,name\n1,Ada\n2,Linus\n", TestContext.Current.CancellationToken);

        await Serializer.ConvertAsync(csv, jsonl, cancellationToken: TestContext.Current.CancellationToken);

        (await File.ReadAllTextAsync(jsonl, TestContext.Current.CancellationToken)).ShouldBe("{\"id\":\"1\",\"name\":\"Ada\"}\n{\"id\":\"2\",\"name\":\"Linus\"}\n");
    }

    [Fact]
    public void Load_NoExtension_DetectsByContent()
    {
        string path = Path.Combine(_directory, "config");
        File.WriteAllText(path, "[server]\nhost = \"example.org\"\nport = 8080\n");

        Serializer.Load(path)!["server"]!["port"]!.GetValue<long>().ShouldBe(8080);
    }

    public sealed record Settings(string Theme, int FontSize, List<string> Plugins);

    [Fact]
    public async Task SaveLoad_TypedValue_EveryDocumentFormat()
    {
        var settings = new Settings("dark", 12, ["git", "lint"]);
        foreach (string extension in (string[])[".json", ".json5", ".yaml", ".toml"])
        {
            string path = Path.Combine(_directory, "settings" + extension);
            Serializer.Save(path, settings);
            Serializer.Load<Settings>(path).ShouldBeEquivalentTo(settings);

            await Serializer.SaveAsync(path, settings with { FontSize = 14 }, cancellationToken: TestContext.Current.CancellationToken);
            (await Serializer.LoadAsync<Settings>(path, cancellationToken: TestContext.Current.CancellationToken))!.FontSize.ShouldBe(14);
        }
    }

    [Fact]
    public void Save_NoExtension_ThrowsAskingForAFormat()
    {
        var ex = Should.Throw<SerializationException>(() => Serializer.Save(Path.Combine(_directory, "noext"), new JsonObject()));
        ex.Message.ShouldContain("pass the format");
    }

    [Fact]
    public void Save_ValueTheFormatCannotHold_LeavesExistingFileUntouched()
    {
        string path = Path.Combine(_directory, "keep.toml");
        File.WriteAllText(path, "a = 1\n");

        var ex = Should.Throw<SerializationException>(() => Serializer.Save(path, new JsonObject { ["a"] = null }));

        ex.Path.ShouldBe("$.a");
        File.ReadAllText(path).ShouldBe("a = 1\n");
        Directory.GetFiles(_directory).Length.ShouldBe(1);
    }

    [Fact]
    public void Load_FileOverMaxBytes_ThrowsLimitNamingTheOption()
    {
        string path = Path.Combine(_directory, "big.json");
        File.WriteAllText(path, "[" + new string(' ', 5000) + "]");

        var ex = Should.Throw<SerializationLimitException>(() => Serializer.Load(path, new SerializerOptions { MaxBytes = 1000 }));

        ex.LimitName.ShouldBe("MaxBytes");
        ex.Message.ShouldContain("SerializerOptions.MaxBytes");
    }
}
