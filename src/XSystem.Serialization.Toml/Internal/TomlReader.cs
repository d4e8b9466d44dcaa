using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.Toml.Internal;

/// <summary>How a table came to exist; decides whether a later header or dotted key may add to it.</summary>
internal enum TableKind : byte
{
    /// <summary>Created as a parent of a header (<c>a</c> in <c>[a.b]</c>); a later <c>[a]</c> may still define it once.</summary>
    Implicit,

    /// <summary>Defined by a <c>[header]</c> or an <c>[[array of tables]]</c> element; closed to dotted keys from elsewhere.</summary>
    Header,

    /// <summary>Created by a dotted key (<c>a.b = 1</c>); closed to <c>[header]</c> redefinition.</summary>
    Dotted,

    /// <summary>An array created by <c>[[header]]</c>; the only kind of array a header may extend.</summary>
    ArrayOfTables,
}

/// <summary>
/// A strict TOML 1.0 (optionally 1.1) reader straight from UTF-8 bytes to the <see cref="JsonNode"/> tree.
/// Tables and arrays that are not registered in <see cref="_kinds"/> are inline tables and static arrays: immutable.
/// Nesting is bounded by <see cref="SerializerOptions.MaxDepth"/> and by the available stack, so recursion cannot overflow.
/// </summary>
internal ref struct TomlReader
{
    private const string Format = "toml";

    private static readonly SearchValues<byte> BasicStops = SearchValues.Create(Stops("\"\\", multiLine: false));
    private static readonly SearchValues<byte> MultiBasicStops = SearchValues.Create(Stops("\"\\", multiLine: true));
    private static readonly SearchValues<byte> LiteralStops = SearchValues.Create(Stops("'", multiLine: false));
    private static readonly SearchValues<byte> MultiLiteralStops = SearchValues.Create(Stops("'", multiLine: true));
    private static readonly SearchValues<byte> CommentStops = SearchValues.Create(Stops(string.Empty, multiLine: false));

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _maxDepth;
    private readonly SerializerOptions _options;
    private readonly bool _v11;
    private readonly Dictionary<JsonNode, TableKind> _kinds;
    private readonly List<string> _keys;
    private byte[] _buffer;
    private int _bufferLength;
    private int _pos;

    private TomlReader(ReadOnlySpan<byte> data, SerializerOptions options, bool v11)
    {
        _data = data;
        _options = options;
        _maxDepth = options.MaxDepth;
        _v11 = v11;
        _kinds = new Dictionary<JsonNode, TableKind>(ReferenceEqualityComparer.Instance);
        _keys = new List<string>(4);
        _buffer = [];
        _bufferLength = 0;
        _pos = 0;
    }

    /// <summary>Reads a whole document (UTF-8, already validated, without a byte order mark).</summary>
    public static JsonObject Read(ReadOnlySpan<byte> data, SerializerOptions options, bool v11)
    {
        var reader = new TomlReader(data, options, v11);
        return reader.ReadDocument();
    }

    private static byte[] Stops(string extra, bool multiLine)
    {
        var stops = new List<byte>();
        foreach (char c in extra)
        {
            stops.Add((byte)c);
        }

        for (int b = 0; b < 0x20; b++)
        {
            if (b == '\t' || (multiLine && b == '\n'))
            {
                continue;
            }

            stops.Add((byte)b);
        }

        stops.Add(0x7F);
        return [.. stops];
    }

    private JsonObject ReadDocument()
    {
        var root = new JsonObject();
        JsonObject current = root;
        int depth = 1;
        ReadOnlySpan<byte> data = _data;
        while (true)
        {
            SkipSpaces();
            if (_pos >= data.Length)
            {
                return root;
            }

            byte b = data[_pos];
            if (b == '\n')
            {
                _pos++;
                continue;
            }

            if (b == '\r')
            {
                ReadNewline();
                continue;
            }

            if (b == '#')
            {
                SkipComment();
                continue;
            }

            if (b == '[')
            {
                current = ReadHeader(root, out depth);
            }
            else
            {
                ReadKeyValue(current, depth);
            }

            EndLine();
        }
    }

    // ---------------------------------------------------------------- layout

    private void SkipSpaces()
    {
        ReadOnlySpan<byte> data = _data;
        int pos = _pos;
        while (pos < data.Length && (data[pos] == ' ' || data[pos] == '\t'))
        {
            pos++;
        }

        _pos = pos;
    }

    /// <summary>Skips spaces, tabs, newlines and comments (inside arrays, and inside TOML 1.1 inline tables).</summary>
    private void SkipSpacesNewlinesComments()
    {
        ReadOnlySpan<byte> data = _data;
        while (_pos < data.Length)
        {
            byte b = data[_pos];
            if (b == ' ' || b == '\t' || b == '\n')
            {
                _pos++;
            }
            else if (b == '\r')
            {
                ReadNewline();
            }
            else if (b == '#')
            {
                SkipComment();
            }
            else
            {
                return;
            }
        }
    }

    private void ReadNewline()
    {
        if (_pos + 1 < _data.Length && _data[_pos + 1] == '\n')
        {
            _pos += 2;
            return;
        }

        Fail("a carriage return must be followed by a line feed (bare CR is not a newline in TOML)", _pos);
    }

    private void SkipComment()
    {
        _pos++;
        ReadOnlySpan<byte> rest = _data[_pos..];
        int index = rest.IndexOfAny(CommentStops);
        if (index < 0)
        {
            _pos = _data.Length;
            return;
        }

        _pos += index;
        byte b = rest[index];
        if (b == '\n' || (b == '\r' && index + 1 < rest.Length && rest[index + 1] == '\n'))
        {
            return;
        }

        Fail(ControlCharacter(b, "comments"), _pos);
    }

    private void EndLine()
    {
        SkipSpaces();
        if (_pos >= _data.Length)
        {
            return;
        }

        byte b = _data[_pos];
        if (b == '#')
        {
            SkipComment();
            if (_pos >= _data.Length)
            {
                return;
            }

            b = _data[_pos];
        }

        if (b == '\n')
        {
            _pos++;
            return;
        }

        if (b == '\r')
        {
            ReadNewline();
            return;
        }

        Fail($"expected the end of the line, found {Describe(_pos)}", _pos);
    }

    // ---------------------------------------------------------------- tables and keys

    private JsonObject ReadHeader(JsonObject root, out int depth)
    {
        int start = _pos;
        _pos++;
        bool arrayOfTables = _pos < _data.Length && _data[_pos] == '[';
        if (arrayOfTables)
        {
            _pos++;
        }

        ReadKey();
        if (_pos >= _data.Length || _data[_pos] != ']')
        {
            Fail($"expected ']' to close the table header, found {Describe(_pos)}", _pos);
        }

        _pos++;
        if (arrayOfTables)
        {
            if (_pos >= _data.Length || _data[_pos] != ']')
            {
                Fail($"expected ']]' to close the array-of-tables header, found {Describe(_pos)}", _pos);
            }

            _pos++;
        }

        JsonObject table = root;
        depth = 1;
        List<string> keys = _keys;
        for (int i = 0; i < keys.Count - 1; i++)
        {
            string key = keys[i];
            depth++;
            CheckDepth(depth, start);
            if (table.TryGetPropertyValue(key, out JsonNode? existing))
            {
                if (existing is JsonObject child && _kinds.ContainsKey(child))
                {
                    table = child;
                }
                else if (existing is JsonArray array && _kinds.ContainsKey(array))
                {
                    depth++;
                    table = (JsonObject)array[^1]!;
                }
                else
                {
                    Fail($"cannot open table [{HeaderName()}]: '{key}' is already {What(existing)} and cannot be extended", start, Child(table, key));
                }
            }
            else
            {
                var child = new JsonObject();
                table.Add(key, child);
                _kinds.Add(child, TableKind.Implicit);
                table = child;
            }
        }

        string last = keys[^1];
        depth++;
        CheckDepth(depth, start);
        bool exists = table.TryGetPropertyValue(last, out JsonNode? node);
        if (!arrayOfTables)
        {
            if (!exists)
            {
                var created = new JsonObject();
                table.Add(last, created);
                _kinds.Add(created, TableKind.Header);
                return created;
            }

            if (node is JsonObject existingTable && _kinds.TryGetValue(existingTable, out TableKind kind) && kind == TableKind.Implicit)
            {
                _kinds[existingTable] = TableKind.Header;
                return existingTable;
            }

            Fail($"table [{HeaderName()}] is defined more than once: '{last}' is already {What(node)}", start, Child(table, last));
        }

        JsonArray? tables = null;
        if (!exists)
        {
            tables = [];
            table.Add(last, tables);
            _kinds.Add(tables, TableKind.ArrayOfTables);
        }
        else if (node is JsonArray existingArray && _kinds.ContainsKey(existingArray))
        {
            tables = existingArray;
        }
        else
        {
            Fail($"cannot append to array of tables [[{HeaderName()}]]: '{last}' is already {What(node)}", start, Child(table, last));
        }

        depth++;
        CheckDepth(depth, start);
        var element = new JsonObject();
        tables.Add((JsonNode)element);
        _kinds.Add(element, TableKind.Header);
        return element;
    }

    /// <summary>Reads <c>key = value</c> into <paramref name="table"/>, which sits at nesting level <paramref name="depth"/>.</summary>
    private void ReadKeyValue(JsonObject table, int depth)
    {
        int start = _pos;
        ReadKey();
        if (_pos >= _data.Length || _data[_pos] != '=')
        {
            Fail($"expected '=' after the key, found {Describe(_pos)}", _pos);
        }

        _pos++;
        SkipSpaces();
        List<string> keys = _keys;
        for (int i = 0; i < keys.Count - 1; i++)
        {
            string key = keys[i];
            depth++;
            CheckDepth(depth, start);
            if (table.TryGetPropertyValue(key, out JsonNode? existing))
            {
                if (existing is JsonObject child && _kinds.TryGetValue(child, out TableKind kind) && kind is TableKind.Dotted or TableKind.Implicit)
                {
                    if (kind == TableKind.Implicit)
                    {
                        _kinds[child] = TableKind.Dotted;
                    }

                    table = child;
                }
                else
                {
                    Fail($"dotted key '{DottedName()}' cannot add to '{key}': it is already {What(existing)}", start, Child(table, key));
                }
            }
            else
            {
                var child = new JsonObject();
                table.Add(key, child);
                _kinds.Add(child, TableKind.Dotted);
                table = child;
            }
        }

        string last = keys[^1];
        if (table.ContainsKey(last))
        {
            Fail($"key '{DottedName()}' is defined more than once", start, Child(table, last));
        }

        JsonNode value = ReadValue(depth);
        table.Add(last, value);
    }

    /// <summary>Reads a possibly dotted key into <see cref="_keys"/>, with the spaces around it.</summary>
    private void ReadKey()
    {
        _keys.Clear();
        while (true)
        {
            SkipSpaces();
            _keys.Add(ReadSimpleKey());
            SkipSpaces();
            if (_pos < _data.Length && _data[_pos] == '.')
            {
                _pos++;
                continue;
            }

            return;
        }
    }

    private string ReadSimpleKey()
    {
        ReadOnlySpan<byte> data = _data;
        if (_pos < data.Length)
        {
            byte b = data[_pos];
            if (b == '"' || b == '\'')
            {
                if (_pos + 2 < data.Length && data[_pos + 1] == b && data[_pos + 2] == b)
                {
                    Fail("a multi-line string cannot be a key", _pos);
                }

                return b == '"' ? ReadBasicString() : ReadLiteralString();
            }
        }

        int start = _pos;
        while (_pos < data.Length && IsBareKeyByte(data[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            Fail($"expected a key, found {Describe(_pos)}", _pos);
        }

        return KeyString(data[start.._pos]);
    }

    private static string KeyString(ReadOnlySpan<byte> ascii) => Encoding.ASCII.GetString(ascii);

    private static bool IsBareKeyByte(byte b) =>
        (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9 || b == '_' || b == '-';

    // ---------------------------------------------------------------- values

    private JsonNode ReadValue(int depth)
    {
        if (_pos >= _data.Length)
        {
            Fail("expected a value, found the end of the input", _pos);
        }

        byte b = _data[_pos];
        switch (b)
        {
            case (byte)'"':
                return JsonValue.Create(IsTriple(b) ? ReadMultiLineBasicString() : ReadBasicString());
            case (byte)'\'':
                return JsonValue.Create(IsTriple(b) ? ReadMultiLineLiteralString() : ReadLiteralString());
            case (byte)'[':
                return ReadArray(depth + 1);
            case (byte)'{':
                return ReadInlineTable(depth + 1);
            case (byte)'t':
                ReadWord("true"u8);
                return JsonValue.Create(true);
            case (byte)'f':
                ReadWord("false"u8);
                return JsonValue.Create(false);
            default:
                return ReadNumberOrDateTime();
        }
    }

    private readonly bool IsTriple(byte quote) =>
        _pos + 2 < _data.Length && _data[_pos + 1] == quote && _data[_pos + 2] == quote;

    private void ReadWord(ReadOnlySpan<byte> word)
    {
        if (!_data[_pos..].StartsWith(word) || (_pos + word.Length < _data.Length && IsTokenByte(_data[_pos + word.Length])))
        {
            Fail($"invalid value {Token(_pos)} (booleans are lower-case true and false; strings need quotes)", _pos);
        }

        _pos += word.Length;
    }

    private JsonArray ReadArray(int depth)
    {
        int start = _pos;
        CheckDepth(depth, start);
        _pos++;
        var array = new JsonArray();
        while (true)
        {
            SkipSpacesNewlinesComments();
            if (_pos >= _data.Length)
            {
                Fail("unterminated array: expected ']'", start);
            }

            if (_data[_pos] == ']')
            {
                _pos++;
                return array;
            }

            array.Add(ReadValue(depth));
            SkipSpacesNewlinesComments();
            if (_pos >= _data.Length)
            {
                Fail("unterminated array: expected ',' or ']'", start);
            }

            byte b = _data[_pos];
            if (b == ',')
            {
                _pos++;
                continue;
            }

            if (b == ']')
            {
                _pos++;
                return array;
            }

            Fail($"expected ',' or ']' in the array, found {Describe(_pos)}", _pos);
        }
    }

    private JsonObject ReadInlineTable(int depth)
    {
        int start = _pos;
        CheckDepth(depth, start);
        _pos++;
        var table = new JsonObject();
        SkipInlineTableSpace();
        if (_pos < _data.Length && _data[_pos] == '}')
        {
            _pos++;
            return table;
        }

        while (true)
        {
            if (!_v11 && _pos < _data.Length && (_data[_pos] == '\n' || _data[_pos] == '\r'))
            {
                Fail("an inline table must stay on one line in TOML 1.0", _pos);
            }

            ReadKeyValue(table, depth);
            SkipInlineTableSpace();
            if (_pos >= _data.Length)
            {
                Fail("unterminated inline table: expected '}'", start);
            }

            byte b = _data[_pos];
            if (b == ',')
            {
                _pos++;
                SkipInlineTableSpace();
                if (_pos < _data.Length && _data[_pos] == '}')
                {
                    if (!_v11)
                    {
                        Fail("a trailing comma is not allowed in an inline table in TOML 1.0", _pos);
                    }

                    _pos++;
                    return table;
                }

                continue;
            }

            if (b == '}')
            {
                _pos++;
                return table;
            }

            if (b == '\n' || b == '\r')
            {
                Fail("an inline table must stay on one line in TOML 1.0", _pos);
            }

            Fail($"expected ',' or '}}' in the inline table, found {Describe(_pos)}", _pos);
        }
    }

    private void SkipInlineTableSpace()
    {
        if (_v11)
        {
            SkipSpacesNewlinesComments();
        }
        else
        {
            SkipSpaces();
        }
    }

    // ---------------------------------------------------------------- strings

    private string ReadBasicString()
    {
        int start = _pos;
        _pos++;
        ReadOnlySpan<byte> rest = _data[_pos..];
        int index = rest.IndexOfAny(BasicStops);
        if (index >= 0 && rest[index] == '"')
        {
            string fast = Encoding.UTF8.GetString(rest[..index]);
            _pos += index + 1;
            return fast;
        }

        _bufferLength = 0;
        while (true)
        {
            rest = _data[_pos..];
            index = rest.IndexOfAny(BasicStops);
            if (index < 0)
            {
                Fail("unterminated string: expected '\"'", start);
            }

            Append(rest[..index]);
            _pos += index;
            byte b = rest[index];
            if (b == '"')
            {
                _pos++;
                return BufferString();
            }

            if (b == '\\')
            {
                ReadEscape();
                continue;
            }

            if (b == '\n' || b == '\r')
            {
                Fail("unterminated string: a \"basic string\" must end on its line (use \"\"\" for multi-line strings)", start);
            }

            Fail(ControlCharacter(b, "strings (escape it)"), _pos);
        }
    }

    private string ReadMultiLineBasicString()
    {
        int start = _pos;
        _pos += 3;
        SkipFirstNewline();
        _bufferLength = 0;
        while (true)
        {
            ReadOnlySpan<byte> rest = _data[_pos..];
            int index = rest.IndexOfAny(MultiBasicStops);
            if (index < 0)
            {
                Fail("unterminated multi-line string: expected '\"\"\"'", start);
            }

            Append(rest[..index]);
            _pos += index;
            byte b = rest[index];
            if (b == '"')
            {
                if (CloseMultiLine((byte)'"'))
                {
                    return BufferString();
                }

                continue;
            }

            if (b == '\\')
            {
                if (_pos + 1 < _data.Length && _data[_pos + 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
                {
                    SkipLineEndingBackslash();
                }
                else
                {
                    ReadEscape();
                }

                continue;
            }

            if (b == '\r')
            {
                ReadNewline();
                Append("\r\n"u8);
                continue;
            }

            Fail(ControlCharacter(b, "strings (escape it)"), _pos);
        }
    }

    private string ReadLiteralString()
    {
        int start = _pos;
        _pos++;
        ReadOnlySpan<byte> rest = _data[_pos..];
        int index = rest.IndexOfAny(LiteralStops);
        if (index < 0)
        {
            Fail("unterminated literal string: expected \"'\"", start);
        }

        byte b = rest[index];
        if (b == '\'')
        {
            _pos += index + 1;
            return Encoding.UTF8.GetString(rest[..index]);
        }

        if (b == '\n' || b == '\r')
        {
            Fail("unterminated literal string: a 'literal string' must end on its line (use ''' for multi-line strings)", start);
        }

        throw Error(ControlCharacter(b, "literal strings"), _pos + index);
    }

    private string ReadMultiLineLiteralString()
    {
        int start = _pos;
        _pos += 3;
        SkipFirstNewline();
        _bufferLength = 0;
        while (true)
        {
            ReadOnlySpan<byte> rest = _data[_pos..];
            int index = rest.IndexOfAny(MultiLiteralStops);
            if (index < 0)
            {
                Fail("unterminated multi-line literal string: expected \"'''\"", start);
            }

            Append(rest[..index]);
            _pos += index;
            byte b = rest[index];
            if (b == '\'')
            {
                if (CloseMultiLine((byte)'\''))
                {
                    return BufferString();
                }

                continue;
            }

            if (b == '\r')
            {
                ReadNewline();
                Append("\r\n"u8);
                continue;
            }

            Fail(ControlCharacter(b, "literal strings"), _pos);
        }
    }

    private void SkipFirstNewline()
    {
        if (_pos < _data.Length && _data[_pos] == '\n')
        {
            _pos++;
        }
        else if (_pos + 1 < _data.Length && _data[_pos] == '\r' && _data[_pos + 1] == '\n')
        {
            _pos += 2;
        }
    }

    /// <summary>At a run of quotes inside a multi-line string: true when it closes the string (up to two quotes may precede the delimiter).</summary>
    private bool CloseMultiLine(byte quote)
    {
        int run = 0;
        while (_pos + run < _data.Length && _data[_pos + run] == quote)
        {
            run++;
        }

        if (run < 3)
        {
            Append(_data.Slice(_pos, run));
            _pos += run;
            return false;
        }

        if (run > 5)
        {
            Fail("too many quotes: at most two quotes may stand right before the closing delimiter", _pos);
        }

        Append(_data.Slice(_pos, run - 3));
        _pos += run;
        return true;
    }

    /// <summary>At a backslash followed by whitespace: it must end the line; trims every space and newline after it.</summary>
    private void SkipLineEndingBackslash()
    {
        int at = _pos;
        _pos++;
        SkipSpaces();
        if (_pos >= _data.Length || (_data[_pos] != '\n' && _data[_pos] != '\r'))
        {
            Fail("invalid escape: a backslash followed by spaces must end the line", at);
        }

        while (_pos < _data.Length)
        {
            byte b = _data[_pos];
            if (b == ' ' || b == '\t' || b == '\n')
            {
                _pos++;
            }
            else if (b == '\r')
            {
                ReadNewline();
            }
            else
            {
                return;
            }
        }
    }

    private void ReadEscape()
    {
        int at = _pos;
        _pos++;
        if (_pos >= _data.Length)
        {
            Fail("unterminated escape sequence", at);
        }

        byte b = _data[_pos++];
        switch (b)
        {
            case (byte)'b': Append(0x08); return;
            case (byte)'t': Append(0x09); return;
            case (byte)'n': Append(0x0A); return;
            case (byte)'f': Append(0x0C); return;
            case (byte)'r': Append(0x0D); return;
            case (byte)'"': Append((byte)'"'); return;
            case (byte)'\\': Append((byte)'\\'); return;
            case (byte)'e' when _v11: Append(0x1B); return;
            case (byte)'x' when _v11: AppendRune(ReadHex(2, at), at); return;
            case (byte)'u': AppendRune(ReadHex(4, at), at); return;
            case (byte)'U': AppendRune(ReadHex(8, at), at); return;
            default:
                Fail(
                    b is (byte)'e' or (byte)'x'
                        ? $"the escape \\{(char)b} is TOML 1.1; set TomlOptions.Version = TomlVersion.Toml11 to accept it"
                        : $"invalid escape sequence \\{(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : "?")} (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)",
                    at);
                return;
        }
    }

    private uint ReadHex(int count, int at)
    {
        if (_pos + count > _data.Length)
        {
            Fail($"the escape needs {count} hexadecimal digits", at);
        }

        uint value = 0;
        for (int i = 0; i < count; i++)
        {
            int digit = HexValue(_data[_pos + i]);
            if (digit < 0)
            {
                Fail($"the escape needs {count} hexadecimal digits", at);
            }

            value = (value << 4) | (uint)digit;
        }

        _pos += count;
        return value;
    }

    private void AppendRune(uint value, int at)
    {
        if (!Rune.IsValid(value))
        {
            Fail($"the escape names U+{value:X4}, which is not a Unicode scalar value (surrogates and values beyond U+10FFFF are not allowed)", at);
        }

        Span<byte> utf8 = stackalloc byte[4];
        int length = new Rune(value).EncodeToUtf8(utf8);
        Append(utf8[..length]);
    }

    private void Append(byte b)
    {
        EnsureBuffer(1);
        _buffer[_bufferLength++] = b;
    }

    private void Append(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        EnsureBuffer(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_bufferLength));
        _bufferLength += bytes.Length;
    }

    private void EnsureBuffer(int extra)
    {
        if (_bufferLength + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Math.Max(_bufferLength + extra, 64)));
        }
    }

    private readonly string BufferString() => Encoding.UTF8.GetString(_buffer, 0, _bufferLength);

    // ---------------------------------------------------------------- numbers, dates and times

    private JsonValue ReadNumberOrDateTime()
    {
        ReadOnlySpan<byte> data = _data;
        int start = _pos;
        if (IsDigit(data[start]))
        {
            if (start + 2 < data.Length && data[start + 2] == ':' && IsDigit(data[start + 1]))
            {
                return ReadLocalTime();
            }

            if (start + 4 < data.Length && data[start + 4] == '-' && IsDigit(data[start + 1]) && IsDigit(data[start + 2]) && IsDigit(data[start + 3]))
            {
                return ReadDateOrDateTime();
            }
        }

        while (_pos < data.Length && IsTokenByte(data[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            Fail($"expected a value, found {Describe(start)}", start);
        }

        return ParseNumber(data[start.._pos], start);
    }

    private static bool IsTokenByte(byte b) =>
        (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9 || b == '_' || b == '+' || b == '-' || b == '.';

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static int HexValue(byte b)
    {
        if ((uint)(b - '0') <= 9)
        {
            return b - '0';
        }

        int lower = b | 0x20;
        return (uint)(lower - 'a') <= 5 ? lower - 'a' + 10 : -1;
    }

    private readonly JsonValue ParseNumber(ReadOnlySpan<byte> token, int start)
    {
        int i = 0;
        bool negative = false;
        bool signed = token[0] == '+' || token[0] == '-';
        if (signed)
        {
            negative = token[0] == '-';
            i = 1;
        }

        ReadOnlySpan<byte> body = token[i..];
        if (body.SequenceEqual("inf"u8))
        {
            return JsonValue.Create(negative ? double.NegativeInfinity : double.PositiveInfinity);
        }

        if (body.SequenceEqual("nan"u8))
        {
            return JsonValue.Create(double.NaN);
        }

        if (body.Length >= 2 && body[0] == '0' && body[1] is (byte)'x' or (byte)'o' or (byte)'b')
        {
            if (signed)
            {
                Fail($"invalid number {Quote(token)}: hexadecimal, octal and binary integers take no sign", start);
            }

            return ParseRadixInteger(body, start);
        }

        if (body.IsEmpty || !IsDigit(body[0]))
        {
            Fail($"invalid value {Quote(token)} (strings need quotes; numbers start with a digit or a sign)", start);
        }

        if (body[0] == '0' && body.Length > 1 && (IsDigit(body[1]) || body[1] == '_'))
        {
            Fail($"invalid number {Quote(token)}: leading zeros are not allowed", start);
        }

        int j = 0;
        if (!ScanDigits(body, ref j, 10))
        {
            Fail(InvalidNumber(token), start);
        }

        bool isFloat = false;
        if (j < body.Length && body[j] == '.')
        {
            isFloat = true;
            j++;
            if (!ScanDigits(body, ref j, 10))
            {
                Fail(InvalidNumber(token), start);
            }
        }

        if (j < body.Length && (body[j] == 'e' || body[j] == 'E'))
        {
            isFloat = true;
            j++;
            if (j < body.Length && (body[j] == '+' || body[j] == '-'))
            {
                j++;
            }

            if (!ScanDigits(body, ref j, 10))
            {
                Fail(InvalidNumber(token), start);
            }
        }

        if (j != body.Length)
        {
            Fail(InvalidNumber(token), start);
        }

        return isFloat ? JsonValue.Create(ParseFloat(token, start)) : JsonValue.Create(ParseDecimalInteger(body, negative, token, start));
    }

    private static string InvalidNumber(ReadOnlySpan<byte> token) =>
        $"invalid number {Quote(token)} (underscores must stand between digits; a float needs digits on both sides of '.' and after 'e')";

    /// <summary>Consumes digits of the radix with single underscores between them; false when none or an underscore is misplaced.</summary>
    private static bool ScanDigits(ReadOnlySpan<byte> text, ref int j, int radix)
    {
        if (j >= text.Length || !IsRadixDigit(text[j], radix))
        {
            return false;
        }

        j++;
        while (j < text.Length)
        {
            byte b = text[j];
            if (IsRadixDigit(b, radix))
            {
                j++;
            }
            else if (b == '_')
            {
                if (j + 1 >= text.Length || !IsRadixDigit(text[j + 1], radix))
                {
                    return false;
                }

                j += 2;
            }
            else
            {
                break;
            }
        }

        return true;
    }

    private static bool IsRadixDigit(byte b, int radix) => radix switch
    {
        10 => IsDigit(b),
        16 => HexValue(b) >= 0,
        8 => (uint)(b - '0') <= 7,
        _ => b is (byte)'0' or (byte)'1',
    };

    private readonly long ParseDecimalInteger(ReadOnlySpan<byte> body, bool negative, ReadOnlySpan<byte> token, int start)
    {
        ulong limit = negative ? 9_223_372_036_854_775_808UL : long.MaxValue;
        ulong magnitude = 0;
        foreach (byte b in body)
        {
            if (b == '_')
            {
                continue;
            }

            uint digit = (uint)(b - '0');
            if (magnitude > (limit - digit) / 10)
            {
                Fail($"integer {Quote(token)} is outside the 64-bit range TOML allows", start);
            }

            magnitude = (magnitude * 10) + digit;
        }

        return negative ? unchecked((long)(0UL - magnitude)) : (long)magnitude;
    }

    private readonly JsonValue ParseRadixInteger(ReadOnlySpan<byte> body, int start)
    {
        int radix = body[1] switch { (byte)'x' => 16, (byte)'o' => 8, _ => 2 };
        int shift = radix switch { 16 => 4, 8 => 3, _ => 1 };
        int j = 2;
        if (!ScanDigits(body, ref j, radix) || j != body.Length)
        {
            Fail($"invalid number {Quote(body)}: expected {(radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary")} digits with single underscores between them", start);
        }

        ulong value = 0;
        for (int k = 2; k < body.Length; k++)
        {
            byte b = body[k];
            if (b == '_')
            {
                continue;
            }

            if (value > (ulong)long.MaxValue >> shift)
            {
                Fail($"integer {Quote(body)} is outside the 64-bit range TOML allows", start);
            }

            value = (value << shift) | (uint)HexValue(b);
        }

        if (value > long.MaxValue)
        {
            Fail($"integer {Quote(body)} is outside the 64-bit range TOML allows", start);
        }

        return JsonValue.Create((long)value);
    }

    private readonly double ParseFloat(ReadOnlySpan<byte> token, int start)
    {
        byte[]? rented = null;
        Span<byte> digits = token.Length <= 128 ? stackalloc byte[128] : (rented = ArrayPool<byte>.Shared.Rent(token.Length));
        int length = 0;
        foreach (byte b in token)
        {
            if (b != '_')
            {
                digits[length++] = b;
            }
        }

        double value = double.Parse(digits[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (double.IsInfinity(value))
        {
            Fail($"float {Quote(token)} is outside the range of a 64-bit float (write inf for infinity)", start);
        }

        return value;
    }

    private JsonValue ReadLocalTime()
    {
        ReadTime(out TimeSpan time);
        return TomlValues.Create(TimeOnly.FromTimeSpan(time));
    }

    private JsonValue ReadDateOrDateTime()
    {
        ReadOnlySpan<byte> data = _data;
        int start = _pos;
        if (start + 10 > data.Length
            || !IsDigit(data[start + 5]) || !IsDigit(data[start + 6]) || data[start + 7] != '-'
            || !IsDigit(data[start + 8]) || !IsDigit(data[start + 9]))
        {
            Fail($"invalid date {Token(start)}: expected YYYY-MM-DD", start);
        }

        int year = Digits(start, 4);
        int month = Digits(start + 5, 2);
        int day = Digits(start + 8, 2);
        if (year < 1)
        {
            Fail("the year 0000 cannot be represented (.NET dates start at 0001-01-01)", start);
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            Fail($"invalid date {Token(start)}: no such day", start);
        }

        _pos += 10;
        bool hasTime = false;
        if (_pos < data.Length)
        {
            byte b = data[_pos];
            if (b == 'T' || b == 't' || (b == ' ' && _pos + 1 < data.Length && IsDigit(data[_pos + 1])))
            {
                hasTime = true;
                _pos++;
            }
        }

        if (!hasTime)
        {
            return TomlValues.Create(new DateOnly(year, month, day));
        }

        ReadTime(out TimeSpan time);
        var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).Add(time);
        if (_pos >= data.Length)
        {
            return JsonValue.Create(local);
        }

        byte z = data[_pos];
        TimeSpan offset;
        if (z == 'Z' || z == 'z')
        {
            _pos++;
            offset = TimeSpan.Zero;
        }
        else if (z == '+' || z == '-')
        {
            int at = _pos;
            if (_pos + 6 > data.Length || !IsDigit(data[_pos + 1]) || !IsDigit(data[_pos + 2]) || data[_pos + 3] != ':'
                || !IsDigit(data[_pos + 4]) || !IsDigit(data[_pos + 5]))
            {
                Fail($"invalid time offset {Token(at)}: expected Z, +HH:MM or -HH:MM", at);
            }

            int hours = Digits(_pos + 1, 2);
            int minutes = Digits(_pos + 4, 2);
            if (hours > 23 || minutes > 59)
            {
                Fail($"invalid time offset {Token(at)}: hours go to 23 and minutes to 59", at);
            }

            offset = new TimeSpan(hours, minutes, 0);
            if (z == '-')
            {
                offset = -offset;
            }

            if (offset.Duration() > TimeSpan.FromHours(14))
            {
                Fail($"the time offset {Token(at)} is beyond ±14:00, which .NET's DateTimeOffset cannot hold", at);
            }

            _pos += 6;
        }
        else
        {
            return JsonValue.Create(local);
        }

        long utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            Fail("the date-time falls outside the range .NET can represent (0001-01-01 to 9999-12-31 UTC)", start);
        }

        return JsonValue.Create(new DateTimeOffset(local, offset));
    }

    /// <summary>Reads HH:MM:SS[.fraction] (seconds optional in TOML 1.1); fractions beyond 100 ns are truncated.</summary>
    private void ReadTime(out TimeSpan time)
    {
        ReadOnlySpan<byte> data = _data;
        int start = _pos;
        if (start + 5 > data.Length || !IsDigit(data[start]) || !IsDigit(data[start + 1]) || data[start + 2] != ':'
            || !IsDigit(data[start + 3]) || !IsDigit(data[start + 4]))
        {
            Fail($"invalid time {Token(start)}: expected HH:MM:SS", start);
        }

        int hour = Digits(start, 2);
        int minute = Digits(start + 3, 2);
        int second = 0;
        _pos += 5;
        if (_pos < data.Length && data[_pos] == ':')
        {
            if (_pos + 3 > data.Length || !IsDigit(data[_pos + 1]) || !IsDigit(data[_pos + 2]))
            {
                Fail($"invalid time {Token(start)}: expected two digits of seconds", start);
            }

            second = Digits(_pos + 1, 2);
            _pos += 3;
        }
        else if (!_v11)
        {
            Fail($"invalid time {Token(start)}: seconds are required in TOML 1.0 (HH:MM:SS)", start);
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            Fail($"invalid time {Token(start)}: hours go to 23, minutes and seconds to 59 (leap seconds are not supported)", start);
        }

        long ticks = 0;
        if (_pos < data.Length && data[_pos] == '.' && _pos > start + 5)
        {
            _pos++;
            if (_pos >= data.Length || !IsDigit(data[_pos]))
            {
                Fail($"invalid time {Token(start)}: expected digits after '.'", start);
            }

            int count = 0;
            while (_pos < data.Length && IsDigit(data[_pos]))
            {
                if (count < 7)
                {
                    ticks = (ticks * 10) + (data[_pos] - '0');
                    count++;
                }

                _pos++;
            }

            for (; count < 7; count++)
            {
                ticks *= 10;
            }
        }

        time = new TimeSpan(hour, minute, second) + TimeSpan.FromTicks(ticks);
    }

    private readonly int Digits(int at, int count)
    {
        int value = 0;
        for (int i = 0; i < count; i++)
        {
            value = (value * 10) + (_data[at + i] - '0');
        }

        return value;
    }

    // ---------------------------------------------------------------- limits and errors

    private readonly void CheckDepth(int depth, int offset)
    {
        if (depth > _maxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            var (line, column) = FormatGuards.LineColumn(_data, offset);
            FormatGuards.ThrowTooDeep(_options, Format, line, column);
        }
    }

    [DoesNotReturn]
    private readonly void Fail(string problem, int offset, string? path = null) => throw Error(problem, offset, path);

    private readonly SerializationException Error(string problem, int offset, string? path = null) =>
        FormatGuards.At(Format, problem, _data, offset, path);

    private static string Child(JsonObject table, string key)
    {
        string parent = table.GetPath();
        bool bare = key.Length > 0 && key.All(c => c < 0x80 && IsBareKeyByte((byte)c));
        return bare ? parent + "." + key : parent + "['" + key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }

    private readonly string HeaderName() => string.Join('.', _keys);

    private readonly string DottedName() => string.Join('.', _keys);

    private static string What(JsonNode? node) => node switch
    {
        JsonObject => "a table",
        JsonArray => "an array",
        _ => "a value",
    };

    private static string ControlCharacter(byte b, string where) =>
        $"the control character U+{b:X4} is not allowed in {where}";

    private readonly string Describe(int offset)
    {
        if (offset >= _data.Length)
        {
            return "the end of the input";
        }

        byte b = _data[offset];
        return b switch
        {
            (byte)'\n' or (byte)'\r' => "the end of the line",
            < 0x20 or 0x7F => $"the control character U+{b:X4}",
            < 0x80 => $"'{(char)b}'",
            _ => "a non-ASCII character",
        };
    }

    private readonly string Token(int offset)
    {
        int end = offset;
        while (end < _data.Length && end - offset < 40 && _data[end] is not ((byte)'\n' or (byte)'\r' or (byte)',' or (byte)']' or (byte)'}' or (byte)'#'))
        {
            end++;
        }

        return Quote(_data[offset..end].TrimEnd((byte)' '));
    }

    private static string Quote(ReadOnlySpan<byte> text) => "'" + Encoding.UTF8.GetString(text) + "'";
}
