using System.Buffers;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(PlistFormat))]

namespace XSystem.Serialization;

/// <summary>
/// Apple property lists in their XML form. Built in, read and written by XSystem's own code on System.Xml. Reading also
/// accepts the binary form (a <c>.plist</c> file may be either): input that starts with <c>bplist</c> goes to
/// <see cref="BinaryPlistFormat"/>.
/// </summary>
/// <remarks>
/// <para>Mapping: <c>dict</c> ↔ object (key order kept), <c>array</c> ↔ array, <c>string</c> ↔ string, <c>integer</c> ↔
/// <see cref="long"/> (or <see cref="System.Numerics.BigInteger"/> up to the signed 128-bit range), <c>real</c> ↔
/// <see cref="double"/> (<c>nan</c>, <c>inf</c>, <c>-inf</c> as Python's plistlib writes them), <c>true</c>/<c>false</c> ↔
/// booleans, <c>data</c> ↔ <c>byte[]</c>, <c>date</c> ↔ <see cref="DateTimeOffset"/> in UTC, and a UID (written by Apple
/// as <c>&lt;dict&gt;&lt;key&gt;CF$UID&lt;/key&gt;&lt;integer&gt;n&lt;/integer&gt;&lt;/dict&gt;</c>) ↔ <c>{"$uid": n}</c>.</para>
/// <para>Lossy cases: property lists have no null, so writing a null throws <see cref="SerializationException"/> with its
/// JSON path; XML dates hold whole seconds (fractions are dropped) and no offset (written in UTC);
/// <see cref="DateOnly"/> is written as that day at 00:00:00Z and <see cref="TimeOnly"/> as a string.</para>
/// <para>Safety: the DOCTYPE every plist carries is accepted but never processed (DTD processing ignored, no resolver),
/// so no entity is expanded or fetched; depth is limited by <see cref="SerializerOptions.MaxDepth"/> without recursion.</para>
/// Thread safety: stateless; one instance serves every caller.
/// </remarks>
public sealed class PlistFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "plist";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".plist"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["application/x-plist"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree | FormatCapabilities.Comments;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        if (BinaryPlistReader.IsBinary(data))
        {
            return BinaryPlistReader.Read(data, options);
        }

        return PlistXmlReader.Read(FormatGuards.SkipUtf8Bom(data), options);
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        PlistXmlWriter.Write(tree, output, options);
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample)
    {
        ReadOnlySpan<byte> s = FormatGuards.SkipUtf8Bom(sample).TrimStart(" \t\r\n"u8);
        if (s.StartsWith("<plist"u8))
        {
            return 0.97;
        }

        if (!s.StartsWith("<?xml"u8) && !s.StartsWith("<!"u8))
        {
            return 0;
        }

        // Above plain XML (0.95) when the prolog names a plist.
        int doctype = s.IndexOf("<!DOCTYPE plist"u8);
        int root = s.IndexOf("<plist"u8);
        return doctype >= 0 || root >= 0 ? 0.97 : 0;
    }
}
