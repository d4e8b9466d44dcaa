namespace XSystem.Serialization.Internal;

/// <summary>
/// A record format that can copy a stream of its records straight to JSON Lines without building a tree per record.
/// <see cref="Serializer.ConvertAsync"/> uses it when converting to <see cref="Formats.JsonLines"/>; the output is
/// byte for byte what the general record path writes.
/// </summary>
internal interface IJsonLinesSource
{
    /// <summary>Reads records from <paramref name="input"/> and writes one compact JSON value per line to <paramref name="output"/>.</summary>
    /// <param name="input">The input stream; not disposed.</param>
    /// <param name="output">The output stream; flushed, not disposed.</param>
    /// <param name="options">Limits and format options.</param>
    /// <param name="cancellationToken">Stops the copy.</param>
    /// <returns>A task that completes when every record is written.</returns>
    ValueTask WriteJsonLinesAsync(Stream input, Stream output, SerializerOptions options, CancellationToken cancellationToken);
}
