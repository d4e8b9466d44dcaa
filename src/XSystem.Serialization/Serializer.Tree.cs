using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization;

public static partial class Serializer
{
    /// <summary>Parses a document into the tree.</summary>
    /// <param name="data">The encoded document.</param>
    /// <param name="format">The format.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The tree; null for a null document.</returns>
    /// <exception cref="SerializationException">The input is malformed.</exception>
    /// <exception cref="SerializationLimitException">The input breaks a limit.</exception>
    public static JsonNode? Parse(ReadOnlySpan<byte> data, IFormat format, SerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format.Parse(data, options ?? SerializerOptions.Default);
    }

    /// <summary>Parses text into the tree.</summary>
    /// <param name="text">The document.</param>
    /// <param name="format">A text format.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The tree; null for a null document.</returns>
    /// <exception cref="SerializationException">The input is malformed.</exception>
    public static JsonNode? Parse(string text, IFormat format, SerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(format);
        return Parse(Utf8(text, options, format), format, options);
    }

    /// <summary>Writes a tree as one document.</summary>
    /// <param name="tree">The tree.</param>
    /// <param name="format">The format.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The encoded bytes.</returns>
    /// <exception cref="SerializationException">The tree holds a value the format cannot represent; the message names its path.</exception>
    public static byte[] Write(JsonNode? tree, IFormat format, SerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        var buffer = new ArrayBufferWriter<byte>(256);
        format.Write(tree, buffer, options ?? SerializerOptions.Default);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a tree as text in a text format.</summary>
    /// <param name="tree">The tree.</param>
    /// <param name="format">A text format.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentException">The format is binary.</exception>
    public static string WriteToString(JsonNode? tree, IFormat format, SerializerOptions? options = null)
    {
        RequireText(format);
        return Encoding.UTF8.GetString(Write(tree, format, options));
    }

    /// <summary>Converts a document from one format to another through the tree.</summary>
    /// <param name="data">The document in <paramref name="from"/>.</param>
    /// <param name="from">The input format.</param>
    /// <param name="to">The output format.</param>
    /// <param name="options">Limits and settings for both sides; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The document in <paramref name="to"/>.</returns>
    /// <exception cref="SerializationException">The input is malformed, or holds a value the output format cannot represent.</exception>
    public static byte[] Convert(ReadOnlySpan<byte> data, IFormat from, IFormat to, SerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        options ??= SerializerOptions.Default;
        return Write(from.Parse(data, options), to, options);
    }
}
