using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Json;

/// <summary>JSONTestSuite (../shared/conformance/json/test_parsing): y_ must parse, n_ must be rejected, i_ either, none may crash.</summary>
public class JsonTestSuiteTests
{
    private static readonly string SuiteDirectory = TestPaths.Conformance("json", "test_parsing");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(SuiteDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void Suite_IsPresent() => Cases().Count.ShouldBeGreaterThan(300);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_BehavesAsTheSuiteExpects(string name)
    {
        byte[] data = File.ReadAllBytes(Path.Combine(SuiteDirectory, name));
        var options = new SerializerOptions { MaxDepth = 1000 };
        switch (name[0])
        {
            case 'y':
                Should.NotThrow(() => Formats.Json.Parse(data, options), name);
                break;
            case 'n':
                Should.Throw<SerializationException>(() => Formats.Json.Parse(data, options), name);
                break;
            default:
                try
                {
                    Formats.Json.Parse(data, options);
                }
                catch (SerializationException)
                {
                    // Implementation-defined: rejecting cleanly is fine; any other exception type fails.
                }

                break;
        }
    }
}
