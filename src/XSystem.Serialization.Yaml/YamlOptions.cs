namespace XSystem.Serialization.Yaml;

/// <summary>
/// YAML settings for <see cref="YamlFormat"/>. Pass an instance in <see cref="SerializerOptions.FormatOptions"/>,
/// for example <c>new SerializerOptions { FormatOptions = [new YamlOptions { UnknownTags = YamlUnknownTagHandling.Ignore }] }</c>.
/// </summary>
/// <remarks>Thread safety: immutable after construction and safe to share across threads.</remarks>
public sealed class YamlOptions : FormatOptions
{
    /// <summary>The default <see cref="MaxAliasExpansion"/>: 100,000 nodes.</summary>
    public const long DefaultMaxAliasExpansion = 100_000;

    /// <summary>The default <see cref="IndentSize"/>: 2 spaces.</summary>
    public const int DefaultIndentSize = 2;

    private readonly long _maxAliasExpansion = DefaultMaxAliasExpansion;
    private readonly int _indentSize = DefaultIndentSize;

    /// <summary>
    /// What the reader does with a tag it does not know (anything but the YAML standard tags, for example
    /// <c>!!python/object</c> or <c>!MyType</c>). Default <see cref="YamlUnknownTagHandling.Reject"/>.
    /// No tag ever selects a .NET type, whatever this setting.
    /// </summary>
    public YamlUnknownTagHandling UnknownTags { get; init; } = YamlUnknownTagHandling.Reject;

    /// <summary>
    /// The most nodes the reader may create by expanding aliases (<c>*name</c>) in one call, counting every
    /// scalar, mapping and sequence each alias copies. Default 100,000 (far more than configuration files copy; raise it for large data files built from aliases). Input that needs more (a
    /// "billion laughs" document) throws <see cref="SerializationLimitException"/> before the copies are made.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MaxAliasExpansion
    {
        get => _maxAliasExpansion;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxAliasExpansion = value;
        }
    }

    /// <summary>
    /// Whether the reader honours YAML 1.1 merge keys (<c>&lt;&lt;: *defaults</c>), copying the keys of the merged
    /// mapping(s) that the mapping does not set itself. Default true. When false, <c>&lt;&lt;</c> is an ordinary key.
    /// </summary>
    public bool MergeKeys { get; init; } = true;

    /// <summary>Spaces per nesting level in written block-style YAML. Default 2; 1 to 9.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1 or more than 9.</exception>
    public int IndentSize
    {
        get => _indentSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 9);
            _indentSize = value;
        }
    }
}

/// <summary>What the YAML reader does with a tag it does not know.</summary>
public enum YamlUnknownTagHandling
{
    /// <summary>Throw <see cref="SerializationException"/> naming the tag and its position (the default).</summary>
    Reject = 0,

    /// <summary>Drop the tag and read the node as if it had none (plain scalars are resolved by the core schema).</summary>
    Ignore = 1,
}
