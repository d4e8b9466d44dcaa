namespace XSystem.Serialization;

/// <summary>
/// JSON5 settings for writing (the reader accepts all of JSON5 and needs none). Pass an instance in
/// <see cref="SerializerOptions.FormatOptions"/>.
/// </summary>
/// <remarks>Thread safety: immutable once built; share one instance freely.</remarks>
public sealed class Json5Options : FormatOptions
{
    private readonly int _indentSize = 2;

    /// <summary>Write strings in single quotes instead of double quotes. Default false (double quotes, readable by JSON tools).</summary>
    public bool SingleQuotes { get; init; }

    /// <summary>Quote every member name, even those that are valid identifiers. Default false (identifiers stay unquoted).</summary>
    public bool QuoteKeys { get; init; }

    /// <summary>Write a comma after the last member or item of every non-empty container (indented output only matters to readers). Default false.</summary>
    public bool TrailingCommas { get; init; }

    /// <summary>Spaces per nesting level when <see cref="SerializerOptions.Indent"/> is on. Default 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or more than 16.</exception>
    public int IndentSize
    {
        get => _indentSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 16);
            _indentSize = value;
        }
    }
}
