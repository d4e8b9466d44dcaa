using System.Buffers;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace XSystem.Serialization.Sqlite.Internal;

/// <summary>
/// Database images in memory: loads bytes into a private in-memory connection (sqlite3_deserialize, no temporary file)
/// and copies a connection's database out as bytes (sqlite3_serialize).
/// </summary>
internal static class MemoryDatabase
{
    /// <summary>The largest value SQLite itself allows for <c>SQLITE_LIMIT_LENGTH</c>.</summary>
    private const int MaxLengthLimit = 1_000_000_000;

    /// <summary>Opens a private, empty in-memory database (no pooling, so no settings leak between uses).</summary>
    public static SqliteConnection OpenEmpty()
    {
        var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Locks a connection down before it touches untrusted bytes: defensive mode (no writable schema, no shadow-table
    /// writes), an untrusted schema (functions in the file's schema are limited to harmless ones), no triggers or views,
    /// no extension loading, no ATTACH, and a per-value size limit.
    /// </summary>
    public static void Harden(SqliteConnection connection, long maxValueBytes)
    {
        sqlite3 db = connection.Handle!;
        Configure(db, raw.SQLITE_DBCONFIG_DEFENSIVE, 1);
        Configure(db, raw.SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0);
        Configure(db, raw.SQLITE_DBCONFIG_ENABLE_TRIGGER, 0);
        Configure(db, raw.SQLITE_DBCONFIG_ENABLE_VIEW, 0);
        Configure(db, raw.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_LENGTH, (int)Math.Clamp(maxValueBytes, 1, MaxLengthLimit));
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_ATTACHED, 0);
    }

    /// <summary>
    /// Replaces the connection's main database with a read-only copy of <paramref name="data"/> held in SQLite's memory.
    /// A file in WAL mode is presented as a rollback-journal file: the bytes hold only the main file, never a WAL, and
    /// SQLite's in-memory store cannot open WAL mode.
    /// </summary>
    /// <returns>SQLite's result code; <c>SQLITE_OK</c> on success.</returns>
    public static unsafe int Load(SqliteConnection connection, ReadOnlySpan<byte> data)
    {
        IntPtr buffer = raw.sqlite3_malloc64(data.Length);
        if (buffer == IntPtr.Zero)
        {
            return raw.SQLITE_NOMEM;
        }

        var image = new Span<byte>((void*)buffer, data.Length);
        data.CopyTo(image);
        if (image.Length >= 20 && image[18] == 2 && image[19] == 2)
        {
            image[18] = 1;
            image[19] = 1;
        }

        // FREEONCLOSE hands the buffer to SQLite, which frees it on close, or at once if this call fails.
        return raw.sqlite3_deserialize(
            connection.Handle!,
            "main",
            buffer,
            data.Length,
            data.Length,
            raw.SQLITE_DESERIALIZE_FREEONCLOSE | raw.SQLITE_DESERIALIZE_READONLY);
    }

    /// <summary>Copies the connection's main database, as the bytes of a database file, to <paramref name="output"/>.</summary>
    /// <returns>False when SQLite could not produce the image (out of memory).</returns>
    public static unsafe bool Save(SqliteConnection connection, IBufferWriter<byte> output)
    {
        IntPtr image = raw.sqlite3_serialize(connection.Handle!, "main", out long size, 0);
        if (image == IntPtr.Zero)
        {
            // An empty database has no pages, and then no image: zero bytes are its file.
            return size <= 0;
        }

        try
        {
            long offset = 0;
            while (offset < size)
            {
                int chunk = (int)Math.Min(size - offset, 1 << 20);
                Span<byte> target = output.GetSpan(chunk);
                new ReadOnlySpan<byte>((byte*)image + offset, chunk).CopyTo(target);
                output.Advance(chunk);
                offset += chunk;
            }

            return true;
        }
        finally
        {
            raw.sqlite3_free(image);
        }
    }

    private static void Configure(sqlite3 db, int option, int value)
    {
        int rc = raw.sqlite3_db_config(db, option, value, out int _);
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite refused a safety setting (option {option}, result code {rc}).");
        }
    }
}
