using System.Globalization;
using System.Text;

namespace XSystem.Serialization.Internal;

/// <summary>What the headers of one part say.</summary>
internal sealed record MultipartPartInfo(
    string Name,
    string? FileName,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    Encoding TextEncoding);

/// <summary>Boundary rules, header lines, <c>Content-Disposition</c> (quoted strings, RFC 5987 <c>filename*</c>) and escaping.</summary>
internal static class MultipartHeaders
{
    public const string Format = "multipart";

    /// <summary>How a candidate delimiter (<c>--boundary</c> at the start of a line) ends.</summary>
    public enum DelimiterEnd
    {
        /// <summary>Not a delimiter: the bytes are content.</summary>
        No,

        /// <summary>A delimiter; a part follows.</summary>
        Part,

        /// <summary>The close delimiter (<c>--boundary--</c>).</summary>
        Close,

        /// <summary>More bytes are needed to tell.</summary>
        NeedMore,
    }

    /// <summary>Classifies the bytes after <c>--boundary</c>: <c>--</c>, padding or a line break make a delimiter.</summary>
    public static DelimiterEnd Classify(ReadOnlySpan<byte> after, bool final)
    {
        if (after.IsEmpty)
        {
            return final ? DelimiterEnd.No : DelimiterEnd.NeedMore;
        }

        switch (after[0])
        {
            case (byte)'-':
                if (after.Length < 2)
                {
                    return final ? DelimiterEnd.No : DelimiterEnd.NeedMore;
                }

                return after[1] == (byte)'-' ? DelimiterEnd.Close : DelimiterEnd.No;
            case (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t':
                return DelimiterEnd.Part;
            default:
                return DelimiterEnd.No;
        }
    }

    public static bool IsBoundaryChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '\'' or '(' or ')' or '+' or '_' or ',' or '-' or '.' or '/' or ':' or '=' or '?' or ' ';

    public static bool IsValidBoundary(ReadOnlySpan<char> boundary)
    {
        if (boundary.IsEmpty || boundary.Length > 70 || boundary[^1] == ' ')
        {
            return false;
        }

        foreach (char c in boundary)
        {
            if (!IsBoundaryChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static void ValidateBoundary(string boundary, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(boundary, paramName);
        if (!IsValidBoundary(boundary))
        {
            throw new ArgumentException(
                "A multipart boundary is 1 to 70 characters from letters, digits and '()+_,-./:=? (space allowed, but not last).", paramName);
        }
    }

    /// <summary>The boundary parameter of a <c>multipart/...; boundary=...</c> media type, quoted or not.</summary>
    public static bool TryGetBoundary(string contentType, out string boundary)
    {
        boundary = string.Empty;
        int semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        if (semicolon < 0 || !contentType.AsSpan(0, semicolon).Trim().StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var (name, value) in Parameters(contentType.AsSpan(semicolon)))
        {
            if (string.Equals(name, "boundary", StringComparison.OrdinalIgnoreCase) && IsValidBoundary(value))
            {
                boundary = value;
                return true;
            }
        }

        return false;
    }

    /// <summary>Splits one header line into name and value; false when it has no colon or no name.</summary>
    public static bool TryParseLine(ReadOnlySpan<byte> line, out string name, out string value)
    {
        int colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> rawName = colon < 0 ? default : line[..colon].Trim(" \t"u8);
        if (colon <= 0 || rawName.IsEmpty)
        {
            name = value = string.Empty;
            return false;
        }

        foreach (byte b in rawName)
        {
            if (b <= 32 || b >= 127)
            {
                name = value = string.Empty;
                return false;
            }
        }

        name = Encoding.ASCII.GetString(rawName);
        value = Encoding.UTF8.GetString(line[(colon + 1)..].Trim(" \t"u8));
        return true;
    }

    /// <summary>Reads what a part's headers say; throws when <c>Content-Disposition: form-data; name=...</c> is missing.</summary>
    public static MultipartPartInfo Describe(List<KeyValuePair<string, string>> headers, long partNumber, long offset)
    {
        string? disposition = null, contentType = null;
        foreach (var (name, value) in headers)
        {
            if (disposition is null && name.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase))
            {
                disposition = value;
            }
            else if (contentType is null && name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
        }

        string where = $"part {partNumber.ToString(CultureInfo.InvariantCulture)} (byte {offset.ToString(CultureInfo.InvariantCulture)})";
        if (disposition is null)
        {
            throw new SerializationException(Format, $"{where} has no Content-Disposition header; RFC 7578 requires 'Content-Disposition: form-data; name=\"...\"' on every part");
        }

        int semicolon = disposition.IndexOf(';', StringComparison.Ordinal);
        ReadOnlySpan<char> type = (semicolon < 0 ? disposition : disposition[..semicolon]).AsSpan().Trim();
        if (!type.Equals("form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new SerializationException(Format, $"{where} has Content-Disposition '{type}', not 'form-data'");
        }

        string? fieldName = null, fileName = null, extendedName = null, extendedFileName = null;
        if (semicolon >= 0)
        {
            foreach (var (key, value) in Parameters(disposition.AsSpan(semicolon)))
            {
                switch (key.ToLowerInvariant())
                {
                    case "name": fieldName ??= Unescape(value); break;
                    case "filename": fileName ??= Unescape(value); break;
                    case "name*": extendedName ??= DecodeExtended(value); break;
                    case "filename*": extendedFileName ??= DecodeExtended(value); break;
                }
            }
        }

        fieldName = extendedName ?? fieldName;
        fileName = extendedFileName ?? fileName;
        if (fieldName is null)
        {
            throw new SerializationException(Format, $"{where} has no name in its Content-Disposition header");
        }

        return new MultipartPartInfo(fieldName, fileName, contentType, headers.AsReadOnly(), CharsetOf(contentType));
    }

    /// <summary>The encoding a field's <c>Content-Type</c> charset names; UTF-8 when none is given or it is unknown.</summary>
    private static Encoding CharsetOf(string? contentType)
    {
        if (contentType is null)
        {
            return Encoding.UTF8;
        }

        int semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            foreach (var (name, value) in Parameters(contentType.AsSpan(semicolon)))
            {
                if (string.Equals(name, "charset", StringComparison.OrdinalIgnoreCase))
                {
                    return EncodingByName(value) ?? Encoding.UTF8;
                }
            }
        }

        return Encoding.UTF8;
    }

    private static Encoding? EncodingByName(string name)
    {
        try
        {
            return Encoding.GetEncoding(name.Trim());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <c>; key=value</c> parameters after a media type or disposition type. Values are tokens or quoted strings
    /// (backslash escapes honoured). Stops quietly at malformed text.
    /// </summary>
    public static List<(string Name, string Value)> Parameters(ReadOnlySpan<char> text)
    {
        var result = new List<(string, string)>();
        int pos = 0;
        while (pos < text.Length)
        {
            while (pos < text.Length && (text[pos] == ';' || text[pos] == ' ' || text[pos] == '\t'))
            {
                pos++;
            }

            int eq = text[pos..].IndexOf('=');
            if (eq < 0)
            {
                break;
            }

            string name = text.Slice(pos, eq).Trim().ToString();
            pos += eq + 1;
            while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t'))
            {
                pos++;
            }

            string value;
            if (pos < text.Length && text[pos] == '"')
            {
                var builder = new StringBuilder();
                pos++;
                bool closed = false;
                while (pos < text.Length)
                {
                    char c = text[pos++];
                    if (c == '"')
                    {
                        closed = true;
                        break;
                    }

                    if (c == '\\' && pos < text.Length)
                    {
                        c = text[pos++];
                    }

                    builder.Append(c);
                }

                if (!closed)
                {
                    break;
                }

                value = builder.ToString();
            }
            else
            {
                int end = text[pos..].IndexOf(';');
                ReadOnlySpan<char> token = end < 0 ? text[pos..] : text.Slice(pos, end);
                value = token.Trim().ToString();
                pos = end < 0 ? text.Length : pos + end;
            }

            if (name.Length > 0)
            {
                result.Add((name, value));
            }
        }

        return result;
    }

    /// <summary>Undoes the WHATWG escapes of names and file names: <c>%22</c>, <c>%0D</c>, <c>%0A</c>.</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        return value
            .Replace("%22", "\"", StringComparison.OrdinalIgnoreCase)
            .Replace("%0D", "\r", StringComparison.OrdinalIgnoreCase)
            .Replace("%0A", "\n", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Applies the WHATWG escapes for a quoted name or file name: <c>"</c>, CR and LF become <c>%22</c>, <c>%0D</c>, <c>%0A</c>.</summary>
    public static string Escape(string value) =>
        value.AsSpan().IndexOfAny('"', '\r', '\n') < 0
            ? value
            : value.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>Decodes an RFC 5987 / RFC 2231 extended value <c>charset'language'percent-encoded</c>; null when malformed.</summary>
    public static string? DecodeExtended(string value)
    {
        int first = value.IndexOf('\'', StringComparison.Ordinal);
        int second = first < 0 ? -1 : value.IndexOf('\'', first + 1);
        if (second < 0)
        {
            return null;
        }

        Encoding? encoding = EncodingByName(value[..first]);
        if (encoding is null)
        {
            return null;
        }

        string encoded = value[(second + 1)..];
        var bytes = new List<byte>(encoded.Length);
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == '%' && i + 2 < encoded.Length && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
            {
                bytes.Add(byte.Parse(encoded.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else if (c < 128)
            {
                bytes.Add((byte)c);
            }
            else
            {
                return null;
            }
        }

        return encoding.GetString([.. bytes]);
    }
}
