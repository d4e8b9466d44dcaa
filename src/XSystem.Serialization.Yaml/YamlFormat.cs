using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Internal;
using XSystem.Serialization.Yaml;
using XSystem.Serialization.Yaml.Internal;
using YamlDotNet.Core;

[assembly: RegisterFormat(typeof(YamlFormat))]

namespace XSystem.Serialization.Yaml;

/// <summary>
/// YAML 1.2 on YamlDotNet's parser, with safe loading only: the tree is built from the parser's events, so no tag
/// ever names a .NET type. Plain scalars resolve by the YAML 1.2 core schema; anchors and aliases are expanded
/// within <see cref="YamlOptions.MaxAliasExpansion"/>; duplicate keys are rejected; multi-document streams are read
/// with <see cref="ParseAll(ReadOnlySpan{byte}, SerializerOptions?)"/>. The writer emits block style and quotes a
/// string only when it would otherwise read back as something else.
/// </summary>
/// <remarks>
/// Available as <see cref="Formats.Yaml"/> once this package is referenced (no registration call).
/// Thread safety: stateless; one instance serves any number of threads.
/// </remarks>
public sealed class YamlFormat : IFormat
{
    private const string FormatName = "yaml";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc/>
    public string Name => FormatName;

    /// <inheritdoc/>
    public IReadOnlyList<string> Aliases { get; } = ["yml"];

    /// <inheritdoc/>
    public IReadOnlyList<string> Extensions { get; } = [".yaml", ".yml"];

    /// <inheritdoc/>
    public IReadOnlyList<string> MediaTypes { get; } = ["application/yaml", "application/x-yaml", "text/yaml"];

    /// <inheritdoc/>
    public FormatCapabilities Capabilities =>
        FormatCapabilities.Text | FormatCapabilities.Tree | FormatCapabilities.MultiDocument | FormatCapabilities.Comments;

    /// <summary>
    /// Parses every document of a YAML stream (documents separated by <c>---</c>).
    /// </summary>
    /// <param name="data">UTF-8 text (a byte order mark is skipped; UTF-16 with a byte order mark is accepted too).</param>
    /// <param name="options">Limits and <see cref="YamlOptions"/>; <see langword="null"/> for the defaults.</param>
    /// <returns>One tree per document, in order; empty for a stream without documents.</returns>
    /// <exception cref="SerializationException">The input is malformed, holds a duplicate key, an undefined alias or a rejected tag.</exception>
    /// <exception cref="SerializationLimitException">The input breaks <see cref="SerializerOptions.MaxBytes"/>,
    /// <see cref="SerializerOptions.MaxDepth"/> or <see cref="YamlOptions.MaxAliasExpansion"/>.</exception>
    public static IReadOnlyList<JsonNode?> ParseAll(ReadOnlySpan<byte> data, SerializerOptions? options = null)
    {
        options ??= SerializerOptions.Default;
        FormatGuards.CheckSize(data.Length, options, FormatName);
        string text = Decode(data);
        try
        {
            return new YamlTreeReader(text, options).ReadAll();
        }
        catch (YamlException ex)
        {
            throw Translate(ex, text);
        }
        catch (YamlReadException ex)
        {
            throw Translate(ex, text, options);
        }
    }

    /// <summary>
    /// Parses a stream holding at most one document. A stream with several documents throws and says to call
    /// <see cref="ParseAll(ReadOnlySpan{byte}, SerializerOptions?)"/>; an empty stream gives <see langword="null"/>.
    /// </summary>
    /// <param name="data">UTF-8 text (a byte order mark is skipped).</param>
    /// <param name="options">Limits and <see cref="YamlOptions"/>.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="SerializationException">The input is malformed or holds more than one document.</exception>
    /// <exception cref="SerializationLimitException">The input breaks a limit.</exception>
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        string text = Decode(data);
        try
        {
            return new YamlTreeReader(text, options).ReadSingle();
        }
        catch (YamlException ex)
        {
            throw Translate(ex, text);
        }
        catch (YamlReadException ex)
        {
            throw Translate(ex, text, options);
        }
    }

    /// <summary>Writes a tree as one block-style YAML document.</summary>
    /// <param name="tree">The tree; <see langword="null"/> writes <c>null</c>.</param>
    /// <param name="output">Where the UTF-8 bytes go.</param>
    /// <param name="options">Limits and <see cref="YamlOptions"/> (<see cref="YamlOptions.IndentSize"/>).</param>
    /// <exception cref="SerializationException">A string holds a lone surrogate, or a typed value cannot be written; the message names its path.</exception>
    /// <exception cref="SerializationLimitException">The tree is deeper than <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        var writer = new YamlTreeWriter(options);
        writer.AppendDocument(tree, marker: false);
        writer.CopyTo(output);
    }

    /// <summary>Writes several trees as one YAML stream, each document after the first introduced by <c>---</c>.</summary>
    /// <param name="documents">The trees.</param>
    /// <param name="output">Where the UTF-8 bytes go.</param>
    /// <param name="options">Limits and <see cref="YamlOptions"/>; <see langword="null"/> for the defaults.</param>
    /// <exception cref="SerializationException">A tree holds a value YAML cannot write.</exception>
    /// <exception cref="SerializationLimitException">A tree is deeper than <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public static void WriteAll(IEnumerable<JsonNode?> documents, IBufferWriter<byte> output, SerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(output);
        options ??= SerializerOptions.Default;
        var writer = new YamlTreeWriter(options);
        bool first = true;
        foreach (JsonNode? document in documents)
        {
            FormatGuards.CheckTreeDepth(document, options, FormatName);
            writer.AppendDocument(document, marker: !first);
            first = false;
        }

        writer.CopyTo(output);
    }

    /// <inheritdoc/>
    public double Probe(ReadOnlySpan<byte> sample) => YamlProbe.Score(sample);

    private static string Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
        {
            // UTF-16 with a byte order mark, which YAML allows.
            Encoding utf16 = data[0] == 0xFF
                ? new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true)
                : new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
            try
            {
                return utf16.GetString(data[2..]);
            }
            catch (DecoderFallbackException ex)
            {
                throw new SerializationException(FormatName, "the UTF-16 input holds an invalid code unit sequence", innerException: ex);
            }
        }

        ReadOnlySpan<byte> text = FormatGuards.SkipUtf8Bom(data);
        try
        {
            return StrictUtf8.GetString(text);
        }
        catch (DecoderFallbackException ex)
        {
            int offset = ex.Index >= 0 ? ex.Index : 0;
            offset = Math.Min(offset + (data.Length - text.Length), data.Length);
            throw FormatGuards.At(FormatName, "the input is not valid UTF-8; save the file as UTF-8", data, offset, inner: ex);
        }
    }

    private static SerializationException Translate(YamlException ex, string text)
    {
        Mark start = ex.Start;
        string message = ex.Message;

        // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 1) - (Line: 1, Col: 3, Idx: 2): ".
        int cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
        {
            message = message[(cut + 3)..];
        }

        return Error(message.TrimEnd('.'), start, text, ex);
    }

    private static SerializationException Translate(YamlReadException ex, string text, SerializerOptions options)
    {
        Mark at = ex.At;
        long? line = at.Line > 0 ? at.Line : null;
        long? column = at.Column > 0 ? at.Column : null;
        return ex.LimitKind switch
        {
            YamlReadException.Limit.MaxDepth => new SerializationLimitException(
                FormatName, "MaxDepth", options.MaxDepth, "set SerializerOptions.MaxDepth higher", line, column, ex.JsonPath),
            YamlReadException.Limit.MaxAliasExpansion => new SerializationLimitException(
                FormatName,
                "MaxAliasExpansion",
                options.GetFormatOptions<YamlOptions>().MaxAliasExpansion,
                "set YamlOptions.MaxAliasExpansion higher (aliases copy their anchored node; this input copies too many nodes, as a \"billion laughs\" attack does)",
                line,
                column,
                ex.JsonPath),
            _ => Error(ex.Problem ?? ex.Message, at, text, ex, ex.JsonPath),
        };
    }

    private static SerializationException Error(string problem, Mark at, string text, Exception inner, string? path = null)
    {
        long? line = at.Line > 0 ? at.Line : null;
        long? column = at.Column > 0 ? at.Column : null;
        string? excerpt = null;
        if (line is not null && text.Length > 0)
        {
            int index = (int)Math.Clamp(at.Index, 0, text.Length);
            int start = Math.Max(0, index - 40);
            int end = Math.Min(text.Length, index + 40);
            byte[] bytes = Encoding.UTF8.GetBytes(text[start..end]);
            excerpt = FormatGuards.Excerpt(bytes, Encoding.UTF8.GetByteCount(text.AsSpan(start, index - start)));
        }

        return new SerializationException(FormatName, problem, line, column, path, excerpt, inner);
    }
}
