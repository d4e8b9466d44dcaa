using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(IniFormat))]

namespace XSystem.Serialization;

/// <summary>
/// INI files: <c>key = value</c> (or <c>key: value</c>) lines, <c>[section]</c> headers, <c>;</c> and <c>#</c> comment lines.
/// Built in. The tree has two levels: keys before the first section are top-level members, and each section is an object.
/// </summary>
/// <remarks>
/// <para>Reading: every value is a string (INI has no types); white space around keys and values is trimmed; a value in double
/// quotes may use the escapes <c>\\ \" \' \n \r \t \0 \uXXXX</c>; a value in single quotes is taken literally; the quotes are
/// removed. A repeated section merges into the first. Section names are kept as written (<c>[a.b]</c> is the key
/// <c>"a.b"</c>, not nested). Duplicate keys, case and inline comments follow <see cref="IniOptions"/>.</para>
/// <para>Writing: top-level scalars first, then one section per top-level object; deeper nesting, nulls and lists (unless
/// <see cref="IniOptions.DuplicateKeys"/> is <see cref="IniDuplicateKeys.Array"/>) throw <see cref="SerializationException"/>
/// naming the JSON path. Values that would not read back exactly (padded with white space, holding quotes at the start,
/// <c>;</c>, <c>#</c>, line breaks or control characters) are written in double quotes with escapes, so comment-free data
/// round-trips exactly.</para>
/// Thread safety: stateless; one instance serves every caller.
/// </remarks>
public sealed class IniFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "ini";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["cfg"];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".ini", ".cfg"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["text/x-ini", "application/x-ini"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree | FormatCapabilities.Comments;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        return IniReader.Read(FormatGuards.SkipUtf8Bom(data), options);
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        string text = IniWriter.Write(tree, options.GetFormatOptions<IniOptions>());
        Encoding.UTF8.GetBytes(text, output);
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample) => IniProbe.Score(sample);
}
