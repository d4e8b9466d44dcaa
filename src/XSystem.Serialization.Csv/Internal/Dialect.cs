namespace XSystem.Serialization.Csv.Internal;

/// <summary>What differs between CSV and TSV: the name used in errors and whether the delimiter is fixed.</summary>
internal sealed class Dialect
{
    private Dialect(string name, char? fixedDelimiter)
    {
        Name = name;
        FixedDelimiter = fixedDelimiter;
    }

    public static Dialect Csv { get; } = new("csv", null);

    public static Dialect Tsv { get; } = new("tsv", '\t');

    public string Name { get; }

    public char? FixedDelimiter { get; }

    public char WriteDelimiter(CsvOptions options) => FixedDelimiter ?? options.Delimiter ?? ',';
}
