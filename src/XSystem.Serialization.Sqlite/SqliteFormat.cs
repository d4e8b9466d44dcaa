using System.Buffers;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using XSystem.Serialization;
using XSystem.Serialization.Internal;
using XSystem.Serialization.Sqlite;
using XSystem.Serialization.Sqlite.Internal;

[assembly: RegisterFormat(typeof(SqliteFormat))]

namespace XSystem.Serialization.Sqlite;

/// <summary>
/// SQLite database files as trees: every user table becomes a member of the root object, holding its rows as objects
/// in column order, <c>{ "table": [ { "column": value } ] }</c>. INTEGER reads as a 64-bit integer, REAL as a double,
/// TEXT as a string, BLOB as a byte array, NULL as null; columns declared BOOLEAN, JSON, DATETIME, DATE or TIME (as the
/// writer declares them) read back as booleans, subtrees and dates. Views, triggers, indexes, virtual tables and SQLite's
/// own <c>sqlite_*</c> tables are not part of the tree.
/// </summary>
/// <remarks>
/// <para>
/// Reading never touches the file system: the bytes are copied into SQLite's memory (<c>sqlite3_deserialize</c>) and
/// opened read-only, in defensive mode with an untrusted schema, triggers, views and extension loading disabled,
/// <c>query_only</c> on, and <see cref="SerializerOptions.MaxBytes"/> bounding both the input and every value.
/// Input that is not a SQLite database, or is damaged, throws <see cref="SerializationException"/>.
/// </para>
/// <para>
/// Writing builds a new database in memory in one transaction, one table per member, column types inferred from the
/// values (one kind of value: INTEGER, REAL, TEXT, BLOB, BOOLEAN, JSON, DATETIME, DATE or TIME; a mix: no declared type,
/// so each value keeps its own storage class), with identifiers quoted and every value bound as a parameter.
/// <see cref="Serializer.Save{T}(string, T, SerializerOptions?, IFormat?)"/> publishes the bytes atomically.
/// </para>
/// <para>Available as <see cref="Formats.Sqlite"/> once this package is referenced (no registration call).
/// Thread safety: stateless; one instance serves any number of threads.</para>
/// </remarks>
public sealed class SqliteFormat : IFormat
{
    internal const string FormatName = "sqlite";

    private static ReadOnlySpan<byte> Header => "SQLite format 3\0"u8;

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public IReadOnlyList<string> Aliases { get; } = ["sqlite3", "db"];

    /// <inheritdoc/>
    public IReadOnlyList<string> Extensions { get; } = [".sqlite", ".sqlite3", ".db"];

    /// <inheritdoc/>
    public IReadOnlyList<string> MediaTypes { get; } = ["application/vnd.sqlite3", "application/x-sqlite3"];

    /// <inheritdoc/>
    public FormatCapabilities Capabilities => FormatCapabilities.Tree;

    /// <summary>Reads every user table of a database file into <c>{ table: [ {column: value} ] }</c>.</summary>
    /// <param name="data">The bytes of a database file. Empty input is an empty database and gives an empty object.</param>
    /// <param name="options">Limits and <see cref="SqliteOptions"/>.</param>
    /// <returns>An object with one member per table, in creation order.</returns>
    /// <exception cref="SerializationException">The input is not a SQLite database, or is damaged.</exception>
    /// <exception cref="SerializationLimitException">The input, a value, or the tree it would give breaks
    /// <see cref="SerializerOptions.MaxBytes"/>, or a JSON cell breaks <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        if (data.IsEmpty)
        {
            return new JsonObject();
        }

        if (!data.StartsWith(Header))
        {
            throw new SerializationException(FormatName, "the input is not a SQLite database: it does not start with the header \"SQLite format 3\"", excerpt: HeaderExcerpt(data));
        }

        using SqliteConnection connection = MemoryDatabase.OpenEmpty();
        MemoryDatabase.Harden(connection, options.MaxBytes);
        int rc = MemoryDatabase.Load(connection, data);
        if (rc != raw.SQLITE_OK)
        {
            throw new SerializationException(FormatName, $"SQLite could not load the database image (result code {rc}: {raw.sqlite3_errstr(rc).utf8_to_string()})");
        }

        try
        {
            return new SqliteTreeReader(connection, options).Read();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, options);
        }
    }

    /// <summary>Writes a tree as a new database file: one table per member of the root object.</summary>
    /// <param name="tree">An object whose members are arrays of row objects, or an array of row objects (written as the
    /// table <see cref="SqliteOptions.RootArrayTable"/>). Cells are scalars, byte arrays, dates, or objects and arrays
    /// (stored as JSON text in a column declared JSON).</param>
    /// <param name="output">Where the bytes of the database file go.</param>
    /// <param name="options">Limits and <see cref="SqliteOptions"/>.</param>
    /// <exception cref="SerializationException">The tree does not have the shape of tables, a name is unusable (NUL,
    /// the reserved <c>sqlite_</c> prefix, two names differing only in ASCII letter case), or a value cannot be stored
    /// (NaN, an unpaired surrogate, a column mixing objects with scalars); the message names the JSON path.</exception>
    /// <exception cref="SerializationLimitException">The tree is deeper than <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        try
        {
            new SqliteTreeWriter(options).Write(tree, output);
        }
        catch (SqliteException ex)
        {
            throw new SerializationException(FormatName, $"SQLite refused the data: {ex.Message}", innerException: ex);
        }
    }

    /// <summary>Scores 1 for content that starts with the SQLite header <c>SQLite format 3\0</c>, else 0.</summary>
    /// <param name="sample">The start of the content.</param>
    /// <returns>1 or 0.</returns>
    public double Probe(ReadOnlySpan<byte> sample) => sample.StartsWith(Header) ? 1.0 : 0.0;

    private static SerializationException Translate(SqliteException ex, SerializerOptions options) => ex.SqliteErrorCode switch
    {
        raw.SQLITE_TOOBIG => new SerializationLimitException(FormatName, "MaxBytes", options.MaxBytes, "set SerializerOptions.MaxBytes higher (a value in the database is larger)", innerException: ex),
        raw.SQLITE_NOTADB => new SerializationException(FormatName, "the input is not a SQLite database (its header is damaged)", innerException: ex),
        raw.SQLITE_CORRUPT => new SerializationException(FormatName, $"the database is corrupted: {ex.Message}", innerException: ex),
        _ => new SerializationException(FormatName, $"SQLite could not read the database: {ex.Message}", innerException: ex),
    };

    private static string HeaderExcerpt(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> start = data[..Math.Min(16, data.Length)];
        return FormatGuards.Excerpt(start, 0, radius: 16);
    }
}
