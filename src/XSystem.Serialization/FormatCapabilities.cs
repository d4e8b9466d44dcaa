namespace XSystem.Serialization;

/// <summary>What a format can do.</summary>
[Flags]
public enum FormatCapabilities
{
    /// <summary>Nothing beyond the basics.</summary>
    None = 0,

    /// <summary>The encoding is text (UTF-8 unless the format says otherwise); otherwise it is binary.</summary>
    Text = 1 << 0,

    /// <summary>Reads to and writes from the <see cref="System.Text.Json.Nodes.JsonNode"/> tree (every format has this).</summary>
    Tree = 1 << 1,

    /// <summary>Has a typed path of its own (<see cref="ITypedFormat"/>); others map types through the tree.</summary>
    Typed = 1 << 2,

    /// <summary>Streams records (<see cref="IRecordFormat"/>).</summary>
    Records = 1 << 3,

    /// <summary>A stream may hold several documents (YAML <c>---</c>).</summary>
    MultiDocument = 1 << 4,

    /// <summary>Accepts comments on read (JSON5, YAML, TOML, INI, XML).</summary>
    Comments = 1 << 5,
}
