using System.Buffers;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests;

public class FormatsTests
{
    [Theory]
    [InlineData("json", "json")]
    [InlineData("JSON", "json")]
    [InlineData(" jsonl ", "jsonl")]
    [InlineData("ndjson", "jsonl")]
    [InlineData("json5", "json5")]
    [InlineData("xml", "xml")]
    [InlineData("ini", "ini")]
    public void FromName_BuiltInNamesAndAliases_Resolve(string name, string expected) =>
        Formats.FromName(name).Name.ShouldBe(expected);

    [Theory]
    [InlineData(".json", "json")]
    [InlineData("JSON", "json")]
    [InlineData("data/config.JSON", "json")]
    [InlineData(".ndjson", "jsonl")]
    public void FromExtension_Resolves(string extension, string expected) =>
        Formats.FromExtension(extension).Name.ShouldBe(expected);

    [Theory]
    [InlineData("application/json; charset=utf-8", "json")]
    [InlineData("APPLICATION/X-NDJSON", "jsonl")]
    public void FromMediaType_IgnoresParametersAndCase(string mediaType, string expected) =>
        Formats.FromMediaType(mediaType).Name.ShouldBe(expected);

    [Fact]
    public void FromName_Unknown_ThrowsNamingNoPackage()
    {
        var ex = Should.Throw<FormatNotAvailableException>(() => Formats.FromName("klingon"));
        ex.PackageName.ShouldBeNull();
        ex.Message.ShouldContain("klingon");
        Formats.TryFromName("klingon", out _).ShouldBeFalse();
    }

    [Fact]
    public void FromName_SatelliteNotReferenced_NamesThePackage()
    {
        // This test project does not reference the BSON satellite.
        var ex = Should.Throw<FormatNotAvailableException>(() => Formats.FromName("bson"));
        ex.PackageName.ShouldBe("XSystem.Serialization.Bson");
        ex.Message.ShouldContain("dotnet add package XSystem.Serialization.Bson");
    }

    [Fact]
    public void FromExtension_SatelliteNotReferenced_NamesThePackage() =>
        Should.Throw<FormatNotAvailableException>(() => Formats.FromExtension(".bson")).PackageName.ShouldBe("XSystem.Serialization.Bson");

    private sealed class ShoutFormat : IFormat
    {
        public string Name => "shout";

        public IReadOnlyList<string> Aliases { get; } = ["loud"];

        public IReadOnlyList<string> Extensions { get; } = [".shout"];

        public IReadOnlyList<string> MediaTypes { get; } = ["text/x-shout"];

        public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree;

        public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options) => JsonValue.Create(System.Text.Encoding.UTF8.GetString(data).ToUpperInvariant());

        public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options) =>
            output.Write(System.Text.Encoding.UTF8.GetBytes(tree!.GetValue<string>().ToUpperInvariant()));

        public double Probe(ReadOnlySpan<byte> sample) => 0;
    }

    [Fact]
    public void Register_CustomFormat_IsFoundEverywhere()
    {
        Formats.Register(new ShoutFormat());

        Formats.FromName("loud").Name.ShouldBe("shout");
        Formats.FromExtension(".shout").Name.ShouldBe("shout");
        Formats.FromMediaType("text/x-shout").Name.ShouldBe("shout");
        Formats.All.ShouldContain(f => f.Name == "shout");
        Serializer.WriteToString(JsonValue.Create("hi"), Formats.FromName("shout")).ShouldBe("HI");
    }

    [Fact]
    public void All_ContainsBuiltIns() =>
        Formats.All.Select(f => f.Name).ShouldContain("jsonl");
}
