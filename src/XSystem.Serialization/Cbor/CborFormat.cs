using System.Buffers;
using System.Formats.Cbor;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(CborFormat))]

namespace XSystem.Serialization;

/// <summary>
/// CBOR (RFC 8949), read and written through System.Formats.Cbor. Built in.
/// </summary>
/// <remarks>
/// <para>Reading: unsigned and negative integers become <see cref="long"/>, or <see cref="System.Numerics.BigInteger"/>
/// beyond its range; tags 2 and 3 (bignums) become <see cref="System.Numerics.BigInteger"/>; floats of every width
/// (half, single, double) become <see cref="double"/>; byte strings become <c>byte[]</c>; tag 0 (date/time string) and
/// tag 1 (epoch seconds) become <see cref="DateTimeOffset"/>; tag 1004 (RFC 8943 full date) becomes <see cref="DateOnly"/>;
/// indefinite-length strings, arrays and maps are read; <c>undefined</c> becomes null (lossy); other simple values become
/// <c>{"$simple": n}</c>; the self-describe tag 55799 is skipped; every other tag becomes <c>{"$tag": n, "value": content}</c>.
/// Map keys that are text stay as they are; other scalar keys become their invariant string form (lossy: <c>{1: 2}</c>
/// reads as <c>{"1": 2}</c>); keys that are arrays or maps are rejected.</para>
/// <para>Writing: the preferred serialization (shortest integers, lengths and floats that keep the value; definite lengths);
/// integers beyond 64 bits as tags 2/3; <see cref="DateTimeOffset"/> and <see cref="DateTime"/> as tag 0 strings;
/// <see cref="DateOnly"/> as tag 1004; <see cref="TimeOnly"/> as a text string (lossy); an object that is exactly
/// <c>{"$tag": n, "value": v}</c> or <c>{"$simple": n}</c> is written back as that tag or simple value.
/// <see cref="CborOptions.Deterministic"/> sorts map keys for the RFC 8949 core deterministic encoding.</para>
/// Thread safety: stateless; one instance serves every caller.
/// </remarks>
public sealed class CborFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "cbor";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".cbor"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["application/cbor"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Tree;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        return CborTreeReader.Read(data.ToArray(), options, options.GetFormatOptions<CborOptions>());
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        CborTreeWriter.Write(tree, output, options, options.GetFormatOptions<CborOptions>());
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample) => CborTreeReader.Probe(sample);
}
