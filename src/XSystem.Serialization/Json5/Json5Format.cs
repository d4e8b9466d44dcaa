using System.Buffers;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(Json5Format))]

namespace XSystem.Serialization;

/// <summary>
/// JSON5 (https://spec.json5.org): JSON with comments, trailing commas, single-quoted strings, unquoted member names,
/// hexadecimal numbers, leading and trailing decimal points, explicit plus signs, <c>Infinity</c> and <c>NaN</c>, and
/// line continuations in strings. Every JSON document is also JSON5. Built in, read by XSystem's own parser.
/// </summary>
/// <remarks>
/// <para>Reading: integers that fit in <see cref="long"/> become <see cref="long"/> values; other integers keep their exact
/// digits as a JSON number (a <see cref="System.Text.Json.JsonElement"/>); numbers with a fraction or exponent become
/// <see cref="double"/> (out-of-range ones keep their exact text); <c>Infinity</c>, <c>-Infinity</c> and <c>NaN</c> become
/// <see cref="double"/> values; <c>-0</c> becomes the double -0.0. A repeated member name keeps the last value, as the
/// specification says.</para>
/// <para>Writing: identifiers stay unquoted, strings in double quotes (see <see cref="Json5Options"/>), non-finite doubles as
/// <c>NaN</c>/<c>Infinity</c>, integral doubles with <c>.0</c> so they read back as doubles.</para>
/// Thread safety: stateless; one instance serves every caller.
/// </remarks>
public sealed class Json5Format : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "json5";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".json5"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["application/json5"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree | FormatCapabilities.Comments;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        return Json5Reader.Parse(FormatGuards.SkipUtf8Bom(data), options);
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        Json5Writer.Write(tree, output, options);
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample) => Json5Probe.Score(sample);
}
