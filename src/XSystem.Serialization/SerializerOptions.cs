using System.Text.Json;

namespace XSystem.Serialization;

/// <summary>
/// Limits and settings for <see cref="Serializer"/> and every <see cref="IFormat"/>. Immutable once built;
/// share one instance freely.
/// </summary>
/// <remarks>Thread safety: instances are immutable after construction and safe to share across threads.</remarks>
public sealed class SerializerOptions
{
    /// <summary>The default maximum nesting depth: 64 containers.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>The default maximum input size: 100 MiB.</summary>
    public const long DefaultMaxBytes = 100L * 1024 * 1024;

    private readonly int _maxDepth = DefaultMaxDepth;
    private readonly long _maxBytes = DefaultMaxBytes;

    /// <summary>Options with every default.</summary>
    public static SerializerOptions Default { get; } = new();

    /// <summary>
    /// The deepest nesting of objects and arrays a reader accepts and a writer produces. Default 64.
    /// Deeper input throws <see cref="SerializationLimitException"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1 or more than 10,000.</exception>
    public int MaxDepth
    {
        get => _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 10_000);
            _maxDepth = value;
        }
    }

    /// <summary>
    /// The largest input, in bytes, a reader accepts (for record formats: the largest single record). Default 100 MiB.
    /// Larger input throws <see cref="SerializationLimitException"/> before it is parsed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxBytes
    {
        get => _maxBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxBytes = value;
        }
    }

    /// <summary>Whether text writers indent nested content for people to read. Default true.</summary>
    public bool Indent { get; init; } = true;

    /// <summary>
    /// The System.Text.Json options that map .NET objects to and from the tree, for every format, so one set of
    /// attributes (<c>[JsonPropertyName]</c>, <c>[JsonIgnore]</c>, converters) governs all formats.
    /// Default: <see cref="JsonSerializerOptions.Default"/> semantics.
    /// </summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; init; }

    /// <summary>
    /// Per-format settings, at most one instance per type, for example
    /// <c>FormatOptions = [new CsvOptions { Delimiter = ';' }, new XmlOptions { RootName = "config" }]</c>.
    /// A format without an entry uses its defaults.
    /// </summary>
    public IReadOnlyCollection<FormatOptions> FormatOptions { get; init; } = [];

    /// <summary>Returns the configured settings of type <typeparamref name="T"/>, or a default instance.</summary>
    /// <typeparam name="T">The format's options type.</typeparam>
    /// <returns>The settings; never null.</returns>
    public T GetFormatOptions<T>()
        where T : FormatOptions, new()
    {
        foreach (FormatOptions entry in FormatOptions)
        {
            if (entry is T typed)
            {
                return typed;
            }
        }

        return FormatOptionsDefaults<T>.Instance;
    }

    private static class FormatOptionsDefaults<T>
        where T : FormatOptions, new()
    {
        public static readonly T Instance = new();
    }
}

/// <summary>The base of every per-format options class (<c>CsvOptions</c>, <c>XmlOptions</c>, <c>IniOptions</c> ...).</summary>
/// <remarks>Derived types are immutable (init-only properties) and safe to share across threads.</remarks>
public abstract class FormatOptions
{
}
