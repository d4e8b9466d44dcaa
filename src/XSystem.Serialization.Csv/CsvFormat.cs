using System.Buffers;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Csv;
using XSystem.Serialization.Csv.Internal;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(CsvFormat))]

namespace XSystem.Serialization.Csv;

/// <summary>
/// CSV (RFC 4180) through the Sep parser: a header row and data rows map to an array of objects keyed by the header
/// names. Reads quoted fields with doubled quotes and line breaks, CRLF, LF or CR line endings, a UTF-8 byte order mark,
/// and detects the delimiter (comma, semicolon, tab or pipe) unless <see cref="CsvOptions.Delimiter"/> is set. Fields
/// stay strings unless <see cref="CsvOptions.InferTypes"/> is on. Streams records in constant memory.
/// Reach it as <see cref="Formats.Csv"/>; settings live in <see cref="CsvOptions"/>.
/// </summary>
/// <remarks>Thread safety: stateless; one instance serves every thread.</remarks>
public sealed class CsvFormat : ITypedRecordFormat, ITypedFormat, IJsonLinesSource
{
    /// <inheritdoc/>
    public string Name => "csv";

    /// <inheritdoc/>
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc/>
    public IReadOnlyList<string> Extensions { get; } = [".csv"];

    /// <inheritdoc/>
    public IReadOnlyList<string> MediaTypes { get; } = ["text/csv"];

    /// <inheritdoc/>
    public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree | FormatCapabilities.Typed | FormatCapabilities.Records;

    /// <summary>Parses a whole CSV document into a <see cref="JsonArray"/> of rows.</summary>
    /// <param name="data">UTF-8 text; a byte order mark is skipped.</param>
    /// <param name="options">Limits and <see cref="CsvOptions"/>.</param>
    /// <returns>A <see cref="JsonArray"/> of <see cref="JsonObject"/> rows (of <see cref="JsonArray"/> rows without a header); empty for empty input.</returns>
    /// <exception cref="SerializationException">A quote is not closed, a row has the wrong number of fields, the header repeats a name, or the text is not UTF-8; the message gives the line.</exception>
    /// <exception cref="SerializationLimitException">The input is larger than <see cref="SerializerOptions.MaxBytes"/>.</exception>
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options) => DelimitedReader.Parse(data, options, Dialect.Csv);

    /// <summary>Writes an array of objects as a header row and one row per object.</summary>
    /// <param name="tree">An array of objects with scalar values (without a header: arrays or objects).</param>
    /// <param name="output">Where the UTF-8 bytes go.</param>
    /// <param name="options">Limits and <see cref="CsvOptions"/>.</param>
    /// <exception cref="SerializationException">The tree is not a table, a value is null or missing (unless <see cref="CsvOptions.NullAs"/> is set), or a value is nested (unless <see cref="CsvOptions.NestedAsJson"/>); the message names the JSON path.</exception>
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options) =>
        DelimitedFormatCore.Write(tree, output, options, Dialect.Csv);

    /// <summary>Scores a sample: high when its first records split consistently on a comma, semicolon or pipe.</summary>
    /// <param name="sample">The start of the content.</param>
    /// <returns>0 to 1; tab-separated content scores lower here than in <see cref="TsvFormat"/>.</returns>
    public double Probe(ReadOnlySpan<byte> sample) => DelimitedFormatCore.Probe(sample, tsv: false);

    /// <summary>Reads one row at a time; memory stays constant whatever the stream's length.</summary>
    /// <param name="stream">The stream; not disposed.</param>
    /// <param name="options">Limits (<see cref="SerializerOptions.MaxBytes"/> applies to each record) and <see cref="CsvOptions"/>.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>One <see cref="JsonObject"/> per data row (a <see cref="JsonArray"/> without a header).</returns>
    public IAsyncEnumerable<JsonNode?> ReadRecordsAsync(Stream stream, SerializerOptions options, CancellationToken cancellationToken = default) =>
        DelimitedFormatCore.ReadRecordsAsync(stream, options, Dialect.Csv, cancellationToken);

    /// <summary>Writes records as they come: the header from the first record's keys, then one row per record.</summary>
    /// <param name="stream">The stream; not disposed.</param>
    /// <param name="records">Objects whose keys are among the first record's (without a header: arrays too).</param>
    /// <param name="options">Limits and <see cref="CsvOptions"/>.</param>
    /// <param name="cancellationToken">Stops the writing.</param>
    /// <returns>A task that completes when every record is written and the stream flushed.</returns>
    /// <exception cref="SerializationException">A record is not an object, has a key the first record lacked, or holds a value CSV cannot write; the message names <c>$[index]</c>.</exception>
    public ValueTask WriteRecordsAsync(Stream stream, IAsyncEnumerable<JsonNode?> records, SerializerOptions options, CancellationToken cancellationToken = default) =>
        DelimitedFormatCore.WriteRecordsAsync(stream, records, options, Dialect.Csv, cancellationToken);

    /// <summary>
    /// Reads rows straight into <typeparamref name="T"/> without building a tree: the header names are matched to the
    /// System.Text.Json property names once, then each row sets the properties (cells parsed invariantly by property
    /// type). Memory stays constant whatever the stream's length.
    /// </summary>
    /// <typeparam name="T">The record type: a class or struct with properties, a record with a constructor, or anything System.Text.Json can read from an object.</typeparam>
    /// <param name="stream">The stream; not disposed.</param>
    /// <param name="options">Limits (<see cref="SerializerOptions.MaxBytes"/> applies to each record), <see cref="CsvOptions"/> and <see cref="SerializerOptions.JsonSerializerOptions"/>.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>One value per data row.</returns>
    /// <exception cref="SerializationException">A row is malformed, a cell does not convert to its property's type, or a required property has no column; the message gives the line, the column name and the value.</exception>
    public IAsyncEnumerable<T?> ReadRecordsAsync<T>(Stream stream, SerializerOptions options, CancellationToken cancellationToken = default) =>
        DelimitedReader.ReadTypedAsync<T>(stream, options, Dialect.Csv, forceJson: false, cancellationToken);

    /// <summary>Writes typed records as they come: the header from the property names, then one row per record, values from the property getters.</summary>
    /// <typeparam name="T">The record type; types that are not plain objects (dictionaries, polymorphic types) go through the tree.</typeparam>
    /// <param name="stream">The stream; not disposed.</param>
    /// <param name="records">The records.</param>
    /// <param name="options">Limits, <see cref="CsvOptions"/> and <see cref="SerializerOptions.JsonSerializerOptions"/>.</param>
    /// <param name="cancellationToken">Stops the writing.</param>
    /// <returns>A task that completes when every record is written and the stream flushed.</returns>
    /// <exception cref="SerializationException">A value is null (unless <see cref="CsvOptions.NullAs"/> is set) or nested (unless <see cref="CsvOptions.NestedAsJson"/>); the message names <c>$[index].property</c>.</exception>
    public ValueTask WriteRecordsAsync<T>(Stream stream, IAsyncEnumerable<T> records, SerializerOptions options, CancellationToken cancellationToken = default) =>
        DelimitedFormatCore.WriteTypedAsync(stream, records, options, Dialect.Csv, cancellationToken);

    /// <summary>Writes a typed value as the tree would: System.Text.Json maps it to an array of objects, written as rows.</summary>
    /// <typeparam name="T">The declared type: a list or array of records.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="output">Where the UTF-8 bytes go.</param>
    /// <param name="options">Limits, <see cref="CsvOptions"/> and <see cref="SerializerOptions.JsonSerializerOptions"/>.</param>
    /// <exception cref="SerializationException">The value is not a table of scalars; the message names the JSON path.</exception>
    public void Serialize<T>(T value, IBufferWriter<byte> output, SerializerOptions options) =>
        Write(Serializer.ToTree(value, options, this), output, options);

    /// <summary>
    /// Reads a whole document into <typeparamref name="T"/>. A list or array of records (<c>List&lt;T&gt;</c>,
    /// <c>T[]</c>, <c>IReadOnlyList&lt;T&gt;</c> ...) with a header row is filled row by row without a tree, exactly as
    /// <see cref="ReadRecordsAsync{T}"/> maps rows (cells parsed invariantly by property type); other types go through the tree.
    /// </summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="data">UTF-8 text; a byte order mark is skipped.</param>
    /// <param name="options">Limits (<see cref="SerializerOptions.MaxBytes"/> applies to the whole document), <see cref="CsvOptions"/> and <see cref="SerializerOptions.JsonSerializerOptions"/>.</param>
    /// <returns>The value; an empty list or array for empty input.</returns>
    /// <exception cref="SerializationException">A row is malformed, a cell does not convert to its property's type, or a required property has no column; the message gives the line.</exception>
    public T? Deserialize<T>(ReadOnlySpan<byte> data, SerializerOptions options) =>
        TypedDocumentReader.Deserialize<T>(data, options, Dialect.Csv, this);

    /// <inheritdoc/>
    ValueTask IJsonLinesSource.WriteJsonLinesAsync(Stream input, Stream output, SerializerOptions options, CancellationToken cancellationToken) =>
        DelimitedReader.WriteJsonLinesAsync(input, output, options, Dialect.Csv, cancellationToken);
}
