using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using XSystem.Serialization;
using XSystem.Serialization.Bson;
using XSystem.Serialization.Bson.Internal;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(BsonFormat))]

namespace XSystem.Serialization.Bson;

/// <summary>
/// BSON (MongoDB documents). The tree uses MongoDB Extended JSON v2 (relaxed) for the types JSON lacks
/// (<c>{"$oid": ...}</c>, <c>{"$date": ...}</c>, <c>{"$numberDecimal": ...}</c>, <c>{"$binary": ...}</c>,
/// <c>{"$timestamp": ...}</c>, <c>{"$regularExpression": ...}</c>, <c>{"$minKey": 1}</c> ...), and keeps int32, int64
/// and double apart by the CLR type of the value (<see cref="int"/>, <see cref="long"/>, <see cref="double"/>), so a
/// BSON document read into the tree and written back is the same bytes. Typed values go through MongoDB.Bson's
/// <see cref="BsonSerializer"/>, whose discriminator handling never lets input (<c>_t</c>) pick a .NET type outside
/// the class hierarchy being read or the framework types its object serializer allows.
/// </summary>
/// <remarks>
/// Available as <see cref="Formats.Bson"/> once this package is referenced (no registration call).
/// The document root is always an object. The typed path maps members by MongoDB.Bson's class maps
/// (<c>[BsonElement]</c>, <c>[BsonIgnore]</c> ...), not by System.Text.Json attributes.
/// Thread safety: stateless; one instance serves any number of threads.
/// </remarks>
public sealed class BsonFormat : ITypedFormat
{
    private const string FormatName = BsonTreeReader.FormatName;

    private static readonly ConcurrentDictionary<int, BsonBinaryWriterSettings> WriterSettings = new();

    [ThreadStatic]
    private static MemoryStream? _threadStream;

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc/>
    public IReadOnlyList<string> Extensions { get; } = [".bson"];

    /// <inheritdoc/>
    public IReadOnlyList<string> MediaTypes { get; } = ["application/bson"];

    /// <inheritdoc/>
    public FormatCapabilities Capabilities => FormatCapabilities.Tree | FormatCapabilities.Typed;

    /// <summary>Parses one BSON document into the tree.</summary>
    /// <param name="data">The document; its length prefix must equal the input's length.</param>
    /// <param name="options">Limits (<see cref="SerializerOptions.MaxBytes"/>, <see cref="SerializerOptions.MaxDepth"/>).</param>
    /// <returns>The document as an object.</returns>
    /// <exception cref="SerializationException">The input is truncated or malformed (a length prefix that does not fit,
    /// a missing terminator, invalid UTF-8, an unknown element type, a repeated element name).</exception>
    /// <exception cref="SerializationLimitException">The input breaks a limit.</exception>
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        return BsonTreeReader.Read(data, options, build: true);
    }

    /// <summary>Writes a tree as one BSON document.</summary>
    /// <param name="tree">An object (BSON documents are objects).</param>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">Limits.</param>
    /// <exception cref="SerializationException">The root is not an object, or a value cannot be stored (an integer
    /// beyond 64 bits, a name holding a zero character); the message names its path.</exception>
    /// <exception cref="SerializationLimitException">The tree is deeper than <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        BsonTreeWriter.Write(tree, output, options);
    }

    /// <summary>Serializes a value with MongoDB.Bson's <see cref="BsonSerializer"/>. A <see cref="JsonNode"/> is written as a tree.</summary>
    /// <typeparam name="T">The declared type; it must serialize to a document (a class, a dictionary).</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">Limits; <see cref="SerializerOptions.MaxDepth"/> bounds the nesting (a cyclic graph fails cleanly).</param>
    /// <exception cref="SerializationException">The value does not serialize to a document, or MongoDB.Bson cannot serialize it.</exception>
    /// <exception cref="SerializationLimitException">The value nests deeper than <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public void Serialize<T>(T value, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        if (value is JsonNode node)
        {
            BsonTreeWriter.Write(node, output, options);
            return;
        }

        MemoryStream stream = _threadStream ?? new MemoryStream(256);
        _threadStream = null; // a nested call on this thread gets its own stream
        try
        {
            stream.SetLength(0);
            using (var writer = new BsonBinaryWriter(stream, WriterSettingsFor(options.MaxDepth)))
            {
                BsonSerializer.Serialize(writer, value);
            }

            // One GetSpan with the exact size: the output grows at most once.
            int length = (int)stream.Length;
            stream.GetBuffer().AsSpan(0, length).CopyTo(output.GetSpan(length));
            output.Advance(length);
        }
        catch (Exception ex) when (IsLibraryError(ex))
        {
            throw Translate(ex, options, typeof(T), reading: false);
        }
        finally
        {
            if (stream.Capacity <= 1024 * 1024)
            {
                _threadStream = stream;
            }
        }
    }

    /// <summary>Deserializes one BSON document with MongoDB.Bson's <see cref="BsonSerializer"/>.</summary>
    /// <typeparam name="T">The target type; <see cref="JsonNode"/> and its subclasses read the tree.</typeparam>
    /// <param name="data">
    /// The document. MongoDB.Bson reads it through a guarded stream and reader: every length prefix that leads to an
    /// allocation is checked against the bytes left before the library allocates, and nesting is counted against
    /// <see cref="SerializerOptions.MaxDepth"/>, so hostile input costs bounded memory and stack.
    /// </param>
    /// <param name="options">Limits.</param>
    /// <returns>The value.</returns>
    /// <exception cref="SerializationException">The input is malformed or does not fit <typeparamref name="T"/>
    /// (including a <c>_t</c> discriminator naming a type that is not allowed).</exception>
    /// <exception cref="SerializationLimitException">The input breaks a limit.</exception>
    public T? Deserialize<T>(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        if (typeof(JsonNode).IsAssignableFrom(typeof(T)))
        {
            JsonObject? tree = BsonTreeReader.Read(data, options, build: true);
            return tree is T typed
                ? typed
                : throw new SerializationException(FormatName, $"a BSON document is an object, not a {typeof(T).Name}");
        }

        if (data.Length < 5 || BinaryPrimitives.ReadInt32LittleEndian(data) != data.Length || data[^1] != 0)
        {
            // The full reader says what is wrong and where.
            BsonTreeReader.Read(data, options, build: false);
            throw new SerializationException(FormatName, "the document's length prefix or terminator is not valid BSON");
        }

        // Most types copy every value out, so a pooled buffer serves; a type that may keep a slice of the input
        // (RawBsonDocument and the like) gets an array of its own, or later calls would overwrite what it reads.
        bool pooled = !AliasCheck<T>.MayAlias;
        byte[] buffer = pooled ? ArrayPool<byte>.Shared.Rent(data.Length) : new byte[data.Length];
        try
        {
            data.CopyTo(buffer);
            using var stream = new GuardedBsonStream(buffer, data.Length);
            using var reader = new GuardedBsonReader(stream, options.MaxDepth);
            T result = BsonSerializer.Deserialize<T>(reader);
            if (stream.Position != data.Length)
            {
                throw new SerializationException(FormatName, $"unexpected data after the document at byte {stream.Position}");
            }

            return result;
        }
        catch (Exception ex) when (IsLibraryError(ex))
        {
            throw Translate(ex, options, typeof(T), reading: true);
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <inheritdoc/>
    public double Probe(ReadOnlySpan<byte> sample) => BsonProbe.Score(sample);

    private static BsonBinaryWriterSettings WriterSettingsFor(int maxDepth) =>
        WriterSettings.GetOrAdd(maxDepth, static depth =>
        {
            var settings = new BsonBinaryWriterSettings { MaxSerializationDepth = depth };
            settings.Freeze();
            return settings;
        });

    private static class AliasCheck<T>
    {
        public static readonly bool MayAlias = BufferAliasing.MayAlias(typeof(T));
    }

    private static bool IsLibraryError(Exception ex) =>
        ex is not SerializationException
        && ex is BsonException or FormatException or InvalidOperationException or ArgumentException or EndOfStreamException
            or IOException or OverflowException or InvalidCastException or NotSupportedException;

    private static SerializationException Translate(Exception ex, SerializerOptions options, Type type, bool reading)
    {
        Exception innermost = ex;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        if (innermost is GuardedBsonReader.DepthExceededException || innermost.Message.Contains("Maximum serialization depth exceeded", StringComparison.Ordinal))
        {
            return new SerializationLimitException(FormatName, "MaxDepth", options.MaxDepth, "set SerializerOptions.MaxDepth higher", innerException: ex);
        }

        string cause = innermost.Message.TrimEnd('.');
        if (!reading && innermost is InvalidOperationException && cause.Contains("root level", StringComparison.Ordinal))
        {
            return new SerializationException(FormatName, $"{type.Name} does not serialize to a document; the root of BSON must be a document (a class or a dictionary), so wrap the value", innerException: ex);
        }

        return reading
            ? new SerializationException(FormatName, $"the document does not fit {type.Name}: {cause}", innerException: ex)
            : new SerializationException(FormatName, $"{type.Name} cannot be serialized: {cause}", innerException: ex);
    }
}
