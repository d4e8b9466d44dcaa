using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.Json;

/// <summary>
/// Builds a <see cref="JsonNode"/> tree from UTF-8 JSON with <see cref="Utf8JsonReader"/>, without recursion:
/// depth is checked before it grows, duplicate keys follow a policy, errors carry line, column and excerpt.
/// </summary>
internal static class JsonTreeReader
{
    private const string FormatName = "json";

    /// <summary>Parses exactly one JSON value from <paramref name="data"/> (which must hold nothing else but whitespace).</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options, string formatName = FormatName, long lineOffset = 0)
    {
        FormatGuards.CheckSize(data.Length, options, formatName);
        data = FormatGuards.SkipUtf8Bom(data);
        var reader = new Utf8JsonReader(data, new JsonReaderOptions
        {
            // One more than ours so our own check (with a clear limit exception) fires first.
            MaxDepth = options.MaxDepth + 1,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        try
        {
            if (!reader.Read())
            {
                throw new SerializationException(formatName, "the input is empty; a JSON document holds one value (for example {} or null)", lineOffset + 1, 1);
            }

            JsonNode? root = ReadValue(ref reader, data, options, formatName, lineOffset);
            if (reader.Read())
            {
                throw FormatGuards.At(formatName, "unexpected data after the end of the JSON value", data, reader.TokenStartIndex);
            }

            return root;
        }
        catch (JsonException ex)
        {
            long offset = reader.BytesConsumed;
            var (line, column) = FormatGuards.LineColumn(data, offset);
            string problem = ex.Message;
            int cut = problem.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                problem = problem[..cut].TrimEnd();
            }

            throw new SerializationException(formatName, problem, lineOffset + (ex.LineNumber ?? (line - 1)) + 1, (ex.BytePositionInLine ?? (column - 1)) + 1, null, FormatGuards.Excerpt(data, offset), ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader.GetString reports invalid UTF-8 and lone surrogates this way.
            long offset = reader.TokenStartIndex;
            var (line, column) = FormatGuards.LineColumn(data, offset);
            throw new SerializationException(formatName, "a string holds invalid UTF-8 or an unpaired surrogate escape", lineOffset + line, column, null, FormatGuards.Excerpt(data, offset), ex);
        }
    }

    private static JsonNode? ReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, SerializerOptions options, string formatName, long lineOffset)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return ReadScalar(ref reader, data, formatName);
        }

        var stack = new Stack<JsonNode>();
        string? pendingName = null;
        var names = new Stack<string?>();
        JsonNode? root = null;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    if (stack.Count >= options.MaxDepth)
                    {
                        var (line, column) = FormatGuards.LineColumn(data, reader.TokenStartIndex);
                        FormatGuards.ThrowTooDeep(options, formatName, lineOffset + line, column, stack.Peek().GetPath());
                    }

                    JsonNode container = reader.TokenType == JsonTokenType.StartObject ? new JsonObject() : new JsonArray();
                    Attach(stack, pendingName, container);
                    names.Push(pendingName);
                    pendingName = null;
                    stack.Push(container);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    root = stack.Pop();
                    names.Pop();
                    if (stack.Count == 0)
                    {
                        return root;
                    }

                    break;
                case JsonTokenType.PropertyName:
                    pendingName = reader.GetString();
                    break;
                default:
                    Attach(stack, pendingName, ReadScalar(ref reader, data, formatName));
                    pendingName = null;
                    break;
            }
        }
        while (reader.Read());

        throw FormatGuards.At(formatName, "the JSON text ends before its last object or array is closed", data, data.Length);
    }

    private static void Attach(Stack<JsonNode> stack, string? name, JsonNode? value)
    {
        if (stack.Count == 0)
        {
            return;
        }

        switch (stack.Peek())
        {
            case JsonObject obj:
                // RFC 8259 leaves duplicate names to the implementation: the last one wins, like JavaScript.
                obj[name!] = value;
                break;
            case JsonArray array:
                array.Add(value);
                break;
        }
    }

    private static JsonValue? ReadScalar(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, string formatName)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString()!);
            case JsonTokenType.Number:
                return ReadNumber(ref reader, data, formatName);
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            case JsonTokenType.Null:
                return null;
            default:
                throw FormatGuards.At(formatName, $"unexpected token {reader.TokenType}", data, reader.TokenStartIndex);
        }
    }

    private static JsonValue ReadNumber(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, string formatName)
    {
        if (reader.TryGetInt64(out long integer))
        {
            return JsonValue.Create(integer);
        }

        ReadOnlySpan<byte> raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0
            && BigInteger.TryParse(System.Text.Encoding.ASCII.GetString(raw), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger big))
        {
            return JsonValue.Create(big)!;
        }

        if (reader.TryGetDouble(out double real))
        {
            return JsonValue.Create(real);
        }

        // Beyond double's range (1e400): keep the value as infinity, the nearest double, as JavaScript does.
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out real))
        {
            return JsonValue.Create(real);
        }

        throw FormatGuards.At(formatName, "a number could not be read", data, reader.TokenStartIndex);
    }
}
