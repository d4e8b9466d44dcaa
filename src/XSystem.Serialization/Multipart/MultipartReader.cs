using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>Parses a whole <c>multipart/form-data</c> body held in memory into the tree.</summary>
internal static class MultipartReader
{
    private const string Format = MultipartHeaders.Format;

    public static JsonObject Read(ReadOnlySpan<byte> data, SerializerOptions options, MultipartOptions multipart)
    {
        string boundary = multipart.Boundary ?? InferBoundary(data, out data);
        byte[] dashBoundary = Encoding.ASCII.GetBytes("--" + boundary);
        byte[] delimiter = Encoding.ASCII.GetBytes("\n--" + boundary);

        // Find the first delimiter: at the very start, or at the start of a line after a preamble.
        int pos;
        if (StartsWithDelimiter(data, 0, dashBoundary.Length, dashBoundary))
        {
            pos = 0;
        }
        else
        {
            int found = FindDelimiter(data, 0, delimiter);
            if (found < 0)
            {
                throw new SerializationException(Format, $"the body holds no boundary line '--{boundary}'; check the boundary (MultipartOptions.Boundary) against the Content-Type header");
            }

            pos = found + 1;
        }

        var builder = new FormTreeBuilder(Format, multipart.BracketNesting, options, multipart.MaxParts, "MaxParts", "set MultipartOptions.MaxParts higher");
        var headers = new List<KeyValuePair<string, string>>();
        long partNumber = 0;
        while (true)
        {
            // pos is at "--boundary".
            int after = pos + dashBoundary.Length;
            var end = MultipartHeaders.Classify(data[after..], final: true);
            if (end == MultipartHeaders.DelimiterEnd.Close)
            {
                return builder.Root; // the epilogue is ignored
            }

            pos = SkipLineEnd(data, after, multipart);
            partNumber++;
            long partStart = pos;
            pos = ReadHeaders(data, pos, multipart, headers, partNumber);
            MultipartPartInfo info = MultipartHeaders.Describe(headers, partNumber, partStart);

            int next = FindDelimiter(data, pos, delimiter);
            if (next < 0)
            {
                throw FormatGuards.At(Format, $"part {partNumber} has no closing boundary '--{boundary}--'; the body is truncated", data, data.Length);
            }

            int contentEnd = next > pos && data[next - 1] == (byte)'\r' ? next - 1 : next;
            ReadOnlySpan<byte> content = data[pos..contentEnd];
            if (content.Length > multipart.MaxPartBytes)
            {
                throw new SerializationLimitException(Format, "MaxPartBytes", multipart.MaxPartBytes, "set MultipartOptions.MaxPartBytes higher");
            }

            builder.Add(info.Name, ToNode(info, content));
            pos = next + 1;
        }
    }

    /// <summary>The tree value of a part: a string for a field, <c>{filename, contentType, content}</c> for a file.</summary>
    public static JsonNode ToNode(MultipartPartInfo info, ReadOnlySpan<byte> content)
    {
        if (info.FileName is null)
        {
            return JsonValue.Create(info.TextEncoding.GetString(content));
        }

        return new JsonObject
        {
            ["filename"] = info.FileName,
            ["contentType"] = info.ContentType ?? "text/plain",
            ["content"] = JsonValue.Create(content.ToArray()),
        };
    }

    /// <summary>Takes the boundary from the first line (<c>--boundary</c>), after any blank lines; throws when there is none.</summary>
    public static string InferBoundary(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> rest)
    {
        if (!TryInferBoundary(data, out string? boundary, out int start))
        {
            throw new SerializationException(Format, data.IsEmpty
                ? "the body is empty; a multipart body starts with a boundary line '--boundary'"
                : "the body does not start with a boundary line '--boundary' (letters, digits and '()+_,-./:=? up to 70 characters); if it has a preamble, pass the boundary from the Content-Type header in MultipartOptions.Boundary");
        }

        rest = data[start..];
        return boundary;
    }

    public static bool TryInferBoundary(ReadOnlySpan<byte> data, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? boundary, out int start)
    {
        boundary = null;
        start = 0;
        while (start < data.Length && data[start] is (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        ReadOnlySpan<byte> body = data[start..];
        if (!body.StartsWith("--"u8))
        {
            return false;
        }

        int lineEnd = body.IndexOfAny((byte)'\r', (byte)'\n');
        ReadOnlySpan<byte> line = (lineEnd < 0 ? body : body[..lineEnd])[2..].TrimEnd(" \t"u8);
        if (line.Length == 0 || line.Length > 72)
        {
            return false;
        }

        Span<char> chars = stackalloc char[line.Length];
        for (int i = 0; i < line.Length; i++)
        {
            chars[i] = (char)line[i];
        }

        // "--b--" alone is the close delimiter of an empty body (unless "b--" really is the boundary and a part follows).
        if (chars.EndsWith("--") && chars.Length > 2 && MultipartHeaders.IsValidBoundary(chars[..^2])
            && body.IndexOf(Encoding.ASCII.GetBytes("\n--" + chars.ToString())) < 0)
        {
            boundary = chars[..^2].ToString();
            return true;
        }

        if (!MultipartHeaders.IsValidBoundary(chars))
        {
            return false;
        }

        boundary = chars.ToString();
        return true;
    }

    private static bool StartsWithDelimiter(ReadOnlySpan<byte> data, int at, int length, ReadOnlySpan<byte> dashBoundary) =>
        data[at..].StartsWith(dashBoundary) && MultipartHeaders.Classify(data[(at + length)..], final: true) != MultipartHeaders.DelimiterEnd.No;

    /// <summary>The index of the <c>\n</c> of the next real delimiter (<c>\n--boundary</c> then <c>--</c>, padding or a line break), or -1.</summary>
    private static int FindDelimiter(ReadOnlySpan<byte> data, int from, ReadOnlySpan<byte> delimiter)
    {
        while (from < data.Length)
        {
            int index = data[from..].IndexOf(delimiter);
            if (index < 0)
            {
                return -1;
            }

            int at = from + index;
            if (MultipartHeaders.Classify(data[(at + delimiter.Length)..], final: true) != MultipartHeaders.DelimiterEnd.No)
            {
                return at;
            }

            from = at + 1;
        }

        return -1;
    }

    /// <summary>Skips transport padding and the line break after a delimiter; returns the index after it.</summary>
    private static int SkipLineEnd(ReadOnlySpan<byte> data, int pos, MultipartOptions multipart)
    {
        int start = pos;
        while (pos < data.Length && data[pos] is (byte)' ' or (byte)'\t')
        {
            if (pos - start > multipart.MaxHeaderLineLength)
            {
                throw new SerializationLimitException(Format, "MaxHeaderLineLength", multipart.MaxHeaderLineLength, "set MultipartOptions.MaxHeaderLineLength higher");
            }

            pos++;
        }

        if (pos < data.Length && data[pos] == (byte)'\r')
        {
            pos++;
        }

        if (pos < data.Length && data[pos] == (byte)'\n')
        {
            return pos + 1;
        }

        throw FormatGuards.At(Format, "a boundary line must end with a line break", data, pos);
    }

    /// <summary>Reads header lines up to the blank line; returns the index of the content.</summary>
    private static int ReadHeaders(ReadOnlySpan<byte> data, int pos, MultipartOptions multipart, List<KeyValuePair<string, string>> headers, long partNumber)
    {
        headers.Clear();
        while (true)
        {
            int newline = data[pos..].IndexOf((byte)'\n');
            int lineLength = newline < 0 ? data.Length - pos : newline;
            if (lineLength > multipart.MaxHeaderLineLength)
            {
                throw new SerializationLimitException(Format, "MaxHeaderLineLength", multipart.MaxHeaderLineLength, "set MultipartOptions.MaxHeaderLineLength higher");
            }

            if (newline < 0)
            {
                throw FormatGuards.At(Format, $"the headers of part {partNumber} are not ended by a blank line; the body is truncated", data, data.Length);
            }

            ReadOnlySpan<byte> line = data.Slice(pos, newline);
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            int lineStart = pos;
            pos += newline + 1;
            if (line.IsEmpty)
            {
                return pos;
            }

            if (!TryAddHeaderLine(line, headers, multipart, partNumber))
            {
                throw FormatGuards.At(Format, $"part {partNumber} has a malformed header line (expected 'Name: value')", data, lineStart);
            }
        }
    }

    /// <summary>Adds one header line (or a folded continuation) to <paramref name="headers"/>, checking the header count; false when malformed.</summary>
    public static bool TryAddHeaderLine(ReadOnlySpan<byte> line, List<KeyValuePair<string, string>> headers, MultipartOptions multipart, long partNumber)
    {
        if (line[0] is (byte)' ' or (byte)'\t' && headers.Count > 0)
        {
            var (lastName, lastValue) = headers[^1];
            headers[^1] = KeyValuePair.Create(lastName, lastValue + " " + Encoding.UTF8.GetString(line.Trim(" \t"u8)));
            return true;
        }

        if (!MultipartHeaders.TryParseLine(line, out string name, out string value))
        {
            return false;
        }

        if (headers.Count >= multipart.MaxHeaderCount)
        {
            throw new SerializationLimitException(Format, "MaxHeaderCount", multipart.MaxHeaderCount, $"set MultipartOptions.MaxHeaderCount higher (part {partNumber})");
        }

        headers.Add(KeyValuePair.Create(name, value));
        return true;
    }
}
