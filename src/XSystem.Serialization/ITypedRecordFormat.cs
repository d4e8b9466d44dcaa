namespace XSystem.Serialization;

/// <summary>
/// A record format that maps records straight to and from .NET types, without building a
/// <see cref="System.Text.Json.Nodes.JsonNode"/> per record (CSV and TSV). <see cref="Serializer.ReadRecordsAsync{T}"/>
/// and <see cref="Serializer.WriteRecordsAsync{T}(Stream, IAsyncEnumerable{T}, IFormat, SerializerOptions?, CancellationToken)"/>
/// use it when the format implements it and the record type is not a tree type.
/// </summary>
/// <remarks>
/// The object mapping follows System.Text.Json metadata from <see cref="SerializerOptions.JsonSerializerOptions"/>, so
/// the same attributes (<c>[JsonPropertyName]</c>, <c>[JsonIgnore]</c>, <c>[JsonRequired]</c> ...) govern the typed and
/// the tree paths. Implementations must be stateless and thread-safe.
/// </remarks>
public interface ITypedRecordFormat : IRecordFormat
{
    /// <summary>Reads records one at a time straight into <typeparamref name="T"/>; memory stays constant whatever the stream's length.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="stream">The stream to read; not disposed.</param>
    /// <param name="options">Limits, format options and the object mapping (<see cref="SerializerOptions.JsonSerializerOptions"/>).</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<T?> ReadRecordsAsync<T>(Stream stream, SerializerOptions options, CancellationToken cancellationToken = default);

    /// <summary>Writes records one at a time straight from <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="stream">The stream to write; not disposed.</param>
    /// <param name="records">The records.</param>
    /// <param name="options">Format options and the object mapping.</param>
    /// <param name="cancellationToken">Stops the writing.</param>
    /// <returns>A task that completes when every record is written and flushed.</returns>
    ValueTask WriteRecordsAsync<T>(Stream stream, IAsyncEnumerable<T> records, SerializerOptions options, CancellationToken cancellationToken = default);
}
