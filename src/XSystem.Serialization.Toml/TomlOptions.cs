namespace XSystem.Serialization.Toml;

/// <summary>The edition of the TOML specification a reader enforces.</summary>
public enum TomlVersion
{
    /// <summary>
    /// TOML 1.0.0: inline tables on one line without a trailing comma, times with seconds, only the 1.0 escapes.
    /// </summary>
    Toml10 = 0,

    /// <summary>
    /// TOML 1.1.0: also accepts newlines, comments and a trailing comma inside inline tables, times without seconds,
    /// and the <c>\e</c> and <c>\xHH</c> escapes.
    /// </summary>
    Toml11 = 1,
}

/// <summary>
/// Settings of the TOML format. Pass an instance in <see cref="SerializerOptions.FormatOptions"/>, for example
/// <c>new SerializerOptions { FormatOptions = [new TomlOptions { Version = TomlVersion.Toml11 }] }</c>.
/// </summary>
/// <remarks>Thread safety: instances are immutable after construction and safe to share across threads.</remarks>
public sealed class TomlOptions : FormatOptions
{
    private readonly TomlVersion _version = TomlVersion.Toml10;

    /// <summary>
    /// The specification the reader enforces. Default <see cref="TomlVersion.Toml10"/>: documents that use TOML 1.1
    /// additions are rejected. The writer's output is valid under both editions.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="TomlVersion"/>.</exception>
    public TomlVersion Version
    {
        get => _version;
        init
        {
            if (value is not (TomlVersion.Toml10 or TomlVersion.Toml11))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Version must be TomlVersion.Toml10 or TomlVersion.Toml11.");
            }

            _version = value;
        }
    }
}
