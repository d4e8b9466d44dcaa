using System.Text.Json.Nodes;
using XSystem.Serialization;

namespace XSystem.Tests;

/// <summary>Referencing a satellite package is all it takes: no registration call.</summary>
public class SatelliteDiscoveryTests
{
    [Theory]
    [InlineData("yaml", ".yml")]
    [InlineData("toml", ".toml")]
    [InlineData("csv", ".csv")]
    [InlineData("tsv", ".tsv")]
    public void FromName_ReferencedSatellite_Resolves(string name, string extension)
    {
        Formats.FromName(name).Name.ShouldBe(name);
        Formats.FromExtension(extension).Name.ShouldBe(name);
    }

    [Fact]
    public void Load_YamlFile_WorksWithoutRegistration()
    {
        string directory = Directory.CreateTempSubdirectory("xsys-sat-").FullName;
        try
        {
            string path = Path.Combine(directory, "app.yaml");
            File.WriteAllText(path, "name: demo\nports: [80, 443]\n");

            JsonNode tree = Serializer.Load(path)!;

            tree["name"]!.GetValue<string>().ShouldBe("demo");
            tree["ports"]![1]!.GetValue<long>().ShouldBe(443);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void All_ListsEveryTextFormat()
    {
        var names = Formats.All.Select(f => f.Name).ToList();
        foreach (string expected in (string[])["json", "jsonl", "json5", "xml", "ini", "yaml", "toml", "csv", "tsv"])
        {
            names.ShouldContain(expected);
        }
    }

    [Fact]
    public void All_HasThe18Formats()
    {
        string[] expected =
        [
            "json", "jsonl", "json5", "xml", "ini", "yaml", "toml", "csv", "tsv",
            "msgpack", "cbor", "bson", "plist", "bplist", "sqlite", "form", "multipart", "pickle",
        ];

        Formats.All.Select(f => f.Name).Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal));
        foreach (string name in expected)
        {
            // Every name resolves through the Formats property of the same name as well.
            Formats.FromName(name).Name.ShouldBe(name);
        }

        Formats.MessagePack.Name.ShouldBe("msgpack");
        Formats.BinaryPlist.Name.ShouldBe("bplist");
        Formats.FormUrlEncoded.Name.ShouldBe("form");
        Formats.Sqlite.Name.ShouldBe("sqlite");
    }
}
