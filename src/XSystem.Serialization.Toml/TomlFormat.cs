using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using XSystem.Serialization;
using XSystem.Serialization.Internal;
using XSystem.Serialization.Toml;
using XSystem.Serialization.Toml.Internal;

[assembly: RegisterFormat(typeof(TomlFormat))]

namespace XSystem.Serialization.Toml;

/// <summary>
/// TOML (<c>.toml</c>, <c>application/toml</c>): a strict TOML 1.0 reader (TOML 1.1 on request through
/// <see cref="TomlOptions.Version"/>) and a writer whose output re-reads to the same tree.
/// </summary>
/// <remarks>
/// <para>
/// Reading: tables become <see cref="JsonObject"/>s (key order kept), arrays and arrays of tables become
/// <see cref="JsonArray"/>s, integers become <see cref="long"/>, floats (including <c>inf</c> and <c>nan</c>) become
/// <see cref="double"/>, offset date-times become <see cref="DateTimeOffset"/>, local date-times become
/// <see cref="DateTime"/> with <see cref="DateTimeKind.Unspecified"/>, local dates become <see cref="DateOnly"/> and
/// local times become <see cref="TimeOnly"/>, all as typed <see cref="JsonValue"/>s. Every rule of the specification is
/// enforced: a key or table defined twice, a header that reopens a table or extends an inline table or a static array,
/// bad escapes, control characters, invalid dates and out-of-range numbers are <see cref="SerializationException"/>s
/// with line, column and an excerpt.
/// </para>
/// <para>
/// Writing: the root must be a <see cref="JsonObject"/>. Keys holding scalars and inline values come first in each
/// table, then sub-tables as <c>[headers]</c> and arrays made only of objects as <c>[[arrays of tables]]</c>; every
/// other array is written inline. A null anywhere, an integer beyond 64 bits and a lone surrogate throw
/// <see cref="SerializationException"/> naming the JSON path.
/// </para>
/// <para>Thread safety: the format is stateless; one instance serves any number of threads.</para>
/// </remarks>
public sealed class TomlFormat : IFormat
{
    private const string FormatName = "toml";

    /// <summary>The format's name: <c>toml</c>.</summary>
    public string Name => FormatName;

    /// <summary>No aliases.</summary>
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <summary><c>.toml</c>.</summary>
    public IReadOnlyList<string> Extensions { get; } = [".toml"];

    /// <summary><c>application/toml</c>.</summary>
    public IReadOnlyList<string> MediaTypes { get; } = ["application/toml"];

    /// <summary>Text, tree, comments.</summary>
    public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree | FormatCapabilities.Comments;

    /// <summary>Parses a TOML document into a <see cref="JsonObject"/> (an empty document gives an empty object).</summary>
    /// <param name="data">UTF-8 text; a leading byte order mark is skipped.</param>
    /// <param name="options">Limits and <see cref="TomlOptions"/>.</param>
    /// <returns>The root table; never null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="SerializationException">The input is not valid TOML for the configured <see cref="TomlOptions.Version"/>.</exception>
    /// <exception cref="SerializationLimitException">The input is larger than <see cref="SerializerOptions.MaxBytes"/> or nests deeper than <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        data = FormatGuards.SkipUtf8Bom(data);
        if (!Utf8.IsValid(data))
        {
            int offset = FirstInvalidUtf8(data);
            throw FormatGuards.At(FormatName, "the input is not valid UTF-8 (TOML documents must be UTF-8)", data, offset);
        }

        bool v11 = options.GetFormatOptions<TomlOptions>().Version == TomlVersion.Toml11;
        return TomlReader.Read(data, options, v11);
    }

    /// <summary>Writes a tree as a TOML document.</summary>
    /// <param name="tree">The tree; must be a <see cref="JsonObject"/>.</param>
    /// <param name="output">Where the UTF-8 text goes.</param>
    /// <param name="options">Limits; <see cref="SerializerOptions.Indent"/> has no effect (TOML output is one key per line).</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="SerializationException">The root is not an object, or the tree holds a value TOML cannot hold; the message names its JSON path.</exception>
    /// <exception cref="SerializationLimitException">The tree nests deeper than <see cref="SerializerOptions.MaxDepth"/>.</exception>
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        TomlWriter.Write(tree, output, options);
    }

    /// <summary>
    /// Scores how TOML-like the sample is: <c>key = value</c> lines whose values are TOML values (quoted strings, numbers,
    /// booleans, dates, arrays, inline tables) and <c>[table]</c>/<c>[[array]]</c> headers score high; INI-style unquoted
    /// values, YAML and JSON score low.
    /// </summary>
    /// <param name="sample">The start of the content.</param>
    /// <returns>A score from 0 to 1.</returns>
    public double Probe(ReadOnlySpan<byte> sample) => TomlProbe.Score(FormatGuards.SkipUtf8Bom(sample));

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> data)
    {
        int offset = 0;
        while (offset < data.Length)
        {
            if (Rune.DecodeFromUtf8(data[offset..], out _, out int consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }
}
