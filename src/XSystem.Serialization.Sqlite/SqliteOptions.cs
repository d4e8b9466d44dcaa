namespace XSystem.Serialization.Sqlite;

/// <summary>
/// SQLite settings for <see cref="SqliteFormat"/>. Pass an instance in <see cref="SerializerOptions.FormatOptions"/>,
/// for example <c>new SerializerOptions { FormatOptions = [new SqliteOptions { VerifyIntegrity = false }] }</c>.
/// </summary>
/// <remarks>Thread safety: immutable after construction and safe to share across threads.</remarks>
public sealed class SqliteOptions : FormatOptions
{
    /// <summary>The default <see cref="RootArrayTable"/>: <c>data</c>.</summary>
    public const string DefaultRootArrayTable = "data";

    private readonly string? _rootArrayTable = DefaultRootArrayTable;

    /// <summary>
    /// The table that stands for a list: a tree whose root is an array of row objects is written as this one table, and
    /// a database whose only user table has exactly this name reads back as the array of its rows, so saving a list and
    /// loading it (for example as <c>List&lt;Person&gt;</c>) round-trips. Default <c>data</c>. Set to
    /// <see langword="null"/> to turn the convention off: every database then reads as an object of tables, and writing a
    /// root array throws.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty, holds a NUL character or starts with the reserved <c>sqlite_</c> prefix.</exception>
    public string? RootArrayTable
    {
        get => _rootArrayTable;
        init
        {
            if (value is not null && (value.Length == 0 || value.Contains('\0', StringComparison.Ordinal) || value.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"'{value}' cannot name a SQLite table: names may not be empty, hold NUL characters or start with 'sqlite_'.", nameof(value));
            }

            _rootArrayTable = value;
        }
    }

    /// <summary>
    /// Whether the reader runs SQLite's <c>PRAGMA quick_check</c> before reading, so a damaged file is reported as
    /// corrupted instead of yielding whatever rows are still readable. Costs one pass over the file. Default true.
    /// </summary>
    public bool VerifyIntegrity { get; init; } = true;
}
