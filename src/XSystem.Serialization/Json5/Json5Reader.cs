using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace XSystem.Serialization.Internal;

/// <summary>
/// A JSON5 reader over UTF-8 bytes. Iterative: containers live on an explicit stack whose height is checked against
/// <see cref="SerializerOptions.MaxDepth"/> before it grows, so hostile nesting cannot overflow the call stack.
/// </summary>
internal ref struct Json5Reader
{
    private const string Format = "json5";

    private static readonly SearchValues<byte> DoubleQuoteStops = SearchValues.Create("\"\\\n\r"u8);
    private static readonly SearchValues<byte> SingleQuoteStops = SearchValues.Create("'\\\n\r"u8);

    private readonly ReadOnlySpan<byte> _data;
    private readonly SerializerOptions _options;
    private int _pos;
    private char[]? _chars;
    private int _length;

    private Json5Reader(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        _data = data;
        _options = options;
    }

    /// <summary>Parses a whole JSON5 document (the BOM already skipped).</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        if (!Utf8.IsValid(data))
        {
            throw FormatGuards.At(Format, "the input is not valid UTF-8", data, FirstInvalidUtf8(data));
        }

        var reader = new Json5Reader(data, options);
        try
        {
            return reader.ParseDocument();
        }
        finally
        {
            if (reader._chars is not null)
            {
                ArrayPool<char>.Shared.Return(reader._chars);
            }
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> data)
    {
        int offset = 0;
        while (offset < data.Length)
        {
            if (Rune.DecodeFromUtf8(data[offset..], out _, out int consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }

    private JsonNode? ParseDocument()
    {
        JsonNode? root = null;
        var stack = new List<Frame>();
        while (true)
        {
            // A value is expected here.
            SkipTrivia();
            if (_pos >= _data.Length)
            {
                throw Fail(stack.Count == 0 ? "the input holds no value" : "the input ends where a value was expected", _pos);
            }

            byte c = _data[_pos];
            if (c is (byte)'{' or (byte)'[')
            {
                if (stack.Count >= _options.MaxDepth)
                {
                    var (line, column) = FormatGuards.LineColumn(_data, _pos);
                    FormatGuards.ThrowTooDeep(_options, Format, line, column);
                }

                JsonNode container = c == (byte)'{' ? new JsonObject() : new JsonArray();
                Attach(stack, ref root, container);
                stack.Add(new Frame(container));
                _pos++;
                SkipTrivia();
                if (_pos < _data.Length && _data[_pos] == (c == (byte)'{' ? (byte)'}' : (byte)']'))
                {
                    _pos++;
                    stack.RemoveAt(stack.Count - 1);
                }
                else
                {
                    if (c == (byte)'{')
                    {
                        ReadMemberName(stack);
                    }

                    continue;
                }
            }
            else
            {
                Attach(stack, ref root, ReadScalar());
            }

            // After a value: a separator, a closing bracket, or the end of the document.
            while (true)
            {
                SkipTrivia();
                if (stack.Count == 0)
                {
                    if (_pos < _data.Length)
                    {
                        throw Fail($"unexpected {Describe(_pos)} after the end of the document", _pos);
                    }

                    return root;
                }

                Frame top = stack[^1];
                byte close = top.Node is JsonObject ? (byte)'}' : (byte)']';
                if (_pos >= _data.Length)
                {
                    throw Fail($"the input ends inside {(close == (byte)'}' ? "an object" : "an array")}; expected ',' or '{(char)close}'", _pos);
                }

                byte next = _data[_pos];
                if (next == close)
                {
                    _pos++;
                    stack.RemoveAt(stack.Count - 1);
                    continue;
                }

                if (next != (byte)',')
                {
                    throw Fail($"expected ',' or '{(char)close}' but found {Describe(_pos)}", _pos);
                }

                _pos++;
                SkipTrivia();
                if (_pos < _data.Length && _data[_pos] == close)
                {
                    // Trailing comma.
                    _pos++;
                    stack.RemoveAt(stack.Count - 1);
                    continue;
                }

                if (top.Node is JsonObject)
                {
                    ReadMemberName(stack);
                }

                break;
            }
        }
    }

    private static void Attach(List<Frame> stack, ref JsonNode? root, JsonNode? node)
    {
        if (stack.Count == 0)
        {
            root = node;
            return;
        }

        Frame top = stack[^1];
        if (top.Node is JsonArray array)
        {
            array.Add(node);
        }
        else
        {
            // Duplicate keys: the last one wins, as the JSON5 specification says.
            ((JsonObject)top.Node)[top.Key!] = node;
        }
    }

    /// <summary>Reads a member name and the colon after it; stores the name in the top frame.</summary>
    private void ReadMemberName(List<Frame> stack)
    {
        SkipTrivia();
        if (_pos >= _data.Length)
        {
            throw Fail("the input ends where a member name was expected", _pos);
        }

        byte c = _data[_pos];
        string key = c is (byte)'"' or (byte)'\'' ? ReadString() : ReadIdentifier();
        SkipTrivia();
        if (_pos >= _data.Length || _data[_pos] != (byte)':')
        {
            throw Fail($"expected ':' after the member name '{key}' but found {Describe(_pos)}", _pos);
        }

        _pos++;
        CollectionsMarshalSetKey(stack, key);
    }

    private static void CollectionsMarshalSetKey(List<Frame> stack, string key)
    {
        Frame top = stack[^1];
        top.Key = key;
        stack[^1] = top;
    }

    private JsonValue? ReadScalar()
    {
        byte c = _data[_pos];
        switch (c)
        {
            case (byte)'"':
            case (byte)'\'':
                return JsonValue.Create(ReadString());
            case (byte)'t':
                ExpectWord("true"u8);
                return JsonValue.Create(true);
            case (byte)'f':
                ExpectWord("false"u8);
                return JsonValue.Create(false);
            case (byte)'n':
                ExpectWord("null"u8);
                return null;
            case (byte)'I':
            case (byte)'N':
            case (byte)'+':
            case (byte)'-':
            case (byte)'.':
                return ReadNumber();
            default:
                if (c is >= (byte)'0' and <= (byte)'9')
                {
                    return ReadNumber();
                }

                throw Fail($"expected a value but found {Describe(_pos)}", _pos);
        }
    }

    private void ExpectWord(ReadOnlySpan<byte> word)
    {
        if (!_data[_pos..].StartsWith(word) || (_pos + word.Length < _data.Length && IsIdentifierPartAt(_pos + word.Length)))
        {
            throw Fail($"expected a value but found {Describe(_pos)}", _pos);
        }

        _pos += word.Length;
    }

    private JsonValue ReadNumber()
    {
        int start = _pos;
        bool negative = false;
        if (_data[_pos] is (byte)'+' or (byte)'-')
        {
            negative = _data[_pos] == (byte)'-';
            _pos++;
        }

        ReadOnlySpan<byte> rest = _data[_pos..];
        if (rest.StartsWith("Infinity"u8))
        {
            ExpectWord("Infinity"u8);
            return JsonValue.Create(negative ? double.NegativeInfinity : double.PositiveInfinity);
        }

        if (rest.StartsWith("NaN"u8))
        {
            ExpectWord("NaN"u8);
            return JsonValue.Create(double.NaN);
        }

        if (rest.Length >= 2 && rest[0] == (byte)'0' && (rest[1] | 0x20) == (byte)'x')
        {
            return ReadHex(start, negative);
        }

        int intStart = _pos;
        SkipDigits();
        int intEnd = _pos;
        if (intEnd - intStart > 1 && _data[intStart] == (byte)'0')
        {
            throw Fail("a number may not start with a leading zero (write 0x... for hexadecimal)", intStart);
        }

        int fracStart = -1, fracEnd = -1;
        if (_pos < _data.Length && _data[_pos] == (byte)'.')
        {
            _pos++;
            fracStart = _pos;
            SkipDigits();
            fracEnd = _pos;
        }

        if (intEnd == intStart && fracEnd - fracStart <= 0)
        {
            throw Fail($"expected a number but found {Describe(start)}", start);
        }

        int expStart = -1;
        if (_pos < _data.Length && (_data[_pos] | 0x20) == (byte)'e')
        {
            expStart = _pos;
            _pos++;
            if (_pos < _data.Length && _data[_pos] is (byte)'+' or (byte)'-')
            {
                _pos++;
            }

            int digits = _pos;
            SkipDigits();
            if (digits == _pos)
            {
                throw Fail("the exponent of a number has no digits", _pos);
            }
        }

        if (_pos < _data.Length && IsIdentifierPartAt(_pos))
        {
            throw Fail($"unexpected {Describe(_pos)} in a number", _pos);
        }

        ReadOnlySpan<byte> intDigits = _data[intStart..intEnd];
        if (fracStart < 0 && expStart < 0)
        {
            if (ulong.TryParse(intDigits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong magnitude))
            {
                if (!negative && magnitude <= long.MaxValue)
                {
                    return JsonValue.Create((long)magnitude);
                }

                if (negative && magnitude == 0)
                {
                    return JsonValue.Create(-0.0);
                }

                if (negative && magnitude <= 1UL << 63)
                {
                    return JsonValue.Create((long)(0 - magnitude));
                }
            }

            // Beyond long: keep the exact digits as a JSON number.
            return JsonValue.Create(JsonElement.Parse((negative ? "-" : string.Empty) + Encoding.ASCII.GetString(intDigits)))!;
        }

        double value = double.Parse(_data[start.._pos], NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            // Out of double's range: keep the exact text as a JSON number instead of turning it into Infinity.
            var text = new StringBuilder();
            text.Append(negative ? "-" : string.Empty)
                .Append(intEnd > intStart ? Encoding.ASCII.GetString(intDigits) : "0");
            if (fracEnd > fracStart)
            {
                text.Append('.').Append(Encoding.ASCII.GetString(_data[fracStart..fracEnd]));
            }

            if (expStart >= 0)
            {
                text.Append(Encoding.ASCII.GetString(_data[expStart.._pos]));
            }

            return JsonValue.Create(JsonElement.Parse(text.ToString()))!;
        }

        return JsonValue.Create(value);
    }

    private JsonValue ReadHex(int start, bool negative)
    {
        _pos += 2;
        int digitsStart = _pos;
        while (_pos < _data.Length && IsHex(_data[_pos]))
        {
            _pos++;
        }

        if (digitsStart == _pos)
        {
            throw Fail("a hexadecimal number has no digits after 0x", start);
        }

        if (_pos < _data.Length && IsIdentifierPartAt(_pos))
        {
            throw Fail($"unexpected {Describe(_pos)} in a hexadecimal number", _pos);
        }

        ReadOnlySpan<byte> digits = _data[digitsStart.._pos];
        if (ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong magnitude))
        {
            if (!negative && magnitude <= long.MaxValue)
            {
                return JsonValue.Create((long)magnitude);
            }

            if (negative && magnitude <= 1UL << 63)
            {
                return JsonValue.Create((long)(0 - magnitude));
            }
        }

        BigInteger big = BigInteger.Parse("0" + Encoding.ASCII.GetString(digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (negative)
        {
            big = -big;
        }

        return JsonValue.Create(JsonElement.Parse(big.ToString(CultureInfo.InvariantCulture)))!;
    }

    private void SkipDigits()
    {
        while (_pos < _data.Length && (uint)(_data[_pos] - '0') <= 9)
        {
            _pos++;
        }
    }

    private static bool IsHex(byte b) => (uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 5;

    private string ReadString()
    {
        byte quote = _data[_pos];
        int start = _pos;
        _pos++;

        // Fast path: no escapes, one allocation for the result.
        ReadOnlySpan<byte> rest = _data[_pos..];
        SearchValues<byte> stops = quote == (byte)'"' ? DoubleQuoteStops : SingleQuoteStops;
        int stop = rest.IndexOfAny(stops);
        if (stop >= 0 && rest[stop] == quote)
        {
            _pos += stop + 1;
            return Encoding.UTF8.GetString(rest[..stop]);
        }

        _length = 0;
        while (true)
        {
            rest = _data[_pos..];
            stop = rest.IndexOfAny(stops);
            if (stop < 0)
            {
                throw Fail("the input ends inside a string; add the closing quote", start);
            }

            AppendUtf8(rest[..stop]);
            _pos += stop;
            byte c = _data[_pos];
            if (c == quote)
            {
                _pos++;
                return new string(_chars!, 0, _length);
            }

            if (c != (byte)'\\')
            {
                throw Fail("a string may not contain a line break; end the line with a backslash to continue it, or write \\n", _pos);
            }

            ReadEscape();
        }
    }

    private void ReadEscape()
    {
        int at = _pos;
        _pos++;
        if (_pos >= _data.Length)
        {
            throw Fail("the input ends inside an escape sequence", at);
        }

        byte c = _data[_pos];
        _pos++;
        switch (c)
        {
            case (byte)'b': Append('\b'); return;
            case (byte)'f': Append('\f'); return;
            case (byte)'n': Append('\n'); return;
            case (byte)'r':
                Append('\r');
                return;
            case (byte)'t': Append('\t'); return;
            case (byte)'v': Append('\v'); return;
            case (byte)'\n':
                return; // line continuation
            case (byte)'\r':
                if (_pos < _data.Length && _data[_pos] == (byte)'\n')
                {
                    _pos++;
                }

                return; // line continuation
            case (byte)'0':
                if (_pos < _data.Length && (uint)(_data[_pos] - '0') <= 9)
                {
                    throw Fail("\\0 may not be followed by a digit (octal escapes are not allowed)", at);
                }

                Append('\0');
                return;
            case (byte)'x':
                Append((char)ReadHexDigits(2, at));
                return;
            case (byte)'u':
                Append((char)ReadHexDigits(4, at));
                return;
            default:
                if ((uint)(c - '1') <= 8)
                {
                    throw Fail($"\\{(char)c} is not a valid escape (octal escapes are not allowed)", at);
                }

                if (c < 0x80)
                {
                    // Any other character escapes to itself: \' \" \\ \/ ...
                    Append((char)c);
                    return;
                }

                // A non-ASCII character: U+2028 and U+2029 are line continuations, others escape to themselves.
                _pos--;
                Rune.DecodeFromUtf8(_data[_pos..], out Rune rune, out int consumed);
                _pos += consumed;
                if (rune.Value is not (0x2028 or 0x2029))
                {
                    Span<char> pair = stackalloc char[2];
                    int n = rune.EncodeToUtf16(pair);
                    for (int i = 0; i < n; i++)
                    {
                        Append(pair[i]);
                    }
                }

                return;
        }
    }

    private int ReadHexDigits(int count, int escapeStart)
    {
        if (_pos + count > _data.Length)
        {
            throw Fail($"an escape needs {count} hexadecimal digits", escapeStart);
        }

        int value = 0;
        for (int i = 0; i < count; i++)
        {
            byte b = _data[_pos + i];
            if (!IsHex(b))
            {
                throw Fail($"an escape needs {count} hexadecimal digits but found {Describe(_pos + i)}", escapeStart);
            }

            value = (value << 4) | (b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10);
        }

        _pos += count;
        return value;
    }

    private string ReadIdentifier()
    {
        int start = _pos;
        bool escaped = false;
        bool first = true;
        while (_pos < _data.Length)
        {
            byte c = _data[_pos];
            if (c == (byte)'\\')
            {
                escaped = true;
                if (_pos + 1 >= _data.Length || _data[_pos + 1] != (byte)'u')
                {
                    throw Fail("only \\u escapes are allowed in an unquoted member name", _pos);
                }

                int at = _pos;
                _pos += 2;
                char ch = (char)ReadHexDigits(4, at);
                if (!(first ? IsIdentifierStart(ch) : IsIdentifierPart(ch)))
                {
                    throw Fail($"the escape \\u{(int)ch:X4} is not a character allowed in an unquoted member name", at);
                }
            }
            else if (c < 0x80)
            {
                if (!(first ? IsAsciiIdentifierStart(c) : IsAsciiIdentifierPart(c)))
                {
                    break;
                }

                _pos++;
            }
            else
            {
                Rune.DecodeFromUtf8(_data[_pos..], out Rune rune, out int consumed);
                if (!(first ? IsIdentifierStart(rune) : IsIdentifierPart(rune)))
                {
                    break;
                }

                _pos += consumed;
            }

            first = false;
        }

        if (first)
        {
            throw Fail($"expected a member name (quoted, or an identifier) but found {Describe(_pos)}", _pos);
        }

        if (!escaped)
        {
            return Encoding.UTF8.GetString(_data[start.._pos]);
        }

        // Decode the escapes (already validated).
        _length = 0;
        int i = start;
        while (i < _pos)
        {
            if (_data[i] == (byte)'\\')
            {
                int value = 0;
                for (int k = 0; k < 4; k++)
                {
                    byte b = _data[i + 2 + k];
                    value = (value << 4) | (b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10);
                }

                Append((char)value);
                i += 6;
            }
            else
            {
                int j = _data[i.._pos].IndexOf((byte)'\\');
                int end = j < 0 ? _pos : i + j;
                AppendUtf8(_data[i..end]);
                i = end;
            }
        }

        return new string(_chars!, 0, _length);
    }

    private static bool IsAsciiIdentifierStart(byte c) => (uint)((c | 0x20) - 'a') <= 25 || c is (byte)'$' or (byte)'_';

    private static bool IsAsciiIdentifierPart(byte c) => IsAsciiIdentifierStart(c) || (uint)(c - '0') <= 9;

    internal static bool IsIdentifierStart(Rune rune) => rune.IsAscii
        ? IsAsciiIdentifierStart((byte)rune.Value)
        : Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.LetterNumber;

    internal static bool IsIdentifierPart(Rune rune) => IsIdentifierStart(rune) || (rune.IsAscii
        ? IsAsciiIdentifierPart((byte)rune.Value)
        : rune.Value is 0x200C or 0x200D || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation);

    private static bool IsIdentifierStart(char c) => !char.IsSurrogate(c) && IsIdentifierStart(new Rune(c));

    private static bool IsIdentifierPart(char c) => !char.IsSurrogate(c) && IsIdentifierPart(new Rune(c));

    private readonly bool IsIdentifierPartAt(int offset)
    {
        byte c = _data[offset];
        if (c < 0x80)
        {
            return IsAsciiIdentifierPart(c) || c == (byte)'\\';
        }

        Rune.DecodeFromUtf8(_data[offset..], out Rune rune, out _);
        return IsIdentifierPart(rune);
    }

    /// <summary>Skips white space (JSON5's set, including U+00A0, U+FEFF, U+2028, U+2029 and every Zs) and comments.</summary>
    private void SkipTrivia()
    {
        while (_pos < _data.Length)
        {
            byte c = _data[_pos];
            switch (c)
            {
                case (byte)' ':
                case (byte)'\t':
                case (byte)'\n':
                case (byte)'\r':
                case 0x0B:
                case 0x0C:
                    _pos++;
                    continue;
                case (byte)'/':
                    if (_pos + 1 < _data.Length && _data[_pos + 1] == (byte)'/')
                    {
                        SkipLineComment();
                        continue;
                    }

                    if (_pos + 1 < _data.Length && _data[_pos + 1] == (byte)'*')
                    {
                        int end = _data[(_pos + 2)..].IndexOf("*/"u8);
                        if (end < 0)
                        {
                            throw Fail("a /* comment is never closed; add */", _pos);
                        }

                        _pos += end + 4;
                        continue;
                    }

                    return;
                default:
                    if (c >= 0x80)
                    {
                        Rune.DecodeFromUtf8(_data[_pos..], out Rune rune, out int consumed);
                        if (IsWhiteSpace(rune))
                        {
                            _pos += consumed;
                            continue;
                        }
                    }

                    return;
            }
        }
    }

    private void SkipLineComment()
    {
        _pos += 2;
        while (_pos < _data.Length)
        {
            byte c = _data[_pos];
            if (c is (byte)'\n' or (byte)'\r')
            {
                return;
            }

            // U+2028 and U+2029 end a line too (E2 80 A8 / E2 80 A9).
            if (c == 0xE2 && _pos + 2 < _data.Length && _data[_pos + 1] == 0x80 && _data[_pos + 2] is 0xA8 or 0xA9)
            {
                return;
            }

            _pos++;
        }
    }

    private static bool IsWhiteSpace(Rune rune) =>
        rune.Value is 0xA0 or 0xFEFF or 0x2028 or 0x2029 || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(char c)
    {
        if (_chars is null || _length == _chars.Length)
        {
            Grow(1);
        }

        _chars![_length++] = c;
    }

    private void AppendUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (_chars is null || _chars.Length - _length < bytes.Length)
        {
            Grow(bytes.Length);
        }

        _length += Encoding.UTF8.GetChars(bytes, _chars.AsSpan(_length));
    }

    private void Grow(int needed)
    {
        int size = Math.Max(Math.Max(256, (_chars?.Length ?? 0) * 2), _length + needed);
        char[] bigger = ArrayPool<char>.Shared.Rent(size);
        if (_chars is not null)
        {
            _chars.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_chars);
        }

        _chars = bigger;
    }

    private readonly string Describe(int offset)
    {
        if (offset >= _data.Length)
        {
            return "the end of the input";
        }

        Rune.DecodeFromUtf8(_data[offset..], out Rune rune, out _);
        return Rune.IsControl(rune) || Rune.IsWhiteSpace(rune)
            ? $"U+{rune.Value:X4}"
            : $"'{rune}'";
    }

    private readonly SerializationException Fail(string problem, int offset) => FormatGuards.At(Format, problem, _data, offset);

    private struct Frame(JsonNode node)
    {
        public JsonNode Node = node;
        public string? Key;
    }
}
