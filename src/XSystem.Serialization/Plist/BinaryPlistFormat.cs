using System.Buffers;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(BinaryPlistFormat))]

namespace XSystem.Serialization;

/// <summary>
/// Apple property lists in their binary form (<c>bplist00</c>). Built in, read and written by XSystem's own code.
/// </summary>
/// <remarks>
/// <para>Mapping: as <see cref="PlistFormat"/> (dict, array, string, data, date, integer, real, booleans, UID as
/// <c>{"$uid": n}</c>); integers of 1, 2 and 4 bytes are unsigned, 8 and 16 bytes signed (so up to the signed 128-bit
/// range); dates are seconds since 2001-01-01T00:00:00Z as a double, read to the microsecond as Python's plistlib does;
/// sets read as arrays; the rarely seen null object (0x00) reads as null.</para>
/// <para>Lossy cases: writing a null throws <see cref="SerializationException"/> with its JSON path (property lists have no
/// null); <see cref="DateOnly"/> is written as that day at 00:00:00Z and <see cref="TimeOnly"/> as a string.</para>
/// <para>Safety: every offset, count and object reference is bounds-checked before use; a container that contains itself
/// through references is rejected; depth is limited by <see cref="SerializerOptions.MaxDepth"/> without recursion; shared
/// containers may not expand the tree beyond 4 nodes per input byte; no allocation is made from a claimed count before it is
/// checked against the bytes that remain.</para>
/// <para>Writing: objects are numbered breadth first, equal strings (keys above all) are stored once, and object
/// references and offsets use the fewest bytes that fit.</para>
/// Thread safety: stateless; one instance serves every caller.
/// </remarks>
public sealed class BinaryPlistFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "bplist";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".bplist"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["application/x-bplist"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Tree;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        return BinaryPlistReader.Read(data, options);
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        BinaryPlistWriter.Write(tree, output, options);
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample) =>
        sample.StartsWith("bplist00"u8) ? 1.0
        : sample.StartsWith("bplist"u8) ? 0.6
        : 0;
}
