using System.Text;

namespace XSystem.Serialization.Toml.Tests;

public sealed class TomlProbeTests
{
    private static double Probe(string text) => TomlText.Format.Probe(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("title = \"TOML Example\"\n\n[owner]\nname = \"Tom\"\ndob = 1979-05-27T07:32:00-08:00\n")]
    [InlineData("# config\n[[products]]\nname = \"Hammer\"\nsku = 738594937\n")]
    [InlineData("ports = [\n  8000,\n  8001,\n]\nenabled = true\n")]
    [InlineData("text = \"\"\"\nline one\nline two\n\"\"\"\nn = 1\n")]
    public void Probe_TomlDocuments_ScoreHigh(string text) => Probe(text).ShouldBeGreaterThan(0.7);

    [Theory]
    [InlineData("[section]\nname = John Smith\npath = C:\\temp\n")]
    [InlineData("; comment\n[db]\nhost = localhost\n")]
    public void Probe_IniDocuments_ScoreLow(string text) => Probe(text).ShouldBeLessThan(0.5);

    [Theory]
    [InlineData("")]
    [InlineData("{\"a\": 1}")]
    [InlineData("a: 1\nb:\n  - x\n")]
    [InlineData("<root><a>1</a></root>")]
    [InlineData("id,name\n1,Ada\n")]
    public void Probe_OtherFormats_ScoreZero(string text) => Probe(text).ShouldBe(0);
}
