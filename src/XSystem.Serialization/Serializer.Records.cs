using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace XSystem.Serialization;

public static partial class Serializer
{
    /// <summary>
    /// Reads the records of a record format (JSON Lines, CSV, TSV) one at a time, mapped to <typeparamref name="T"/>;
    /// memory stays constant whatever the stream's length.
    /// </summary>
    /// <typeparam name="T">The record type (use <see cref="JsonNode"/> or <see cref="JsonObject"/> for untyped records).</typeparam>
    /// <param name="stream">The stream; not disposed.</param>
    /// <param name="format">A record format.</param>
    /// <param name="options">Limits (<see cref="SerializerOptions.MaxBytes"/> applies per record) and settings.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The records.</returns>
    /// <exception cref="ArgumentException">The format has no records.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static IAsyncEnumerable<T?> ReadRecordsAsync<T>(Stream stream, IFormat format, SerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        IRecordFormat records = RequireRecords(format);
        options ??= SerializerOptions.Default;
        if (records is ITypedRecordFormat typed && !IsTreeType<T>())
        {
            return typed.ReadRecordsAsync<T>(stream, options, cancellationToken);
        }

        return ReadThroughTree<T>(records, stream, options, cancellationToken);
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static async IAsyncEnumerable<T?> ReadThroughTree<T>(IRecordFormat records, Stream stream, SerializerOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (JsonNode? node in records.ReadRecordsAsync(stream, options, cancellationToken).ConfigureAwait(false))
        {
            yield return FromTree<T>(node, options, records);
        }
    }

    /// <summary>Whether <typeparamref name="T"/> is a tree type (or <see cref="object"/>), which the tree path serves as is.</summary>
    private static bool IsTreeType<T>() => typeof(JsonNode).IsAssignableFrom(typeof(T)) || typeof(T) == typeof(object);

    /// <summary>Writes records to a record format (JSON Lines, CSV, TSV) one at a time.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="stream">The stream; not disposed.</param>
    /// <param name="records">The records.</param>
    /// <param name="format">A record format.</param>
    /// <param name="options">Settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the writing.</param>
    /// <returns>A task that completes when every record is written and the stream flushed.</returns>
    /// <exception cref="ArgumentException">The format has no records.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static ValueTask WriteRecordsAsync<T>(Stream stream, IAsyncEnumerable<T> records, IFormat format, SerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        IRecordFormat recordFormat = RequireRecords(format);
        options ??= SerializerOptions.Default;
        if (recordFormat is ITypedRecordFormat typed && !IsTreeType<T>())
        {
            return typed.WriteRecordsAsync(stream, records, options, cancellationToken);
        }

        return recordFormat.WriteRecordsAsync(stream, AsNodes(records, options, format, cancellationToken), options, cancellationToken);
    }

    /// <summary>Writes records from a synchronous sequence to a record format.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="stream">The stream; not disposed.</param>
    /// <param name="records">The records.</param>
    /// <param name="format">A record format.</param>
    /// <param name="options">Settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the writing.</param>
    /// <returns>A task that completes when every record is written and the stream flushed.</returns>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static ValueTask WriteRecordsAsync<T>(Stream stream, IEnumerable<T> records, IFormat format, SerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return WriteRecordsAsync(stream, ToAsync(records, cancellationToken), format, options, cancellationToken);
    }

    private static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (T item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static async IAsyncEnumerable<JsonNode?> AsNodes<T>(IAsyncEnumerable<T> records, SerializerOptions options, IFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (T record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return ToTree(record, options, format);
        }
    }

    private static IRecordFormat RequireRecords(IFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format as IRecordFormat
            ?? throw new ArgumentException($"The format '{format.Name}' is not made of records; streaming works with JSON Lines, CSV and TSV. Use Load or Parse for whole documents.", nameof(format));
    }
}
