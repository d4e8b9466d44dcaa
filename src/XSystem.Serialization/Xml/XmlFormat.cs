using System.Buffers;
using System.Text.Json.Nodes;
using System.Xml;
using XSystem.Serialization;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(XmlFormat))]

namespace XSystem.Serialization;

/// <summary>
/// XML, mapped to the tree by a documented convention. Built in, through System.Xml with DTDs prohibited and no resolver,
/// so external entities (XXE) and entity-expansion bombs are rejected.
/// </summary>
/// <remarks>
/// <para>Reading: the document becomes <c>{"rootName": content}</c>. An element with only text becomes that string; an empty
/// element becomes <c>""</c>; an element with <c>xsi:nil="true"</c> becomes null; otherwise an element becomes an object
/// whose attributes are <c>"@name"</c> members (<see cref="XmlOptions.AttributePrefix"/>), whose text is the
/// <c>"#text"</c> member (<see cref="XmlOptions.TextKey"/>) and whose child elements are members by name, repeated names
/// forming an array. Qualified names stay qualified (<c>"ns:tag"</c>, <c>"@xmlns:ns"</c>). Every scalar reads as a string.
/// Comments and processing instructions are skipped; whitespace-only text beside child elements is dropped.</para>
/// <para>Writing: an object with exactly one non-array member names the root element; any other tree is written inside
/// <see cref="XmlOptions.RootName"/>. Arrays become repeated elements (a top-level array becomes <c>&lt;item&gt;</c>
/// children of the root); arrays of zero or one item carry an <c>xsys:array</c> marker attribute so they read back as
/// arrays; null becomes <c>xsi:nil="true"</c>. Keys that are not XML names are encoded with
/// <see cref="XmlConvert.EncodeLocalName(string)"/> and decoded on reading.</para>
/// Thread safety: stateless; one instance serves every caller.
/// </remarks>
public sealed class XmlFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "xml";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".xml"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["application/xml", "text/xml"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree | FormatCapabilities.Comments;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        data = FormatGuards.SkipUtf8Bom(data);
        XmlOptions xml = options.GetFormatOptions<XmlOptions>();
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = options.MaxBytes,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = false,
            CloseInput = true,
        };

        try
        {
            using var stream = new MemoryStream(data.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            return XmlTreeReader.Read(reader, options, xml);
        }
        catch (XmlException ex)
        {
            throw Wrap(ex, data);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw new SerializationException(FormatName, "the input is not valid in its declared encoding", innerException: ex);
        }
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        using var buffer = new MemoryStream();
        try
        {
            XmlTreeWriter.Write(tree, buffer, options);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or XmlException)
        {
            throw new SerializationException(FormatName, $"the tree cannot be written as XML: {ex.Message}", innerException: ex);
        }

        output.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample)
    {
        ReadOnlySpan<byte> s = FormatGuards.SkipUtf8Bom(sample).TrimStart(" \t\r\n"u8);
        if (s.Length < 2 || s[0] != (byte)'<')
        {
            return 0;
        }

        if (s.StartsWith("<?xml"u8))
        {
            return 0.95;
        }

        if (s.Length >= 14 && System.Text.Ascii.EqualsIgnoreCase(s[..14], "<!DOCTYPE html"u8))
        {
            return 0.3;
        }

        byte next = s[1];
        bool nameStart = (uint)((next | 0x20) - 'a') <= 25 || next is (byte)'_' or (byte)':' || next >= 0x80;
        if (s.StartsWith("<!--"u8) || s.StartsWith("<!DOCTYPE"u8) || nameStart)
        {
            return s.IndexOf((byte)'>') > 0 ? 0.8 : 0.5;
        }

        return 0;
    }

    private static SerializationException Wrap(XmlException ex, ReadOnlySpan<byte> data)
    {
        string problem = ex.Message.Contains("DTD", StringComparison.Ordinal)
            ? "DTDs (<!DOCTYPE ...>) are not allowed: they enable external-entity (XXE) and entity-expansion attacks; remove the DOCTYPE declaration"
            : ex.Message;
        long offset = OffsetOf(data, ex.LineNumber, ex.LinePosition);
        string? excerpt = ex.LineNumber > 0 ? FormatGuards.Excerpt(data, offset) : null;
        return new SerializationException(
            FormatName,
            problem,
            ex.LineNumber > 0 ? ex.LineNumber : null,
            ex.LineNumber > 0 ? ex.LinePosition : null,
            excerpt: excerpt,
            innerException: ex);
    }

    private static long OffsetOf(ReadOnlySpan<byte> data, int line, int column)
    {
        int offset = 0;
        for (int current = 1; current < line && offset < data.Length; current++)
        {
            int newline = data[offset..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return data.Length;
            }

            offset += newline + 1;
        }

        return Math.Min(data.Length, offset + Math.Max(0, column - 1));
    }
}
