using System.Text;
using XSystem.Serialization;

namespace XSystem.Tests;

/// <summary>Content detection on content alone: each sample must be named as its format, whatever its (absent) extension.</summary>
public class DetectionTests
{
    public static TheoryData<string, string> TextSamples() => new()
    {
        // JSON
        { "json", """{"name": "demo", "port": 8080, "tags": ["a", "b"]}""" },
        { "json", "[1, 2, 3]" },
        { "json", "{\n  \"server\": {\n    \"host\": \"example.org\",\n    \"tls\": true\n  }\n}\n" },
        { "json", "[\n  {\"id\": 1},\n  {\"id\": 2}\n]" },
        // JSON Lines
        { "jsonl", "{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \"b\"}\n{\"id\": 3, \"name\": \"c\"}\n" },
        { "jsonl", "[1, 2]\n[3, 4]\n" },
        { "jsonl", "{\"event\":\"start\"}\n{\"event\":\"stop\"}" },
        // JSON5
        { "json5", "// settings\n{\n  name: 'demo',\n  port: 8080,\n}\n" },
        { "json5", "{ unquoted: true, hex: 0xFF, trailing: [1, 2,], }" },
        { "json5", "/* block */ { \"a\": .5, \"b\": +Infinity }" },
        // YAML
        { "yaml", "name: demo\nport: 8080\ntags:\n  - a\n  - b\n" },
        { "yaml", "---\nserver:\n  host: example.org\n  tls: true\n" },
        { "yaml", "- apple\n- banana\n- cherry\n" },
        { "yaml", "# config\nlogging:\n  level: debug\n  targets: [console, file]\n" },
        { "yaml", "key: value\nlist:\n- one\n- two\nnested:\n  deeper:\n    deepest: 1\n" },
        // TOML
        { "toml", "title = \"demo\"\n\n[server]\nhost = \"example.org\"\nport = 8080\n" },
        { "toml", "[[fruits]]\nname = \"apple\"\n\n[[fruits]]\nname = \"banana\"\n" },
        { "toml", "name = \"x\"\nenabled = true\nratio = 0.5\ncreated = 1979-05-27T07:32:00Z\n" },
        { "toml", "[database]\nports = [ 8000, 8001, 8002 ]\nconnection_max = 5000\n" },
        // INI
        { "ini", "; comment\n[server]\nhost = example.org\nport = 8080\n" },
        { "ini", "[general]\nname=My App\npath=C:\\Program Files\\App\n\n[user]\nemail=a@b.c\n" },
        { "ini", "# settings\n[section]\nkey: value with spaces\nother: 1\n" },
        // XML
        { "xml", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<config><name>demo</name></config>" },
        { "xml", "<root attr=\"1\">\n  <item>a</item>\n  <item>b</item>\n</root>" },
        { "xml", "<ns:doc xmlns:ns=\"urn:x\"><ns:a>1</ns:a></ns:doc>" },
        // CSV
        { "csv", "id,name,city\n1,Ada,London\n2,Linus,Helsinki\n" },
        { "csv", "id;name;city\n1;Ada;London\n2;Linus;Helsinki\n" },
        { "csv", "name,quote\n\"Ada\",\"said \"\"hi\"\"\"\n\"Bob\",\"multi\nline\"\n" },
        { "csv", "a,b\r\n1,2\r\n3,4\r\n" },
        // TSV
        { "tsv", "id\tname\tcity\n1\tAda\tLondon\n2\tLinus\tHelsinki\n" },
        { "tsv", "a\tb\n\"x\ty\"\tz\n" },
    };

    [Theory]
    [MemberData(nameof(TextSamples))]
    public void Detect_TextSample_NamesItsFormat(string expected, string sample)
    {
        FormatMatch? match = Formats.Detect(Encoding.UTF8.GetBytes(sample));

        match.ShouldNotBeNull($"nothing detected for: {sample}");
        match.Value.Format.Name.ShouldBe(expected, $"sample: {sample}");
        match.Value.Confidence.ShouldBeInRange(Formats.MinimumConfidence, 1);
    }

    [Theory]
    [MemberData(nameof(TextSamples))]
    public void Detect_TextSample_ParsesWithTheDetectedFormat(string expected, string sample)
    {
        IFormat format = Formats.FromName(expected);
        Should.NotThrow(() => format.Parse(Encoding.UTF8.GetBytes(sample), SerializerOptions.Default));
    }

    public static TheoryData<string> BinaryAndWebFormats() =>
        ["cbor", "bplist", "plist", "sqlite", "multipart", "form", "msgpack", "bson", "pickle"];

    /// <summary>A document each of these formats holds: an object of strings (form and multipart hold nothing deeper).</summary>
    private static System.Text.Json.Nodes.JsonObject SampleFor(string format) => format switch
    {
        "sqlite" => new System.Text.Json.Nodes.JsonObject
        {
            ["people"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["id"] = 1, ["name"] = "Ada" },
                new System.Text.Json.Nodes.JsonObject { ["id"] = 2, ["name"] = "Linus" }),
        },
        _ => new System.Text.Json.Nodes.JsonObject { ["name"] = "demo", ["owner"] = "Ada", ["city"] = "London" },
    };

    [Theory]
    [MemberData(nameof(BinaryAndWebFormats))]
    public void Detect_OutputOfEachFormat_NamesThatFormat(string name)
    {
        IFormat format = Formats.FromName(name);
        byte[] bytes = Serializer.Write(SampleFor(name), format);

        FormatMatch? match = Formats.Detect(bytes);

        match.ShouldNotBeNull($"nothing detected for {name} output");
        match.Value.Format.Name.ShouldBe(name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n  ")]
    public void Detect_Empty_IsNull(string sample) =>
        Formats.Detect(Encoding.UTF8.GetBytes(sample)).ShouldBeNull();

    [Fact]
    public void Detect_TruncatedJson_StillJson()
    {
        string big = "[" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"{{\"id\":{i},\"name\":\"n{i}\"}}")) + "]";
        Formats.Detect(Encoding.UTF8.GetBytes(big))!.Value.Format.Name.ShouldBe("json");
    }
}
