using System.Diagnostics.CodeAnalysis;

namespace XSystem.Serialization.Sqlite;

/// <summary>
/// An open transaction on a <see cref="SqliteDictionary{TValue}"/>, from <see cref="SqliteDictionary{TValue}.Transaction"/>.
/// It holds the database's write lock: its reads see its own writes, other connections see none of them until
/// <see cref="Commit"/>, and disposing it without committing rolls them all back.
/// </summary>
/// <typeparam name="TValue">The dictionary's value type.</typeparam>
/// <remarks>Thread safety: use a transaction from one thread (or one asynchronous flow) at a time.</remarks>
[RequiresUnreferencedCode(ReflectionMessage)]
[RequiresDynamicCode(ReflectionMessage)]
public sealed class SqliteDictionaryTransaction<TValue> : IDisposable, IAsyncDisposable
{
    private const string ReflectionMessage = "Maps .NET types through reflection-based System.Text.Json metadata.";

    private readonly SqliteDictionary<TValue> _owner;
    private bool _completed;
    private bool _disposed;

    internal SqliteDictionaryTransaction(SqliteDictionary<TValue> owner) => _owner = owner;

    /// <summary>The number of entries, as this transaction sees them.</summary>
    public int Count => (int)Call(_owner.CountRaw);

    /// <summary>The keys, as this transaction sees them, in ordinal order.</summary>
    public IReadOnlyList<string> Keys => Call(_owner.KeysRaw);

    /// <summary>Gets or sets the value of a key within the transaction.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">Getting a key that is not present.</exception>
    public TValue this[string key]
    {
        get => TryGetValue(key, out TValue? value) ? value : throw SqliteDictionary<TValue>.NotFound(key);
        set
        {
            SqliteDictionary<TValue>.CheckKey(key);
            object stored = _owner.Encode(value);
            Call(() => _owner.UpsertRaw(key, stored));
        }
    }

    /// <summary>Gets the value of a key within the transaction.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns>True when present.</returns>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        SqliteDictionary<TValue>.CheckKey(key);
        byte[]? bytes = Call(() => _owner.SelectRaw(key));
        if (bytes is null)
        {
            value = default;
            return false;
        }

        value = _owner.Decode(bytes);
        return true;
    }

    /// <summary>Whether a key is present, within the transaction.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when present.</returns>
    public bool ContainsKey(string key)
    {
        SqliteDictionary<TValue>.CheckKey(key);
        return Call(() => _owner.SelectRaw(key)) is not null;
    }

    /// <summary>Adds a key that must not be present yet.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The key is already present.</exception>
    public void Add(string key, TValue value)
    {
        SqliteDictionary<TValue>.CheckKey(key);
        object stored = _owner.Encode(value);
        if (!Call(() => _owner.InsertRaw(key, stored)))
        {
            throw SqliteDictionary<TValue>.Duplicate(key);
        }
    }

    /// <summary>Removes a key within the transaction.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when it was present.</returns>
    public bool Remove(string key)
    {
        SqliteDictionary<TValue>.CheckKey(key);
        return Call(() => _owner.DeleteRaw(key));
    }

    /// <summary>Removes every entry within the transaction.</summary>
    public void Clear() => Call(_owner.ClearRaw);

    /// <summary>Makes every write of the transaction durable and visible to others, and ends the transaction.</summary>
    /// <exception cref="InvalidOperationException">The transaction was already committed or rolled back.</exception>
    public void Commit()
    {
        CheckOpen();
        _completed = true;
        try
        {
            _owner.Commit();
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Discards every write of the transaction and ends it.</summary>
    /// <exception cref="InvalidOperationException">The transaction was already committed or rolled back.</exception>
    public void Rollback()
    {
        CheckOpen();
        Dispose();
    }

    /// <summary>Ends the transaction, rolling it back unless it was committed, and lets other operations on the dictionary in.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _completed = true;
        _owner.End();
    }

    /// <summary>Ends the transaction; see <see cref="Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private T Call<T>(Func<T> call)
    {
        CheckOpen();
        return _owner.Execute(call);
    }

    private void CheckOpen()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The transaction has already been committed or rolled back; start a new one.");
        }
    }
}
