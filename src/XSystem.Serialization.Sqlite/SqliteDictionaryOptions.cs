namespace XSystem.Serialization.Sqlite;

/// <summary>How hard a <see cref="SqliteDictionary{TValue}"/> commit works to survive a power cut.</summary>
public enum SqliteDurability
{
    /// <summary>
    /// SQLite <c>synchronous=FULL</c>: a commit is on stable storage when the call returns, even across a power cut
    /// or an operating-system crash. The default.
    /// </summary>
    Full,

    /// <summary>
    /// SQLite <c>synchronous=NORMAL</c> (in WAL mode): faster commits that survive a crash of the process but may roll
    /// back the last transactions on a power cut or an operating-system crash. The file is never corrupted either way.
    /// </summary>
    Normal,
}

/// <summary>Settings for <see cref="SqliteDictionary{TValue}"/>. Validated when set.</summary>
/// <remarks>Thread safety: immutable after construction and safe to share across threads.</remarks>
public sealed class SqliteDictionaryOptions
{
    /// <summary>The default <see cref="TableName"/>: <c>xsystem_dict</c>.</summary>
    public const string DefaultTableName = "xsystem_dict";

    /// <summary>The default <see cref="BusyTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    private readonly IFormat? _format;
    private readonly string _tableName = DefaultTableName;
    private readonly TimeSpan _busyTimeout = DefaultBusyTimeout;

    /// <summary>
    /// The format values are stored in. Default <see cref="Formats.Json"/> (stored as text, so other SQLite tools can
    /// read it). Binary formats are stored as BLOBs. Every process opening the file must use the same format.
    /// </summary>
    public IFormat Format
    {
        get => _format ?? Formats.Json;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _format = value;
        }
    }

    /// <summary>
    /// The options values are encoded and decoded with (limits, <see cref="SerializerOptions.JsonSerializerOptions"/> for
    /// the object mapping, per-format settings). Default <see cref="SerializerOptions.Default"/>.
    /// </summary>
    public SerializerOptions? SerializerOptions { get; init; }

    /// <summary>
    /// The table the entries live in, created when missing. Several dictionaries can share one file under different
    /// table names. Default <c>xsystem_dict</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty, holds a NUL character or starts with the reserved <c>sqlite_</c> prefix.</exception>
    public string TableName
    {
        get => _tableName;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            if (value.Contains('\0', StringComparison.Ordinal) || value.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"'{value}' cannot name a SQLite table: names may not hold NUL characters or start with 'sqlite_'.", nameof(value));
            }

            _tableName = value;
        }
    }

    /// <summary>
    /// How long an operation waits for the database while another process (or another transaction of this instance)
    /// holds the write lock, before it throws <see cref="SqliteDictionaryBusyException"/>. Default 5 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or longer than 24 days.</exception>
    public TimeSpan BusyTimeout
    {
        get => _busyTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMilliseconds(int.MaxValue));
            _busyTimeout = value;
        }
    }

    /// <summary>How hard a commit works to survive a power cut. Default <see cref="SqliteDurability.Full"/>.</summary>
    public SqliteDurability Durability { get; init; } = SqliteDurability.Full;
}
