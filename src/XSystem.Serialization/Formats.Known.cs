namespace XSystem.Serialization;

public static partial class Formats
{
    /// <summary>JSON (RFC 8259) through System.Text.Json. Built in.</summary>
    public static IFormat Json => FromName("json");

    /// <summary>JSON Lines: one JSON value per line, streamed. Built in.</summary>
    public static IFormat JsonLines => FromName("jsonl");

    /// <summary>JSON5: JSON with comments, trailing commas, single quotes, unquoted keys, hex, Infinity and NaN. Built in.</summary>
    public static IFormat Json5 => FromName("json5");

    /// <summary>XML with a documented mapping to the tree; DTDs prohibited. Built in.</summary>
    public static IFormat Xml => FromName("xml");

    /// <summary>INI files: sections, comments, duplicate-key and case policies. Built in.</summary>
    public static IFormat Ini => FromName("ini");

    /// <summary>YAML 1.2 (safe loading). Needs the XSystem.Serialization.Yaml package.</summary>
    /// <exception cref="FormatNotAvailableException">The package is not referenced.</exception>
    public static IFormat Yaml => FromName("yaml");

    /// <summary>TOML. Needs the XSystem.Serialization.Toml package.</summary>
    /// <exception cref="FormatNotAvailableException">The package is not referenced.</exception>
    public static IFormat Toml => FromName("toml");

    /// <summary>CSV (RFC 4180). Needs the XSystem.Serialization.Csv package.</summary>
    /// <exception cref="FormatNotAvailableException">The package is not referenced.</exception>
    public static IFormat Csv => FromName("csv");

    /// <summary>TSV (tab-separated values). Needs the XSystem.Serialization.Csv package.</summary>
    /// <exception cref="FormatNotAvailableException">The package is not referenced.</exception>
    public static IFormat Tsv => FromName("tsv");
}
