using System.Text.Json;

namespace XSystem.Security.Tests.Wycheproof;

/// <summary>One Wycheproof test case with its group's attributes merged in.</summary>
public sealed class WycheproofCase
{
    public WycheproofCase(JsonElement group, JsonElement test)
    {
        Group = group;
        Test = test;
        TcId = test.GetProperty("tcId").GetInt32();
        Result = test.GetProperty("result").GetString()!;
        Flags = test.TryGetProperty("flags", out var flags) ? [.. flags.EnumerateArray().Select(f => f.GetString()!)] : [];
    }

    public JsonElement Group { get; }

    public JsonElement Test { get; }

    public int TcId { get; }

    /// <summary>"valid", "invalid" or "acceptable".</summary>
    public string Result { get; }

    public IReadOnlyList<string> Flags { get; }

    public byte[] Hex(string name) => Convert.FromHexString(Test.GetProperty(name).GetString()!);

    public int Number(string name) => Test.GetProperty(name).GetInt32();

    public int GroupInt(string name) => Group.GetProperty(name).GetInt32();

    public override string ToString() => $"tcId {TcId} ({Result}; {string.Join(",", Flags)})";
}

/// <summary>Loads a Wycheproof vector file and counts outcomes per result class.</summary>
public static class WycheproofVectors
{
    public static IReadOnlyList<WycheproofCase> Load(string fileName)
    {
        var path = TestPaths.Wycheproof(fileName);
        File.Exists(path).ShouldBeTrue($"Wycheproof file missing: {path}");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var cases = new List<WycheproofCase>();
        foreach (var group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                cases.Add(new WycheproofCase(group.Clone(), test.Clone()));
            }
        }

        return cases;
    }
}

/// <summary>Per-file tallies reported by the Wycheproof tests.</summary>
public sealed class WycheproofTally(string file)
{
    public int Valid { get; set; }

    public int ValidMatched { get; set; }

    public int Invalid { get; set; }

    public int InvalidRejected { get; set; }

    public int Acceptable { get; set; }

    public int AcceptableAccepted { get; set; }

    public int AcceptableRejected { get; set; }

    /// <summary>Cases whose sizes the public API does not offer (for example a 16-byte AES-GCM nonce), rejected with ArgumentException.</summary>
    public int NotSupportedByApi { get; set; }

    public List<string> Failures { get; } = [];

    public string Summary() =>
        $"{file}: valid {ValidMatched}/{Valid} matched, invalid {InvalidRejected}/{Invalid} rejected, acceptable {Acceptable} " +
        $"({AcceptableAccepted} accepted, {AcceptableRejected} rejected), not supported by the API (ArgumentException) {NotSupportedByApi}";

    public void Report(ITestOutputHelper output)
    {
        output.WriteLine(Summary());
        TestContext.Current.SendDiagnosticMessage("Wycheproof " + Summary());
        Failures.ShouldBeEmpty(string.Join(Environment.NewLine, Failures.Take(20)));
    }
}
