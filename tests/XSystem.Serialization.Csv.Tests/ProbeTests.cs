using System.Text;

namespace XSystem.Serialization.Csv.Tests;

public sealed class ProbeTests
{
    private static readonly CsvFormat Csv = new();
    private static readonly TsvFormat Tsv = new();

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static TheoryData<string> CsvSamples() =>
    [
        "id,name,city\n1,Ada,London\n2,Linus,Helsinki\n",
        "id;name;price\r\n1;Ada;1,50\r\n2;Linus;2,75\r\n",
        "a|b|c\n1|2|3\n4|5|6\n",
        "name,comment\n\"Doe, Jane\",\"said \"\"hi\"\"\"\nBob,\"multi\nline\"\n",
        "\uFEFFx,y\n1,2\n3,4\n",
    ];

    public static TheoryData<string> TsvSamples() =>
    [
        "id\tname\tcity\n1\tAda\tLondon\n2\tLinus\tHelsinki\n",
        "a\tb\r\n1,5\t2,5\r\n3,5\t4,5\r\n",
        "col\tnote\nx\t\"a\tb\"\ny\tplain\n",
    ];

    [Theory]
    [MemberData(nameof(CsvSamples))]
    public void Probe_CsvSample_CsvScoresHighAndAboveTsv(string sample)
    {
        double csv = Csv.Probe(Bytes(sample));
        double tsv = Tsv.Probe(Bytes(sample));

        csv.ShouldBeGreaterThan(0.6);
        csv.ShouldBeGreaterThan(tsv);
    }

    [Theory]
    [MemberData(nameof(TsvSamples))]
    public void Probe_TsvSample_TsvScoresHighAndAboveCsv(string sample)
    {
        double csv = Csv.Probe(Bytes(sample));
        double tsv = Tsv.Probe(Bytes(sample));

        tsv.ShouldBeGreaterThan(0.6);
        tsv.ShouldBeGreaterThan(csv);
    }

    [Theory]
    [InlineData("{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":4}\n")]
    [InlineData("[1, 2, 3]")]
    [InlineData("<root><a>1,2</a></root>")]
    [InlineData("[server]\nhost = example.org, backup\nport = 80\n")]
    [InlineData("name: demo\ntags: a, b\nsize: 3\n")]
    [InlineData("just one word")]
    public void Probe_OtherFormats_ScoreLow(string sample)
    {
        Csv.Probe(Bytes(sample)).ShouldBeLessThan(0.3);
        Tsv.Probe(Bytes(sample)).ShouldBeLessThan(0.3);
    }

    [Fact]
    public void Probe_EmptyOrBinary_Zero()
    {
        Csv.Probe([]).ShouldBe(0);
        Tsv.Probe([]).ShouldBe(0);
        Csv.Probe([0x00, 0x01, 0x2C, 0x02, 0x0A, 0x2C]).ShouldBe(0);
        Csv.Probe([0xFF, 0xFE, 0x2C, 0x41, 0x0A, 0x2C, 0x42, 0x0A, 0x41, 0x2C]).ShouldBe(0);
    }

    [Fact]
    public void Probe_SampleCutMidRecord_StillScoresHigh()
    {
        var text = new StringBuilder("id,name,value\n");
        for (int i = 0; text.Length < 5000; i++)
        {
            text.Append(i).Append(",name ").Append(i).Append(',').Append(i * 3).Append('\n');
        }

        byte[] sample = Bytes(text.ToString())[..4096];

        Csv.Probe(sample).ShouldBeGreaterThan(0.6);
    }

    [Fact]
    public void Probe_RandomBytes_NeverThrows()
    {
        var random = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            byte[] sample = new byte[random.Next(0, 300)];
            random.NextBytes(sample);
            double csv = Csv.Probe(sample);
            double tsv = Tsv.Probe(sample);
            csv.ShouldBeInRange(0, 1);
            tsv.ShouldBeInRange(0, 1);
        }
    }
}
