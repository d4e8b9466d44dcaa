using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>Shared checks and error builders for every format (core and satellites), so limits and messages agree.</summary>
internal static class FormatGuards
{
    /// <summary>Throws <see cref="SerializationLimitException"/> when the input is larger than <see cref="SerializerOptions.MaxBytes"/>.</summary>
    public static void CheckSize(long length, SerializerOptions options, string format)
    {
        if (length > options.MaxBytes)
        {
            ThrowTooLarge(length, options, format);
        }
    }

    /// <summary>Throws <see cref="SerializationLimitException"/> for a container nested deeper than <see cref="SerializerOptions.MaxDepth"/>.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowTooDeep(SerializerOptions options, string format, long? line = null, long? column = null, string? path = null) =>
        throw new SerializationLimitException(format, "MaxDepth", options.MaxDepth, "set SerializerOptions.MaxDepth higher", line, column, path);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooLarge(long length, SerializerOptions options, string format) =>
        throw new SerializationLimitException(
            format,
            "MaxBytes",
            options.MaxBytes,
            $"set SerializerOptions.MaxBytes to at least {length.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Returns <paramref name="data"/> without a leading UTF-8 byte order mark.</summary>
    public static ReadOnlySpan<byte> SkipUtf8Bom(ReadOnlySpan<byte> data) =>
        data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? data[3..] : data;

    /// <summary>
    /// Checks that a tree is no deeper than <see cref="SerializerOptions.MaxDepth"/> (writers call this before writing),
    /// without recursion.
    /// </summary>
    public static void CheckTreeDepth(JsonNode? tree, SerializerOptions options, string format)
    {
        if (tree is null or JsonValue)
        {
            return;
        }

        var stack = new Stack<(JsonNode Node, int Depth)>();
        stack.Push((tree, 1));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > options.MaxDepth)
            {
                ThrowTooDeep(options, format, path: node.GetPath());
            }

            switch (node)
            {
                case JsonObject obj:
                    foreach (var property in obj)
                    {
                        if (property.Value is JsonObject or JsonArray)
                        {
                            stack.Push((property.Value, depth + 1));
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (JsonNode? item in array)
                    {
                        if (item is JsonObject or JsonArray)
                        {
                            stack.Push((item, depth + 1));
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Finds the 1-based line and column of a byte offset in UTF-8 text (columns count characters).</summary>
    public static (long Line, long Column) LineColumn(ReadOnlySpan<byte> data, long offset)
    {
        offset = Math.Clamp(offset, 0, data.Length);
        long line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++)
        {
            if (data[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        long column = 1;
        for (int i = lineStart; i < offset; i++)
        {
            // Count UTF-8 lead bytes only, so a column is a character position.
            if ((data[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return (line, column);
    }

    /// <summary>A one-line excerpt (at most 40 characters either side) of UTF-8 text around a byte offset, control characters escaped.</summary>
    public static string Excerpt(ReadOnlySpan<byte> data, long offset, int radius = 40)
    {
        if (data.IsEmpty)
        {
            return string.Empty;
        }

        int at = (int)Math.Clamp(offset, 0, data.Length);
        int start = Math.Max(0, at - radius);
        int end = Math.Min(data.Length, at + radius);
        while (start > 0 && start < data.Length && (data[start] & 0xC0) == 0x80)
        {
            start--;
        }

        while (end < data.Length && (data[end] & 0xC0) == 0x80)
        {
            end++;
        }

        string text = Encoding.UTF8.GetString(data[start..end]);
        var builder = new StringBuilder(text.Length + 8);
        if (start > 0)
        {
            builder.Append('…');
        }

        foreach (char c in text)
        {
            switch (c)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        if (end < data.Length)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    /// <summary>Builds a <see cref="SerializationException"/> at a byte offset, with line, column and excerpt filled in.</summary>
    public static SerializationException At(string format, string problem, ReadOnlySpan<byte> data, long offset, string? path = null, Exception? inner = null)
    {
        var (line, column) = LineColumn(data, offset);
        return new SerializationException(format, problem, line, column, path, Excerpt(data, offset), inner);
    }
}
