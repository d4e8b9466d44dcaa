using XSystem.Serialization.Internal;

namespace XSystem.Serialization;

/// <summary>
/// One part of a <c>multipart/form-data</c> body read by <see cref="MultipartFormat.ReadPartsAsync"/>: its name, file name,
/// headers and its content as a stream read straight from the body.
/// </summary>
/// <remarks>
/// <see cref="Content"/> is valid only until the enumeration moves to the next part; content not read by then is skipped
/// (it still counts against the limits), and the old stream then throws <see cref="InvalidOperationException"/>.
/// Thread safety: not thread-safe; use a part from the enumerating thread only.
/// </remarks>
public sealed class MultipartPart
{
    private readonly MultipartPartInfo _info;

    internal MultipartPart(MultipartPartInfo info, Stream content)
    {
        _info = info;
        Content = content;
    }

    /// <summary>The field name from <c>Content-Disposition</c> (<c>name*</c> wins over <c>name</c>).</summary>
    public string Name => _info.Name;

    /// <summary>The file name (<c>filename*</c> wins over <c>filename</c>), or null for a plain field.</summary>
    public string? FileName => _info.FileName;

    /// <summary>Whether the part is a file (it has a file name, possibly empty).</summary>
    public bool IsFile => _info.FileName is not null;

    /// <summary>The part's <c>Content-Type</c> header, or null when absent (RFC 7578: then <c>text/plain</c>).</summary>
    public string? ContentType => _info.ContentType;

    /// <summary>Every header of the part, in order, values decoded as UTF-8 and trimmed.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _info.Headers;

    /// <summary>The content, read incrementally from the body; not seekable. Disposing it does not close the body.</summary>
    public Stream Content { get; }

    /// <summary>Returns the first header with <paramref name="name"/> (case-insensitive), or null.</summary>
    /// <param name="name">The header name, for example <c>Content-Type</c>.</param>
    /// <returns>The value, or null.</returns>
    public string? GetHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (key, value) in _info.Headers)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Reads the rest of <see cref="Content"/> as text (the charset of <see cref="ContentType"/>, UTF-8 by default).</summary>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The text.</returns>
    /// <exception cref="SerializationLimitException">The part is larger than <see cref="MultipartOptions.MaxPartBytes"/>.</exception>
    public async Task<string> ReadAsStringAsync(CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(Content, _info.TextEncoding, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
