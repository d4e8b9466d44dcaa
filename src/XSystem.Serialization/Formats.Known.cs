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

    /// <summary>MessagePack. Needs the XSystem.Serialization.MessagePack package.</summary>
    /// <exception cref="FormatNotAvailableException">The package is not referenced.</exception>
    public static IFormat MessagePack => FromName("msgpack");

    /// <summary>CBOR (RFC 8949). Built in.</summary>
    public static IFormat Cbor => FromName("cbor");

    /// <summary>BSON (MongoDB documents, Extended JSON v2 mapping). Needs the XSystem.Serialization.Bson package.</summary>
    /// <exception cref="FormatNotAvailableException">The package is not referenced.</exception>
    public static IFormat Bson => FromName("bson");

    /// <summary>Apple property list, XML form. Built in.</summary>
    public static IFormat Plist => FromName("plist");

    /// <summary>Apple property list, binary form (<c>bplist00</c>). Built in.</summary>
    public static IFormat BinaryPlist => FromName("bplist");

    /// <summary>SQLite database files as <c>{ table: [ rows ] }</c>. Needs the XSystem.Serialization.Sqlite package.</summary>
    /// <exception cref="FormatNotAvailableException">The package is not referenced.</exception>
    public static IFormat Sqlite => FromName("sqlite");

    /// <summary>HTML form URL encoding (<c>application/x-www-form-urlencoded</c>, WHATWG). Built in.</summary>
    public static IFormat FormUrlEncoded => FromName("form");

    /// <summary>Multipart form data (RFC 7578). Built in.</summary>
    public static IFormat Multipart => FromName("multipart");

    /// <summary>Python pickle, restricted to plain data (no arbitrary globals). Built in.</summary>
    public static IFormat Pickle => FromName("pickle");
}
