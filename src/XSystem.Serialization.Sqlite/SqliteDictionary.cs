using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using XSystem.Serialization.Sqlite.Internal;

namespace XSystem.Serialization.Sqlite;

/// <summary>
/// A persistent, transactional dictionary from strings to values, stored in a SQLite file: the .NET counterpart of
/// Python's <c>shelve</c> and <c>dbm</c>. Values are encoded in a chosen <see cref="IFormat"/> (JSON by default).
/// Every operation is its own transaction and is durable when it returns; <see cref="Transaction"/> and
/// <see cref="Batch(Action{SqliteDictionaryTransaction{TValue}})"/> group several operations atomically.
/// </summary>
/// <typeparam name="TValue">The value type, mapped through <see cref="SqliteDictionaryOptions.SerializerOptions"/>.</typeparam>
/// <remarks>
/// <para>
/// The file is in WAL mode, so readers never wait for writers and see only committed data. Several instances, in this
/// and in other processes, may use one file at once: a writer waits up to <see cref="SqliteDictionaryOptions.BusyTimeout"/>
/// for another writer to finish, then throws <see cref="SqliteDictionaryBusyException"/>. Transactions take the write
/// lock when they start (<c>BEGIN IMMEDIATE</c>), so a read-modify-write inside one never loses an update.
/// </para>
/// <para>
/// SQLite's API is synchronous: the <c>Async</c> methods wait for this instance asynchronously and honour cancellation
/// until the database call starts; the call itself runs on the calling thread.
/// </para>
/// <para>Thread safety: all members are thread-safe; operations of one instance run one at a time. While a transaction
/// is open, other operations on the instance wait for it (up to the busy timeout); work inside a transaction goes through
/// the transaction object.</para>
/// </remarks>
[RequiresUnreferencedCode(ReflectionMessage)]
[RequiresDynamicCode(ReflectionMessage)]
public sealed class SqliteDictionary<TValue> : IDictionary<string, TValue>, IDisposable, IAsyncDisposable
{
    private const string ReflectionMessage = "Maps .NET types through reflection-based System.Text.Json metadata.";

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IFormat _format;
    private readonly SerializerOptions _serializerOptions;
    private readonly bool _textValues;
    private readonly TimeSpan _busyTimeout;
    private readonly SqliteCommand _select;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _count;
    private readonly SqliteCommand _keys;
    private readonly SqliteCommand _entries;
    private readonly SqliteCommand _clear;
    private SqliteTransaction? _transaction;
    private int _transactionThread;
    private bool _disposed;

    /// <summary>Opens (creating when missing) the dictionary in a SQLite file.</summary>
    /// <param name="path">The database file; its directory must exist.</param>
    /// <param name="options">Settings; defaults when null (JSON values, table <c>xsystem_dict</c>, 5 s busy timeout, full durability).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="SqliteDictionaryException">The file cannot be opened or created, is not a SQLite database, or is damaged.</exception>
    /// <exception cref="SqliteDictionaryBusyException">Another writer held the database longer than the busy timeout while it was being set up.</exception>
    public SqliteDictionary(string path, SqliteDictionaryOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(path);
        options ??= new SqliteDictionaryOptions();
        DatabasePath = System.IO.Path.GetFullPath(path);
        _format = options.Format;
        _serializerOptions = options.SerializerOptions ?? SerializerOptions.Default;
        _textValues = _format.Capabilities.HasFlag(FormatCapabilities.Text);
        _busyTimeout = options.BusyTimeout;

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(_busyTimeout.TotalSeconds)),
        };
        _connection = new SqliteConnection(connectionString.ToString());
        try
        {
            _connection.Open();
            SetUp(options);
            string table = SqlText.Quote(options.TableName);
            _select = Prepare($"SELECT value FROM {table} WHERE key = $key", "$key");
            _upsert = Prepare($"INSERT INTO {table} (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", "$key", "$value");
            _insert = Prepare($"INSERT INTO {table} (key, value) VALUES ($key, $value)", "$key", "$value");
            _delete = Prepare($"DELETE FROM {table} WHERE key = $key", "$key");
            _count = Prepare($"SELECT count(*) FROM {table}");
            _keys = Prepare($"SELECT key FROM {table} ORDER BY key");
            _entries = Prepare($"SELECT key, value FROM {table} ORDER BY key");
            _clear = Prepare($"DELETE FROM {table}");
        }
        catch (SqliteException ex)
        {
            _connection.Dispose();
            throw Translate(ex);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The number of entries (counted by the database, so it includes other processes' committed writes).</summary>
    /// <exception cref="ObjectDisposedException">The dictionary is disposed.</exception>
    public int Count => (int)Run(CountRaw);

    /// <summary>A snapshot of the keys, in ordinal order.</summary>
    public ICollection<string> Keys => Run(KeysRaw).AsReadOnly();

    /// <summary>A snapshot of the values, in the ordinal order of their keys.</summary>
    public ICollection<TValue> Values => Run(EntriesRaw).Select(e => Decode(e.Value)).ToList().AsReadOnly();

    /// <inheritdoc/>
    bool ICollection<KeyValuePair<string, TValue>>.IsReadOnly => false;

    /// <summary>Gets or sets the value of a key. Setting adds or replaces it, durably, in its own transaction.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">Getting a key that is not present.</exception>
    /// <exception cref="ArgumentException">The key holds an unpaired surrogate, which the database cannot store.</exception>
    public TValue this[string key]
    {
        get => TryGetValue(key, out TValue? value) ? value : throw NotFound(key);
        set
        {
            CheckKey(key);
            object stored = Encode(value);
            Run(() => UpsertRaw(key, stored));
        }
    }

    /// <summary>Gets the value of a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns>True when the key is present.</returns>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        CheckKey(key);
        byte[]? bytes = Run(() => SelectRaw(key));
        if (bytes is null)
        {
            value = default;
            return false;
        }

        value = Decode(bytes);
        return true;
    }

    /// <summary>Whether a key is present.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when present.</returns>
    public bool ContainsKey(string key)
    {
        CheckKey(key);
        return Run(() => SelectRaw(key)) is not null;
    }

    /// <summary>Adds a key that must not be present yet.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The key is already present.</exception>
    public void Add(string key, TValue value)
    {
        CheckKey(key);
        object stored = Encode(value);
        if (!Run(() => InsertRaw(key, stored)))
        {
            throw Duplicate(key);
        }
    }

    /// <summary>Removes a key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when it was present.</returns>
    public bool Remove(string key)
    {
        CheckKey(key);
        return Run(() => DeleteRaw(key));
    }

    /// <summary>Removes every entry, in one transaction.</summary>
    public void Clear() => Run(() =>
    {
        ClearRaw();
        return true;
    });

    /// <summary>Gets the value of a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops the wait for this instance.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The key is not present.</exception>
    public async ValueTask<TValue> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        byte[]? bytes = await RunAsync(() => SelectRaw(key), cancellationToken).ConfigureAwait(false);
        return bytes is null ? throw NotFound(key) : Decode(bytes);
    }

    /// <summary>Gets the value of a key, or a default when it is not present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">What to return when the key is not present.</param>
    /// <param name="cancellationToken">Stops the wait for this instance.</param>
    /// <returns>The value or <paramref name="defaultValue"/>.</returns>
    public async ValueTask<TValue?> GetValueOrDefaultAsync(string key, TValue? defaultValue = default, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        byte[]? bytes = await RunAsync(() => SelectRaw(key), cancellationToken).ConfigureAwait(false);
        return bytes is null ? defaultValue : Decode(bytes);
    }

    /// <summary>Adds or replaces the value of a key, durably, in its own transaction.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops the wait for this instance.</param>
    /// <returns>A task that completes when the write is committed.</returns>
    public async ValueTask SetAsync(string key, TValue value, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        object stored = Encode(value);
        await RunAsync(() => UpsertRaw(key, stored), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops the wait for this instance.</param>
    /// <returns>True when it was present.</returns>
    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        return RunAsync(() => DeleteRaw(key), cancellationToken);
    }

    /// <summary>Whether a key is present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Stops the wait for this instance.</param>
    /// <returns>True when present.</returns>
    public async ValueTask<bool> ContainsKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        return await RunAsync(() => SelectRaw(key), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The number of entries.</summary>
    /// <param name="cancellationToken">Stops the wait for this instance.</param>
    /// <returns>The count.</returns>
    public async ValueTask<int> CountAsync(CancellationToken cancellationToken = default) =>
        (int)await RunAsync(CountRaw, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Starts a transaction: it takes the database's write lock at once (waiting up to the busy timeout for other
    /// writers), and every read and write made through it is atomic. Commit with
    /// <see cref="SqliteDictionaryTransaction{TValue}.Commit"/>; disposing it without committing rolls everything back.
    /// Until it ends, other operations on this instance wait.
    /// </summary>
    /// <returns>The open transaction.</returns>
    /// <exception cref="SqliteDictionaryBusyException">Another writer held the database longer than the busy timeout.</exception>
    /// <exception cref="InvalidOperationException">This thread already has a transaction open on this instance.</exception>
    public SqliteDictionaryTransaction<TValue> Transaction()
    {
        Enter();
        return Begin(trackThread: true);
    }

    /// <summary>Starts a transaction without blocking while this instance is busy; see <see cref="Transaction"/>.</summary>
    /// <param name="cancellationToken">Stops the wait for this instance.</param>
    /// <returns>The open transaction.</returns>
    public async ValueTask<SqliteDictionaryTransaction<TValue>> TransactionAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        return Begin(trackThread: false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it when the work returns; if the work throws, nothing
    /// it did is kept and the exception propagates.
    /// </summary>
    /// <param name="work">Reads and writes through the transaction.</param>
    public void Batch(Action<SqliteDictionaryTransaction<TValue>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using SqliteDictionaryTransaction<TValue> transaction = Transaction();
        work(transaction);
        transaction.Commit();
    }

    /// <summary>Runs <paramref name="work"/> in a transaction and commits it when the work completes; see <see cref="Batch(Action{SqliteDictionaryTransaction{TValue}})"/>.</summary>
    /// <param name="work">Reads and writes through the transaction.</param>
    /// <param name="cancellationToken">Passed to the work; also stops the wait for this instance. A cancelled batch rolls back.</param>
    /// <returns>A task that completes when the batch is committed.</returns>
    public async ValueTask BatchAsync(Func<SqliteDictionaryTransaction<TValue>, CancellationToken, ValueTask> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        SqliteDictionaryTransaction<TValue> transaction = await TransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await work(transaction, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
        }
    }

    /// <summary>Enumerates a snapshot of the entries, in the ordinal order of their keys.</summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() =>
        Run(EntriesRaw).Select(e => KeyValuePair.Create(e.Key, Decode(e.Value))).ToList().GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    void ICollection<KeyValuePair<string, TValue>>.Add(KeyValuePair<string, TValue> item) => Add(item.Key, item.Value);

    /// <inheritdoc/>
    bool ICollection<KeyValuePair<string, TValue>>.Contains(KeyValuePair<string, TValue> item) =>
        TryGetValue(item.Key, out TValue? value) && EqualityComparer<TValue>.Default.Equals(value, item.Value);

    /// <inheritdoc/>
    void ICollection<KeyValuePair<string, TValue>>.CopyTo(KeyValuePair<string, TValue>[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        using IEnumerator<KeyValuePair<string, TValue>> entries = GetEnumerator();
        var snapshot = new List<KeyValuePair<string, TValue>>();
        while (entries.MoveNext())
        {
            snapshot.Add(entries.Current);
        }

        snapshot.CopyTo(array, arrayIndex);
    }

    /// <inheritdoc/>
    bool ICollection<KeyValuePair<string, TValue>>.Remove(KeyValuePair<string, TValue> item)
    {
        CheckKey(item.Key);
        bool removed = false;
        Batch(transaction =>
        {
            if (transaction.TryGetValue(item.Key, out TValue? value) && EqualityComparer<TValue>.Default.Equals(value, item.Value))
            {
                removed = transaction.Remove(item.Key);
            }
        });
        return removed;
    }

    /// <summary>Closes the file. The last connection to close folds the write-ahead log back into the database file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        // Let a running operation finish; an abandoned transaction is rolled back by closing.
        bool entered = _gate.Wait(_busyTimeout);
        try
        {
            _disposed = true;
            foreach (SqliteCommand command in new[] { _select, _upsert, _insert, _delete, _count, _keys, _entries, _clear })
            {
                command.Dispose();
            }

            _transaction?.Dispose();
            _transaction = null;
            _connection.Dispose();
        }
        finally
        {
            if (entered)
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Closes the file; see <see cref="Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // ---- Members used by SqliteDictionaryTransaction (the gate is held and _transaction is set). ----

    internal byte[]? SelectRaw(string key)
    {
        _select.Transaction = _transaction;
        _select.Parameters[0].Value = key;
        using SqliteDataReader reader = _select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return reader.GetValue(0) switch
        {
            byte[] blob => blob,
            string text => Encoding.UTF8.GetBytes(text),
            long number => Encoding.UTF8.GetBytes(number.ToString(CultureInfo.InvariantCulture)),
            double number => Encoding.UTF8.GetBytes(number.ToString("R", CultureInfo.InvariantCulture)),
            _ => Encoding.UTF8.GetBytes("null"),
        };
    }

    internal bool UpsertRaw(string key, object stored)
    {
        _upsert.Transaction = _transaction;
        _upsert.Parameters[0].Value = key;
        _upsert.Parameters[1].Value = stored;
        _upsert.ExecuteNonQuery();
        return true;
    }

    internal bool InsertRaw(string key, object stored)
    {
        _insert.Transaction = _transaction;
        _insert.Parameters[0].Value = key;
        _insert.Parameters[1].Value = stored;
        try
        {
            _insert.ExecuteNonQuery();
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_CONSTRAINT)
        {
            return false;
        }
    }

    internal bool DeleteRaw(string key)
    {
        _delete.Transaction = _transaction;
        _delete.Parameters[0].Value = key;
        return _delete.ExecuteNonQuery() > 0;
    }

    internal long CountRaw()
    {
        _count.Transaction = _transaction;
        return (long)_count.ExecuteScalar()!;
    }

    internal List<string> KeysRaw()
    {
        _keys.Transaction = _transaction;
        var keys = new List<string>();
        using SqliteDataReader reader = _keys.ExecuteReader();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    internal List<KeyValuePair<string, byte[]>> EntriesRaw()
    {
        _entries.Transaction = _transaction;
        var entries = new List<KeyValuePair<string, byte[]>>();
        using SqliteDataReader reader = _entries.ExecuteReader();
        while (reader.Read())
        {
            object value = reader.GetValue(1);
            entries.Add(KeyValuePair.Create(reader.GetString(0), value as byte[] ?? Encoding.UTF8.GetBytes(System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null")));
        }

        return entries;
    }

    internal bool ClearRaw()
    {
        _clear.Transaction = _transaction;
        _clear.ExecuteNonQuery();
        return true;
    }

    internal object Encode(TValue value)
    {
        byte[] bytes = Serializer.Serialize(value, _format, _serializerOptions);
        return _textValues ? Encoding.UTF8.GetString(bytes) : bytes;
    }

    internal TValue Decode(byte[] bytes) => Serializer.Deserialize<TValue>(bytes, _format, _serializerOptions)!;

    /// <summary>Runs a database call inside the transaction, translating SQLite's errors.</summary>
    internal T Execute<T>(Func<T> call)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return call();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }
    }

    internal void Commit()
    {
        try
        {
            _transaction!.Commit();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }
    }

    /// <summary>Ends the transaction (rolling back when not committed) and lets other operations in.</summary>
    internal void End()
    {
        try
        {
            if (!_disposed)
            {
                _transaction?.Dispose();
            }
        }
        finally
        {
            _transaction = null;
            _transactionThread = 0;
            _gate.Release();
        }
    }

    internal static void CheckKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (SqlText.HasLoneSurrogate(key))
        {
            throw new ArgumentException("The key holds an unpaired surrogate, which the database cannot store as text.", nameof(key));
        }
    }

    internal static KeyNotFoundException NotFound(string key) => new($"The key '{key}' is not in the dictionary.");

    internal static ArgumentException Duplicate(string key) => new($"An entry with the key '{key}' already exists.", nameof(key));

    private SqliteDictionaryTransaction<TValue> Begin(bool trackThread)
    {
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // BEGIN IMMEDIATE: the write lock is taken now, so a read-modify-write cannot hit a stale snapshot later.
            _transaction = _connection.BeginTransaction(deferred: false);
        }
        catch (SqliteException ex)
        {
            _gate.Release();
            throw Translate(ex);
        }
        catch
        {
            _gate.Release();
            throw;
        }

        if (trackThread)
        {
            _transactionThread = Environment.CurrentManagedThreadId;
        }

        return new SqliteDictionaryTransaction<TValue>(this);
    }

    private void SetUp(SqliteDictionaryOptions options)
    {
        sqlite3 db = _connection.Handle!;

        // The file may come from elsewhere: functions its schema names (in triggers, views, defaults) are limited to
        // harmless ones, and the schema cannot be written through PRAGMAs.
        raw.sqlite3_db_config(db, raw.SQLITE_DBCONFIG_DEFENSIVE, 1, out int _);
        raw.sqlite3_db_config(db, raw.SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, out int _);
        raw.sqlite3_busy_timeout(db, (int)_busyTimeout.TotalMilliseconds);
        ExecuteSetUp("PRAGMA journal_mode = WAL");
        ExecuteSetUp(options.Durability == SqliteDurability.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        ExecuteSetUp($"CREATE TABLE IF NOT EXISTS {SqlText.Quote(options.TableName)} (key TEXT PRIMARY KEY NOT NULL, value NOT NULL)");
    }

    private void ExecuteSetUp(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (string parameter in parameters)
        {
            command.Parameters.Add(parameter, SqliteType.Text);
        }

        return command;
    }

    private T Run<T>(Func<T> call)
    {
        Enter();
        try
        {
            return Execute(call);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<T> RunAsync<T>(Func<T> call, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Execute(call);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_transactionThread == Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(
                "A transaction is open on this SqliteDictionary in this thread; read and write through the transaction object until it is committed or disposed.");
        }

        if (!_gate.Wait(_busyTimeout))
        {
            throw new SqliteDictionaryBusyException(DatabasePath, _busyTimeout, null);
        }
    }

    private async ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!await _gate.WaitAsync(_busyTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new SqliteDictionaryBusyException(DatabasePath, _busyTimeout, null);
        }
    }

    private Exception Translate(SqliteException ex) => (ex.SqliteErrorCode & 0xFF) switch
    {
        raw.SQLITE_BUSY or raw.SQLITE_LOCKED => new SqliteDictionaryBusyException(DatabasePath, _busyTimeout, ex),
        raw.SQLITE_NOTADB => new SqliteDictionaryException(DatabasePath, "the file is not a SQLite database; point the dictionary at a new file or a SQLite file", ex.SqliteErrorCode, ex),
        raw.SQLITE_CORRUPT => new SqliteDictionaryException(DatabasePath, "the database file is damaged; restore it from a backup", ex.SqliteErrorCode, ex),
        raw.SQLITE_CANTOPEN => new SqliteDictionaryException(DatabasePath, "the file cannot be opened or created; check that its directory exists and is writable", ex.SqliteErrorCode, ex),
        raw.SQLITE_READONLY => new SqliteDictionaryException(DatabasePath, "the database is read-only; check the permissions of the file, its directory and its -wal and -shm files", ex.SqliteErrorCode, ex),
        raw.SQLITE_FULL => new SqliteDictionaryException(DatabasePath, "the disk is full", ex.SqliteErrorCode, ex),
        _ => new SqliteDictionaryException(DatabasePath, $"SQLite failed: {ex.Message}", ex.SqliteErrorCode, ex),
    };
}
