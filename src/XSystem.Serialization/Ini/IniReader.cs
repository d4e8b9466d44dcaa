using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>Reads INI text into a two-level tree: top-level keys, then one object per section.</summary>
internal sealed class IniReader
{
    private const string Format = IniFormat.FormatName;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IniOptions _ini;
    private readonly Dictionary<JsonObject, Dictionary<string, string>>? _spellings;
    private string _line = string.Empty;
    private int _lineNumber;

    private IniReader(IniOptions ini)
    {
        _ini = ini;
        if (ini.KeyCase == IniKeyCase.Insensitive)
        {
            _spellings = new Dictionary<JsonObject, Dictionary<string, string>>(ReferenceEqualityComparer.Instance);
        }
    }

    public static JsonObject Read(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException ex)
        {
            throw FormatGuards.At(Format, "the input is not valid UTF-8", data, ex.Index < 0 ? 0 : ex.Index, inner: ex);
        }

        var reader = new IniReader(options.GetFormatOptions<IniOptions>());
        JsonObject root = reader.ReadText(text);
        FormatGuards.CheckTreeDepth(root, options, Format);
        return root;
    }

    private JsonObject ReadText(string text)
    {
        var root = new JsonObject();
        JsonObject current = root;
        string section = string.Empty;
        int pos = 0;
        while (pos < text.Length)
        {
            int end = text.AsSpan(pos).IndexOfAny('\n', '\r');
            int lineEnd = end < 0 ? text.Length : pos + end;
            _line = text[pos..lineEnd];
            _lineNumber++;
            pos = lineEnd;
            if (pos < text.Length && text[pos] == '\r')
            {
                pos++;
            }

            if (pos < text.Length && text[pos] == '\n' && (pos == lineEnd || text[pos - 1] == '\r'))
            {
                pos++;
            }

            ReadOnlySpan<char> trimmed = _line.AsSpan().Trim();
            if (trimmed.IsEmpty || trimmed[0] is ';' or '#')
            {
                continue;
            }

            if (trimmed[0] == '[')
            {
                section = ReadSectionName(trimmed);
                current = OpenSection(root, section);
                continue;
            }

            ReadEntry(current, section);
        }

        return root;
    }

    private string ReadSectionName(ReadOnlySpan<char> header)
    {
        if (_ini.InlineComments)
        {
            header = StripInlineComment(header).TrimEnd();
        }

        if (header.Length < 2 || header[^1] != ']')
        {
            throw Fail("a section header must end with ']'", Column(header.Length > 0 ? header[^1..] : header));
        }

        string name = header[1..^1].Trim().ToString();
        if (name.Length == 0)
        {
            throw Fail("a section header needs a name between '[' and ']'", Column(header));
        }

        return _ini.KeyCase == IniKeyCase.Lower ? name.ToLowerInvariant() : name;
    }

    private JsonObject OpenSection(JsonObject root, string name)
    {
        string? spelling = Find(root, name);
        if (spelling is not null)
        {
            if (root[spelling] is JsonObject existing)
            {
                return existing; // a repeated section: its keys merge into the first one
            }

            throw Fail($"the section [{name}] has the same name as a key before the first section", Column(_line.AsSpan().TrimStart()));
        }

        var section = new JsonObject();
        Add(root, name, section);
        return section;
    }

    private void ReadEntry(JsonObject target, string section)
    {
        ReadOnlySpan<char> line = _line;
        int separator = line.IndexOfAny('=', ':');
        string key;
        JsonNode? value;
        if (separator < 0)
        {
            ReadOnlySpan<char> bare = _ini.InlineComments ? StripInlineComment(line) : line;
            if (!_ini.AllowKeysWithoutValue)
            {
                throw Fail(
                    "expected 'key = value' (or 'key: value'); a key without a value is allowed only with IniOptions.AllowKeysWithoutValue",
                    Column(line.TrimStart()));
            }

            key = bare.Trim().ToString();
            value = null;
        }
        else
        {
            key = line[..separator].Trim().ToString();
            if (key.Length == 0)
            {
                throw Fail($"a key is missing before '{line[separator]}'", separator + 1);
            }

            value = JsonValue.Create(ReadValue(separator + 1));
        }

        if (_ini.KeyCase == IniKeyCase.Lower)
        {
            key = key.ToLowerInvariant();
        }

        string? spelling = Find(target, key);
        if (spelling is null)
        {
            Add(target, key, value);
            return;
        }

        switch (_ini.DuplicateKeys)
        {
            case IniDuplicateKeys.LastWins:
                target[spelling] = value;
                break;
            case IniDuplicateKeys.Array:
                if (target[spelling] is JsonArray items)
                {
                    items.Add(value);
                }
                else
                {
                    int index = target.IndexOf(spelling);
                    JsonNode? first = target[spelling];
                    var array = new JsonArray();
                    target.SetAt(index, array);
                    array.Add(first);
                    array.Add(value);
                }

                break;
            default:
                string where = section.Length == 0 ? "before the first section" : $"in section [{section}]";
                throw Fail(
                    $"the key '{key}' occurs twice {where}; set IniOptions.DuplicateKeys to LastWins or Array to accept repeated keys",
                    Column(line.TrimStart()));
        }
    }

    private string ReadValue(int start)
    {
        ReadOnlySpan<char> line = _line;
        int i = start;
        while (i < line.Length && char.IsWhiteSpace(line[i]))
        {
            i++;
        }

        if (i < line.Length && line[i] is '"' or '\'')
        {
            char quote = line[i];
            var builder = new StringBuilder();
            int j = i + 1;
            while (true)
            {
                if (j >= line.Length)
                {
                    throw Fail($"the quoted value has no closing {quote}", i + 1);
                }

                char c = line[j];
                if (c == quote)
                {
                    break;
                }

                if (c == '\\' && quote == '"')
                {
                    j = ReadEscape(line, j, builder);
                    continue;
                }

                builder.Append(c);
                j++;
            }

            ReadOnlySpan<char> rest = line[(j + 1)..].Trim();
            if (!rest.IsEmpty && !(_ini.InlineComments && rest[0] is ';' or '#'))
            {
                throw Fail("unexpected text after the closing quote", line.Length - line[(j + 1)..].TrimStart().Length + 1);
            }

            return builder.ToString();
        }

        ReadOnlySpan<char> raw = line[i..];
        if (_ini.InlineComments)
        {
            raw = StripInlineComment(raw);
        }

        return raw.Trim().ToString();
    }

    private int ReadEscape(ReadOnlySpan<char> line, int at, StringBuilder builder)
    {
        if (at + 1 >= line.Length)
        {
            throw Fail("the line ends inside an escape sequence", at + 1);
        }

        char c = line[at + 1];
        switch (c)
        {
            case '\\': builder.Append('\\'); return at + 2;
            case '"': builder.Append('"'); return at + 2;
            case '\'': builder.Append('\''); return at + 2;
            case 'n': builder.Append('\n'); return at + 2;
            case 'r': builder.Append('\r'); return at + 2;
            case 't': builder.Append('\t'); return at + 2;
            case '0': builder.Append('\0'); return at + 2;
            case 'u':
                if (at + 6 <= line.Length
                    && int.TryParse(line.Slice(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                {
                    builder.Append((char)code);
                    return at + 6;
                }

                throw Fail("\\u needs four hexadecimal digits", at + 1);
            default:
                throw Fail(
                    $"unknown escape \\{c} in a double-quoted value; write \\\\ for a backslash, or use single quotes or no quotes for text taken literally",
                    at + 1);
        }
    }

    /// <summary>Cuts an unquoted value at <c>;</c> or <c>#</c> that starts the text or follows white space.</summary>
    private static ReadOnlySpan<char> StripInlineComment(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is ';' or '#' && (i == 0 || char.IsWhiteSpace(text[i - 1])))
            {
                return text[..i];
            }
        }

        return text;
    }

    private string? Find(JsonObject target, string key)
    {
        if (_spellings is null)
        {
            return target.ContainsKey(key) ? key : null;
        }

        return _spellings.TryGetValue(target, out var map) && map.TryGetValue(key, out string? spelling) ? spelling : null;
    }

    private void Add(JsonObject target, string key, JsonNode? value)
    {
        target[key] = value;
        if (_spellings is not null)
        {
            if (!_spellings.TryGetValue(target, out var map))
            {
                map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                _spellings[target] = map;
            }

            map.TryAdd(key, key);
        }
    }

    /// <summary>The 1-based column of a slice of the current line.</summary>
    private int Column(ReadOnlySpan<char> slice)
    {
        if (slice.IsEmpty)
        {
            return 1;
        }

        // The slice lies inside _line; find its start by content (first occurrence after leading white space).
        int index = _line.AsSpan().IndexOf(slice);
        return index < 0 ? 1 : index + 1;
    }

    private SerializationException Fail(string problem, int column)
    {
        string excerpt = _line.Length > 80 ? _line[..80] + "…" : _line;
        return new SerializationException(Format, problem, _lineNumber, column, excerpt: excerpt);
    }
}
