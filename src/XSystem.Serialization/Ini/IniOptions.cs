namespace XSystem.Serialization;

/// <summary>What the INI reader does with a key that occurs twice in one section.</summary>
public enum IniDuplicateKeys
{
    /// <summary>Reject the document with a <see cref="SerializationException"/> naming the line. The default.</summary>
    Error,

    /// <summary>Keep the last value.</summary>
    LastWins,

    /// <summary>Collect the values into an array, in order; the writer writes an array as repeated keys.</summary>
    Array,
}

/// <summary>How the INI reader treats the case of keys and section names.</summary>
public enum IniKeyCase
{
    /// <summary>Keep keys as written and compare them case-sensitively. The default.</summary>
    Preserve,

    /// <summary>Compare keys case-insensitively (<c>Name</c> and <c>name</c> are the same key); the first spelling is kept.</summary>
    Insensitive,

    /// <summary>Lower-case every key and section name (invariant culture), then compare.</summary>
    Lower,
}

/// <summary>
/// Settings for the INI dialect (see <see cref="IniFormat"/>). Pass an instance in <see cref="SerializerOptions.FormatOptions"/>.
/// </summary>
/// <remarks>Thread safety: immutable once built; share one instance freely.</remarks>
public sealed class IniOptions : FormatOptions
{
    /// <summary>What to do with a key repeated within a section. Default <see cref="IniDuplicateKeys.Error"/>.</summary>
    public IniDuplicateKeys DuplicateKeys { get; init; } = IniDuplicateKeys.Error;

    /// <summary>How to treat the case of keys and section names. Default <see cref="IniKeyCase.Preserve"/>.</summary>
    public IniKeyCase KeyCase { get; init; } = IniKeyCase.Preserve;

    /// <summary>
    /// Whether <c>;</c> or <c>#</c> after white space ends an unquoted value (<c>port = 80 ; http</c> reads as <c>80</c>).
    /// Default false: only whole-line comments, so values may contain <c>;</c> and <c>#</c>.
    /// </summary>
    public bool InlineComments { get; init; }

    /// <summary>
    /// Whether a line with a key and no <c>=</c> or <c>:</c> is allowed; it reads as null, and the writer writes null as such a
    /// bare key. Default false: such a line is an error, and writing null throws.
    /// </summary>
    public bool AllowKeysWithoutValue { get; init; }
}
