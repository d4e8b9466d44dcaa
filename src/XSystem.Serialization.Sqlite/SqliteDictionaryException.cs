namespace XSystem.Serialization.Sqlite;

/// <summary>
/// A <see cref="SqliteDictionary{TValue}"/> could not use its file: it cannot be opened or created, is not a SQLite
/// database, is damaged, is read-only, the disk is full, or its table has another shape. The message names the file.
/// </summary>
/// <remarks>Thread safety: immutable once thrown.</remarks>
public sealed class SqliteDictionaryException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="problem">What went wrong and what to do, as a sentence.</param>
    /// <param name="sqliteErrorCode">SQLite's primary result code, or 0.</param>
    /// <param name="innerException">The underlying error.</param>
    public SqliteDictionaryException(string path, string problem, int sqliteErrorCode, Exception? innerException)
        : base($"SQLite dictionary '{path}': {problem}", innerException)
    {
        DatabasePath = path;
        SqliteErrorCode = sqliteErrorCode;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SqliteDictionaryException()
        : this("SQLite dictionary operation failed.")
    {
    }

    /// <summary>Creates the exception with a ready-made message.</summary>
    /// <param name="message">The whole message.</param>
    public SqliteDictionaryException(string message)
        : base(message)
    {
        DatabasePath = string.Empty;
    }

    /// <summary>Creates the exception with a ready-made message and a cause.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="innerException">The cause.</param>
    public SqliteDictionaryException(string message, Exception? innerException)
        : base(message, innerException)
    {
        DatabasePath = string.Empty;
    }

    /// <summary>The full path of the database file; empty when not known.</summary>
    public string DatabasePath { get; }

    /// <summary>SQLite's primary result code (for example 11 for a damaged file, 26 for a file that is not a database), or 0.</summary>
    public int SqliteErrorCode { get; }
}

/// <summary>
/// A <see cref="SqliteDictionary{TValue}"/> operation waited longer than <see cref="SqliteDictionaryOptions.BusyTimeout"/>
/// for the database, because another process or another transaction held the write lock that long.
/// </summary>
/// <remarks>Thread safety: immutable once thrown.</remarks>
public sealed class SqliteDictionaryBusyException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="timeout">How long the operation waited.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public SqliteDictionaryBusyException(string path, TimeSpan timeout, Exception? innerException)
        : base($"SQLite dictionary '{path}': the database stayed locked by another writer for longer than the busy timeout ({timeout.TotalMilliseconds:0} ms). Keep transactions short, or raise SqliteDictionaryOptions.BusyTimeout.", innerException)
    {
        DatabasePath = path;
        Timeout = timeout;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SqliteDictionaryBusyException()
        : this("The SQLite dictionary stayed locked for longer than the busy timeout.")
    {
    }

    /// <summary>Creates the exception with a ready-made message.</summary>
    /// <param name="message">The whole message.</param>
    public SqliteDictionaryBusyException(string message)
        : base(message)
    {
        DatabasePath = string.Empty;
    }

    /// <summary>Creates the exception with a ready-made message and a cause.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="innerException">The cause.</param>
    public SqliteDictionaryBusyException(string message, Exception? innerException)
        : base(message, innerException)
    {
        DatabasePath = string.Empty;
    }

    /// <summary>The full path of the database file; empty when not known.</summary>
    public string DatabasePath { get; }

    /// <summary>How long the operation waited.</summary>
    public TimeSpan Timeout { get; }
}
