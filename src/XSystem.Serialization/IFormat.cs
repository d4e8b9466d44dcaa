using System.Buffers;
using System.Text.Json.Nodes;

namespace XSystem.Serialization;

/// <summary>
/// A serialization format: reads bytes into the shared <see cref="JsonNode"/> tree and writes the tree back.
/// Every format in XSystem implements this interface; applications can implement it too and add their
/// format with <see cref="Formats.Register(IFormat)"/>.
/// </summary>
/// <remarks>
/// Implementations must be stateless and thread-safe: one instance serves every caller. They must honour the
/// limits in <see cref="SerializerOptions"/> (<see cref="SerializerOptions.MaxBytes"/>,
/// <see cref="SerializerOptions.MaxDepth"/>) and report malformed input with <see cref="SerializationException"/>
/// and limit breaches with <see cref="SerializationLimitException"/>; no input may crash, hang or overflow the stack.
/// A format that has a faster typed path also implements <see cref="ITypedFormat"/>; a format made of records
/// (JSON Lines, CSV, TSV) also implements <see cref="IRecordFormat"/>.
/// </remarks>
public interface IFormat
{
    /// <summary>The canonical lower-case name, for example <c>json</c>, <c>yaml</c>, <c>msgpack</c>.</summary>
    string Name { get; }

    /// <summary>Other names <see cref="Formats.FromName(string)"/> accepts, for example <c>yml</c>; may be empty.</summary>
    IReadOnlyList<string> Aliases { get; }

    /// <summary>File extensions with the leading dot, lower case, most common first, for example <c>.yaml</c>, <c>.yml</c>.</summary>
    IReadOnlyList<string> Extensions { get; }

    /// <summary>Media types, most common first, for example <c>application/yaml</c>.</summary>
    IReadOnlyList<string> MediaTypes { get; }

    /// <summary>What the format can do: text or binary, tree, typed, records, multi-document.</summary>
    FormatCapabilities Capabilities { get; }

    /// <summary>Parses a whole document into the tree.</summary>
    /// <param name="data">The encoded document. Text formats expect UTF-8 and skip a UTF-8 byte order mark.</param>
    /// <param name="options">Limits and format options; never null.</param>
    /// <returns>The tree; <see langword="null"/> for a JSON-style null document.</returns>
    /// <exception cref="SerializationException">The input is malformed.</exception>
    /// <exception cref="SerializationLimitException">The input breaks a limit.</exception>
    JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options);

    /// <summary>Writes a tree as one document.</summary>
    /// <param name="tree">The tree; <see langword="null"/> is a null document where the format has one.</param>
    /// <param name="output">Where the encoded bytes go.</param>
    /// <param name="options">Limits and format options; never null.</param>
    /// <exception cref="SerializationException">The tree holds a value the format cannot represent; the message names its JSON path.</exception>
    void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options);

    /// <summary>
    /// Scores how likely it is that <paramref name="sample"/> (the start of a document, possibly cut off) is in this format.
    /// </summary>
    /// <param name="sample">Up to the first few KiB of the content.</param>
    /// <returns>0 when it surely is not, 1 when it surely is; values between rank candidates.</returns>
    double Probe(ReadOnlySpan<byte> sample);
}

/// <summary>A format with a typed path faster than going through the tree (JSON through System.Text.Json, MessagePack ...).</summary>
/// <remarks>Implementations must be stateless and thread-safe.</remarks>
public interface ITypedFormat : IFormat
{
    /// <summary>Serializes <paramref name="value"/> straight to bytes.</summary>
    /// <typeparam name="T">The declared type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="output">Where the encoded bytes go.</param>
    /// <param name="options">Options; <see cref="SerializerOptions.JsonSerializerOptions"/> governs the object mapping.</param>
    void Serialize<T>(T value, IBufferWriter<byte> output, SerializerOptions options);

    /// <summary>Deserializes bytes straight to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="data">The encoded document.</param>
    /// <param name="options">Options; <see cref="SerializerOptions.JsonSerializerOptions"/> governs the object mapping.</param>
    /// <returns>The value.</returns>
    T? Deserialize<T>(ReadOnlySpan<byte> data, SerializerOptions options);
}

/// <summary>A format made of independent records (JSON Lines, CSV, TSV) that can be streamed in constant memory.</summary>
/// <remarks>Implementations must be stateless and thread-safe.</remarks>
public interface IRecordFormat : IFormat
{
    /// <summary>Reads records one at a time; memory stays constant whatever the stream's length.</summary>
    /// <param name="stream">The stream to read; not disposed.</param>
    /// <param name="options">Limits and format options (<see cref="SerializerOptions.MaxBytes"/> applies per record).</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The records as trees.</returns>
    IAsyncEnumerable<JsonNode?> ReadRecordsAsync(Stream stream, SerializerOptions options, CancellationToken cancellationToken = default);

    /// <summary>Writes records one at a time.</summary>
    /// <param name="stream">The stream to write; not disposed.</param>
    /// <param name="records">The records.</param>
    /// <param name="options">Format options.</param>
    /// <param name="cancellationToken">Stops the writing.</param>
    /// <returns>A task that completes when every record is written and flushed.</returns>
    ValueTask WriteRecordsAsync(Stream stream, IAsyncEnumerable<JsonNode?> records, SerializerOptions options, CancellationToken cancellationToken = default);
}
