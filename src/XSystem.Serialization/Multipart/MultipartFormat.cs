using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(MultipartFormat))]

namespace XSystem.Serialization;

/// <summary>
/// <c>multipart/form-data</c> (RFC 7578), the body of an HTML form with file uploads. Built in. The tree is an object of
/// field names: a field is a string, a file is <c>{"filename": ..., "contentType": ..., "content": byte[]}</c>, and a
/// repeated name gives an array. <see cref="ReadPartsAsync"/> streams parts of bodies larger than memory.
/// </summary>
/// <remarks>
/// <para>Reading: the boundary is <see cref="MultipartOptions.Boundary"/> when set, else the body's first line
/// (<c>--boundary</c>; leading blank lines are skipped) — <see cref="ReadBoundary"/> tells it. Line breaks should be CRLF;
/// bare LF is accepted too. The preamble and epilogue are ignored; a body without its close delimiter
/// (<c>--boundary--</c>) throws <see cref="SerializationException"/>. A part with a <c>filename</c> parameter (even empty) is
/// a file; its content type is the part's <c>Content-Type</c> or <c>text/plain</c> (the RFC 7578 default). A field is
/// decoded with its <c>Content-Type</c> charset, UTF-8 by default (<c>_charset_</c> fields are not interpreted).
/// <c>filename*</c>/<c>name*</c> (RFC 5987) win over <c>filename</c>/<c>name</c>; in quoted names <c>%22</c>, <c>%0D</c> and
/// <c>%0A</c> are read as <c>"</c>, CR and LF (the WHATWG escapes). <c>Content-Transfer-Encoding</c> is ignored.</para>
/// <para>Writing: the root must be an object; scalars become fields (numbers in invariant JSON text, booleans
/// <c>true</c>/<c>false</c>), file objects become file parts (content bytes or a string written as UTF-8; a missing
/// <c>contentType</c> becomes <c>application/octet-stream</c>), arrays become repeated parts. The boundary is random and
/// checked against every part's content. Nested objects become bracket names (<c>user[name]</c>), read back as nested
/// objects only with <see cref="MultipartOptions.BracketNesting"/>. Null, empty objects and arrays, and lists of lists throw
/// <see cref="SerializationException"/> naming the JSON path.</para>
/// Thread safety: stateless; one instance serves every caller.
/// </remarks>
public sealed class MultipartFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = MultipartHeaders.Format;

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create("()<>@,;:\\\"/[]?= ");

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["multipart/form-data", "form-data", "multipart-form-data"];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".multipart"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["multipart/form-data"];

    /// <summary>A tree format; binary, not text, since file parts hold raw bytes.</summary>
    public FormatCapabilities Capabilities => FormatCapabilities.Tree;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        return MultipartReader.Read(FormatGuards.SkipUtf8Bom(data), options, options.GetFormatOptions<MultipartOptions>());
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        MultipartWriter.Write(tree, output, options);
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample) => MultipartProbe.Score(sample);

    /// <summary>
    /// Reads the parts of a body one at a time, in constant memory whatever the body's size; each part's
    /// <see cref="MultipartPart.Content"/> streams from <paramref name="body"/>.
    /// </summary>
    /// <param name="body">The body; read forward only and not disposed.</param>
    /// <param name="boundary">The boundary, without <c>--</c>: from the request's Content-Type
    /// (<see cref="TryGetBoundary(string, out string)"/>) or from the body's first line (<see cref="ReadBoundary"/>).</param>
    /// <param name="options">Limits: <see cref="MultipartOptions.MaxPartBytes"/>, <see cref="MultipartOptions.MaxBodyBytes"/>,
    /// <see cref="MultipartOptions.MaxParts"/> and the header limits. Default: <c>new MultipartOptions()</c>.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The parts, in order. Content not read before moving to the next part is skipped.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> or <paramref name="boundary"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="boundary"/> is not a valid RFC 2046 boundary, or the stream cannot be read.</exception>
    /// <exception cref="SerializationException">During enumeration: the body is malformed or truncated.</exception>
    /// <exception cref="SerializationLimitException">During enumeration: a limit is exceeded (the part is not buffered).</exception>
    public static IAsyncEnumerable<MultipartPart> ReadPartsAsync(Stream body, string boundary, MultipartOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(boundary);
        if (!body.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(body));
        }

        MultipartHeaders.ValidateBoundary(boundary, nameof(boundary));
        return ReadPartsCoreAsync(body, boundary, options ?? new MultipartOptions(), cancellationToken);
    }

    /// <summary>Takes the boundary from a body's first line (<c>--boundary</c>), as <see cref="Parse"/> does.</summary>
    /// <param name="body">The body, or its beginning.</param>
    /// <returns>The boundary without <c>--</c>.</returns>
    /// <exception cref="SerializationException">The body does not start with a boundary line.</exception>
    public static string ReadBoundary(ReadOnlySpan<byte> body) => MultipartReader.InferBoundary(FormatGuards.SkipUtf8Bom(body), out _);

    /// <summary>Takes the boundary from a body's first line without throwing.</summary>
    /// <param name="body">The body, or its beginning.</param>
    /// <param name="boundary">The boundary without <c>--</c>, when found.</param>
    /// <returns>True when the body starts with a boundary line.</returns>
    public static bool TryReadBoundary(ReadOnlySpan<byte> body, [NotNullWhen(true)] out string? boundary) =>
        MultipartReader.TryInferBoundary(FormatGuards.SkipUtf8Bom(body), out boundary, out _);

    /// <summary>The <c>Content-Type</c> header value for a body: <c>multipart/form-data; boundary=...</c>.</summary>
    /// <param name="body">A body written by <see cref="Write"/> (or any body starting with its boundary line).</param>
    /// <returns>The header value, the boundary quoted when it needs quotes.</returns>
    /// <exception cref="SerializationException">The body does not start with a boundary line.</exception>
    public static string GetContentType(ReadOnlySpan<byte> body)
    {
        string boundary = ReadBoundary(body);
        bool quote = boundary.AsSpan().IndexOfAny(NeedsQuotes) >= 0;
        return quote ? $"multipart/form-data; boundary=\"{boundary}\"" : $"multipart/form-data; boundary={boundary}";
    }

    /// <summary>Takes the boundary parameter from a <c>Content-Type</c> header such as <c>multipart/form-data; boundary=abc</c>.</summary>
    /// <param name="contentType">The header value.</param>
    /// <param name="boundary">The boundary, when present and valid.</param>
    /// <returns>True when the media type is multipart and has a valid boundary.</returns>
    public static bool TryGetBoundary(string? contentType, out string boundary)
    {
        boundary = string.Empty;
        return contentType is not null && MultipartHeaders.TryGetBoundary(contentType, out boundary);
    }

    private static async IAsyncEnumerable<MultipartPart> ReadPartsCoreAsync(
        Stream body, string boundary, MultipartOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new MultipartStreamReader(body, boundary, options);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MultipartPart? part = await reader.NextPartAsync(cancellationToken).ConfigureAwait(false);
            if (part is null)
            {
                yield break;
            }

            yield return part;
        }
    }
}
