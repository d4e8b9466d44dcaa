using System.Buffers;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(FormUrlEncodedFormat))]

namespace XSystem.Serialization;

/// <summary>
/// HTML form URL encoding, <c>application/x-www-form-urlencoded</c>, as the WHATWG URL standard defines it. Built in.
/// The tree is an object of names; every value is a string, and a repeated name gives an array of strings.
/// </summary>
/// <remarks>
/// <para>Reading: the input is split on <c>&amp;</c> (empty sequences skipped) and each sequence at its first <c>=</c>
/// (none: the value is empty); <c>+</c> becomes a space, <c>%XX</c> a byte (invalid escapes such as <c>%zz</c> stay as
/// written), and the bytes are decoded as UTF-8 with U+FFFD for invalid sequences. A repeated name turns into an array at
/// the position of its first occurrence. One trailing line break at the end of the input is ignored. With
/// <see cref="FormOptions.BracketNesting"/>, <c>a[b]=1</c> nests objects and <c>a[]=1</c> appends to an array.</para>
/// <para>Writing: the root must be an object; strings, numbers (invariant JSON text) and booleans become values; an array
/// becomes repeated names (<c>name[]</c> with bracket nesting); a nested object becomes bracket names (<c>a[b]=1</c>);
/// null, empty objects and arrays, and lists of objects or lists throw <see cref="SerializationException"/> naming the JSON
/// path. Lossy: every scalar reads back as a string; without bracket nesting a one-item array reads back as a plain string
/// and a nested object as flat <c>"a[b]"</c> names.</para>
/// Thread safety: stateless; one instance serves every caller.
/// </remarks>
public sealed class FormUrlEncodedFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "form";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["urlencoded", "x-www-form-urlencoded", "formdata", "form-urlencoded"];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".form", ".urlencoded"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["application/x-www-form-urlencoded"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        return FormReader.Read(FormatGuards.SkipUtf8Bom(data), options, options.GetFormatOptions<FormOptions>());
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        FormWriter.Write(tree, output, options.GetFormatOptions<FormOptions>());
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample) => FormProbe.Score(sample);
}
