using System.Buffers;
using System.Text.Json.Nodes;
using global::MessagePack;
using XSystem.Serialization;
using XSystem.Serialization.Internal;
using XSystem.Serialization.MessagePack;
using XSystem.Serialization.MessagePack.Internal;

[assembly: RegisterFormat(typeof(MessagePackFormat))]

namespace XSystem.Serialization.MessagePack;

/// <summary>
/// MessagePack on MessagePack-CSharp. The tree is read and written with the library's reader and writer primitives:
/// bin becomes <c>byte[]</c>, the timestamp extension (type -1) becomes <see cref="DateTimeOffset"/>, other extensions
/// become <c>{ "$ext": type, "data": bytes }</c> (written back as the same extension), integer and other scalar map
/// keys become their invariant string form, and unsigned integers beyond <see cref="long.MaxValue"/> stay
/// <see cref="ulong"/>. Typed values go straight through MessagePack-CSharp with the contractless resolver (plain
/// classes need no attributes) and <see cref="MessagePackSecurity.UntrustedData"/>; typeless mode is never used, so
/// no input can name a .NET type.
/// </summary>
/// <remarks>
/// Available as <see cref="Formats.MessagePack"/> once this package is referenced (no registration call).
/// The typed path maps members by MessagePack-CSharp's contractless rules (public members by name; <c>[IgnoreMember]</c>,
/// <c>[DataMember]</c>), not by System.Text.Json attributes.
/// Thread safety: stateless; one instance serves any number of threads.
/// </remarks>
public sealed class MessagePackFormat : ITypedFormat, IArraySerializer
{
    private const string FormatName = MessagePackTreeReader.FormatName;

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public IReadOnlyList<string> Aliases { get; } = ["messagepack", "mpk"];

    /// <inheritdoc/>
    public IReadOnlyList<string> Extensions { get; } = [".msgpack", ".mpk", ".mp"];

    /// <inheritdoc/>
    public IReadOnlyList<string> MediaTypes { get; } = ["application/msgpack", "application/x-msgpack", "application/vnd.msgpack"];

    /// <inheritdoc/>
    public FormatCapabilities Capabilities => FormatCapabilities.Tree | FormatCapabilities.Typed;

    /// <summary>Parses one MessagePack value into the tree.</summary>
    /// <param name="data">The encoded value; nothing may follow it.</param>
    /// <param name="options">Limits (<see cref="SerializerOptions.MaxBytes"/>, <see cref="SerializerOptions.MaxDepth"/>).</param>
    /// <returns>The tree; <see langword="null"/> for nil.</returns>
    /// <exception cref="SerializationException">The input is truncated, malformed, holds invalid UTF-8, a key that
    /// cannot become a string (binary, array, map, extension) or a key that repeats once converted.</exception>
    /// <exception cref="SerializationLimitException">The input breaks a limit.</exception>
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return MessagePackTreeReader.Parse(data, options);
    }

    /// <summary>Writes a tree as one MessagePack value.</summary>
    /// <param name="tree">The tree; <see langword="null"/> writes nil.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">Limits.</param>
    /// <exception cref="SerializationException">An integer does not fit 64 bits; the message names its path.</exception>
    /// <exception cref="SerializationLimitException">The tree is deeper than <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        MessagePackTreeWriter.Write(tree, output, options);
    }

    /// <summary>
    /// Serializes a value with MessagePack-CSharp (contractless resolver). A <see cref="JsonNode"/> is written as a tree.
    /// </summary>
    /// <typeparam name="T">The declared type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="options">Limits; <see cref="SerializerOptions.MaxDepth"/> bounds the nesting of reference types (a cyclic graph fails cleanly).</param>
    /// <exception cref="SerializationException">MessagePack-CSharp cannot serialize the value.</exception>
    /// <exception cref="SerializationLimitException">The object graph nests deeper than <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public void Serialize<T>(T value, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        if (value is JsonNode node)
        {
            MessagePackTreeWriter.Write(node, output, options);
            return;
        }

        try
        {
            TypedOptions.Serialize(output, value, options);
        }
        catch (MessagePackSerializationException ex)
        {
            throw Translate(ex, options, typeof(T), reading: false);
        }
    }

    /// <summary>
    /// The same bytes as <see cref="Serialize{T}(T, IBufferWriter{byte}, SerializerOptions)"/>, produced by
    /// MessagePack-CSharp's own array path (its per-thread scratch buffer), so a call costs one exact-size copy.
    /// </summary>
    byte[] IArraySerializer.SerializeToArray<T>(T value, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (value is JsonNode node)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            MessagePackTreeWriter.Write(node, buffer, options);
            return buffer.WrittenSpan.ToArray();
        }

        try
        {
            return TypedOptions.SerializeToArray(value, options);
        }
        catch (MessagePackSerializationException ex)
        {
            throw Translate(ex, options, typeof(T), reading: false);
        }
    }

    /// <summary>Deserializes one MessagePack value with MessagePack-CSharp (contractless resolver, untrusted-data security).</summary>
    /// <typeparam name="T">The target type; <see cref="JsonNode"/> and its subclasses read the tree.</typeparam>
    /// <param name="data">The encoded value; nothing may follow it.</param>
    /// <param name="options">Limits.</param>
    /// <returns>The value.</returns>
    /// <exception cref="SerializationException">The input is malformed or does not fit <typeparamref name="T"/>.</exception>
    /// <exception cref="SerializationLimitException">The input breaks a limit.</exception>
    public T? Deserialize<T>(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (typeof(JsonNode).IsAssignableFrom(typeof(T)))
        {
            JsonNode? tree = MessagePackTreeReader.Parse(data, options);
            return tree is null or T
                ? (T?)(object?)tree
                : throw new SerializationException(FormatName, $"the document is a {tree.GetValueKind()}, not a {typeof(T).Name}");
        }

        FormatGuards.CheckSize(data.Length, options, FormatName);
        if (data.IsEmpty)
        {
            throw new SerializationException(FormatName, "the input is empty; a MessagePack document holds at least one value");
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        try
        {
            data.CopyTo(buffer);
            T? result = MessagePackSerializer.Deserialize<T>(buffer.AsMemory(0, data.Length), TypedOptions.ForRead(options), out int read);
            if (read != data.Length)
            {
                throw new SerializationException(FormatName, $"unexpected data after the document at byte {read}; a MessagePack document is one value");
            }

            return result;
        }
        catch (MessagePackSerializationException ex)
        {
            throw Translate(ex, options, typeof(T), reading: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public double Probe(ReadOnlySpan<byte> sample) => MessagePackProbe.Score(sample);

    private static SerializationException Translate(MessagePackSerializationException ex, SerializerOptions options, Type type, bool reading)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is InsufficientExecutionStackException or TypedOptions.DepthExceededException)
            {
                return new SerializationLimitException(FormatName, "MaxDepth", options.MaxDepth, "set SerializerOptions.MaxDepth higher", innerException: ex);
            }
        }

        string cause = ex.InnerException is { } detail ? detail.Message : ex.Message;
        return reading
            ? new SerializationException(FormatName, $"the document does not fit {type.Name}: {cause.TrimEnd('.')}", innerException: ex)
            : new SerializationException(FormatName, $"{type.Name} cannot be serialized: {cause.TrimEnd('.')}", innerException: ex);
    }
}
