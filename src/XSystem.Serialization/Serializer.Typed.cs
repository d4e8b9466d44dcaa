using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Json;

namespace XSystem.Serialization;

public static partial class Serializer
{
    private const string ReflectionMessage = "Maps .NET types through reflection-based System.Text.Json metadata.";

    /// <summary>Serializes a value in a format. Formats with a typed path (JSON) use it; others go through the tree.</summary>
    /// <typeparam name="T">The declared type; System.Text.Json attributes on it govern every format.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="format">The format, for example <see cref="Formats.Yaml"/>.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The encoded bytes.</returns>
    /// <exception cref="SerializationException">The value holds something the format cannot represent; the message names its path.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static byte[] Serialize<T>(T value, IFormat format, SerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        options ??= SerializerOptions.Default;
        if (format is JsonFormat json)
        {
            return json.SerializeToBytes(value, options);
        }

        Internal.TypedDispatch<T>.Entry? bound = format is ITypedFormat typedFormat ? Internal.TypedDispatch<T>.For(typedFormat) : null;
        if (bound?.SerializeToArray is { } toArray)
        {
            return toArray(value, options);
        }

        // One buffer per thread, taken out while in use (a format may call Serialize again), so a call costs one
        // exact-size copy instead of a growing buffer per call.
        ArrayBufferWriter<byte> buffer = _threadBuffer ?? new ArrayBufferWriter<byte>(1024);
        _threadBuffer = null;
        try
        {
            if (bound is not null)
            {
                bound.Serialize(value, buffer, options);
            }
            else
            {
                format.Write(ToTree(value, options, format), buffer, options);
            }

            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            // Keep buffers of a modest size only; a huge one is left to the GC.
            if (buffer.Capacity <= MaxCachedBufferBytes)
            {
                buffer.ResetWrittenCount();
                _threadBuffer = buffer;
            }
        }
    }

    private const int MaxCachedBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    /// <summary>Serializes a value to text in a text format.</summary>
    /// <typeparam name="T">The declared type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="format">A text format (<see cref="FormatCapabilities.Text"/>).</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentException">The format is binary; use <see cref="Serialize{T}"/>.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static string SerializeToString<T>(T value, IFormat format, SerializerOptions? options = null)
    {
        RequireText(format);
        return Encoding.UTF8.GetString(Serialize(value, format, options));
    }

    /// <summary>Deserializes bytes in a format into a value of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="data">The encoded document.</param>
    /// <param name="format">The format.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The value.</returns>
    /// <exception cref="SerializationException">The input is malformed or does not fit <typeparamref name="T"/>.</exception>
    /// <exception cref="SerializationLimitException">The input breaks a limit.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static T? Deserialize<T>(ReadOnlySpan<byte> data, IFormat format, SerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        options ??= SerializerOptions.Default;
        if (format is ITypedFormat typed)
        {
            return Internal.TypedDispatch<T>.For(typed).Deserialize(data, options);
        }

        return FromTree<T>(format.Parse(data, options), options, format);
    }

    /// <summary>Deserializes text in a text format into a value of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="text">The document.</param>
    /// <param name="format">The format.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The value.</returns>
    /// <exception cref="SerializationException">The input is malformed or does not fit <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static T? Deserialize<T>(string text, IFormat format, SerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Deserialize<T>(Utf8(text, options, format), format, options);
    }

    /// <summary>Maps a value to the tree with System.Text.Json metadata.</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    internal static JsonNode? ToTree<T>(T value, SerializerOptions options, IFormat format)
    {
        if (value is JsonNode node)
        {
            return node;
        }

        try
        {
            return JsonSerializer.SerializeToNode(value, JsonFormat.EffectiveJsonOptions(options));
        }
        catch (JsonException ex)
        {
            throw new SerializationException(format.Name, ex.Message, path: ex.Path, innerException: ex);
        }
        catch (NotSupportedException ex)
        {
            throw new SerializationException(format.Name, ex.Message, innerException: ex);
        }
    }

    /// <summary>Maps a tree to a value with System.Text.Json metadata.</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    internal static T? FromTree<T>(JsonNode? tree, SerializerOptions options, IFormat format)
    {
        if (tree is T same && typeof(JsonNode).IsAssignableFrom(typeof(T)))
        {
            return same;
        }

        try
        {
            return tree is null ? JsonSerializer.Deserialize<T>("null"u8, JsonFormat.EffectiveJsonOptions(options)) : tree.Deserialize<T>(JsonFormat.EffectiveJsonOptions(options));
        }
        catch (JsonException ex)
        {
            throw new SerializationException(format.Name, $"the document does not fit {typeof(T).Name}: {TrimPath(ex.Message)}", path: ex.Path, innerException: ex);
        }
        catch (FormatException ex) when (ex is not SerializationException)
        {
            throw new SerializationException(format.Name, $"the document does not fit {typeof(T).Name}: {ex.Message}", innerException: ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new SerializationException(format.Name, $"the document does not fit {typeof(T).Name}: {ex.Message}", innerException: ex);
        }
    }

    private static string TrimPath(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut].TrimEnd() : message;
    }

    private static void RequireText(IFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (!format.Capabilities.HasFlag(FormatCapabilities.Text))
        {
            throw new ArgumentException($"The format '{format.Name}' is binary, so it has no text form. Use Serializer.Serialize (bytes) instead.", nameof(format));
        }
    }

    private static byte[] Utf8(string text, SerializerOptions? options, IFormat format)
    {
        // Check the size before encoding a huge string: UTF-8 needs at least one byte per char.
        Internal.FormatGuards.CheckSize(text.Length, options ?? SerializerOptions.Default, format.Name);
        return Encoding.UTF8.GetBytes(text);
    }
}
