using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Internal;
using XSystem.Serialization.Json;

[assembly: XSystem.Serialization.RegisterFormat(typeof(JsonFormat))]

namespace XSystem.Serialization.Json;

/// <summary>
/// JSON (RFC 8259). Trees are read with <see cref="Utf8JsonReader"/> under the limits of <see cref="SerializerOptions"/>;
/// typed values go straight to System.Text.Json.
/// </summary>
/// <remarks>
/// Duplicate object keys: the last one wins. Integers beyond 64 bits read as <see cref="System.Numerics.BigInteger"/>;
/// numbers beyond <see cref="double"/> read as infinity. On write, <c>byte[]</c> becomes base64 and NaN or infinity
/// is refused (JSON has no literal for them).
/// Thread safety: stateless; one instance serves all threads.
/// </remarks>
public sealed class JsonFormat : ITypedFormat
{
    private static readonly JsonSerializerOptions DefaultJsonOptions = new(JsonSerializerOptions.Default)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // The same settings with WriteIndented on, for the typed fast path under the default SerializerOptions.Indent.
    private static readonly JsonSerializerOptions DefaultIndentedJsonOptions = new(DefaultJsonOptions) { WriteIndented = true };

    /// <inheritdoc />
    public string Name => "json";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".json"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["application/json", "text/json"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree | FormatCapabilities.Typed;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return JsonTreeReader.Parse(data, options);
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        JsonTreeWriter.Write(tree, output, options, Name, options.Indent);
    }

    /// <inheritdoc />
    public void Serialize<T>(T value, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        JsonSerializerOptions json = EffectiveJsonOptions(options);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = options.Indent, Encoder = json.Encoder, MaxDepth = options.MaxDepth });
        try
        {
            JsonSerializer.Serialize(writer, value, json);
        }
        catch (JsonException ex)
        {
            throw new SerializationException(Name, ex.Message, path: ex.Path, innerException: ex);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new SerializationLimitException(Name, "MaxDepth", options.MaxDepth, "set SerializerOptions.MaxDepth higher");
        }
    }

    /// <summary>
    /// Serializes a value to a new array. System.Text.Json writes into its own pooled buffer and copies once, which is
    /// cheaper than a fresh <see cref="ArrayBufferWriter{T}"/> and <see cref="Utf8JsonWriter"/> per call.
    /// </summary>
    internal byte[] SerializeToBytes<T>(T value, SerializerOptions options)
    {
        JsonSerializerOptions json = WriterJsonOptions(options);
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, json);
        }
        catch (JsonException ex)
        {
            throw new SerializationException(Name, ex.Message, path: ex.Path, innerException: ex);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new SerializationLimitException(Name, "MaxDepth", options.MaxDepth, "set SerializerOptions.MaxDepth higher");
        }
    }

    /// <inheritdoc />
    public T? Deserialize<T>(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, Name);
        data = FormatGuards.SkipUtf8Bom(data);
        try
        {
            return JsonSerializer.Deserialize<T>(data, EffectiveJsonOptions(options));
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            throw new SerializationException(Name, TrimLocation(ex.Message), line, column, ex.Path, innerException: ex);
        }
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample) => JsonProbe.Score(sample).Json;

    /// <summary>The System.Text.Json options in effect: the caller's, with <see cref="SerializerOptions.MaxDepth"/> applied.</summary>
    internal static JsonSerializerOptions EffectiveJsonOptions(SerializerOptions options)
    {
        JsonSerializerOptions json = options.JsonSerializerOptions ?? DefaultJsonOptions;
        if (json.MaxDepth == options.MaxDepth || (json.MaxDepth == 0 && options.MaxDepth == SerializerOptions.DefaultMaxDepth))
        {
            return json;
        }

        return DepthVariants.Get(json, options.MaxDepth);
    }

    /// <summary>
    /// The effective options with <see cref="JsonSerializerOptions.WriteIndented"/> set from <see cref="SerializerOptions.Indent"/>,
    /// so System.Text.Json can build its own writer with the same settings <see cref="Serialize{T}"/> uses.
    /// </summary>
    private static JsonSerializerOptions WriterJsonOptions(SerializerOptions options)
    {
        JsonSerializerOptions json = EffectiveJsonOptions(options);
        if (json.WriteIndented == options.Indent)
        {
            return json;
        }

        return ReferenceEquals(json, DefaultJsonOptions) ? DefaultIndentedJsonOptions : IndentVariants.Get(json);
    }

    private static string TrimLocation(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut].TrimEnd() : message;
    }

    /// <summary>Caches a copy of a caller's options per MaxDepth, so the typed path does not rebuild metadata on each call.</summary>
    private static class DepthVariants
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonSerializerOptions, System.Collections.Concurrent.ConcurrentDictionary<int, JsonSerializerOptions>> Cache = new();

        public static JsonSerializerOptions Get(JsonSerializerOptions source, int maxDepth) =>
            Cache.GetOrCreateValue(source).GetOrAdd(maxDepth, static (depth, src) => new JsonSerializerOptions(src) { MaxDepth = depth }, source);
    }

    /// <summary>Caches a copy of a caller's options with <see cref="JsonSerializerOptions.WriteIndented"/> flipped.</summary>
    private static class IndentVariants
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Cache = new();

        public static JsonSerializerOptions Get(JsonSerializerOptions source) =>
            Cache.GetValue(source, static src => new JsonSerializerOptions(src) { WriteIndented = !src.WriteIndented });
    }
}
