using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace XSystem.Serialization.Internal;

/// <summary>
/// A restricted pickle virtual machine: runs the opcodes of protocols 0 to 5 over plain data and an allow-list of globals,
/// never imports or calls anything, then turns the resulting Python value into the tree. Iterative throughout.
/// </summary>
internal ref struct PickleReader
{
    private const string Format = PickleFormat.FormatName;

    /// <summary>Longest decimal integer accepted in the text opcodes (INT, LONG), as CPython's default int limit.</summary>
    private const int MaxIntegerDigits = 4300;

    /// <summary>Longest binary integer accepted (LONG1, LONG4), in bytes.</summary>
    private const int MaxIntegerBytes = 8 * 1024;

    private readonly ReadOnlySpan<byte> _data;
    private readonly SerializerOptions _options;
    private readonly long _maxItems;
    private readonly List<object?> _stack;
    private readonly List<int> _marks;
    private readonly Dictionary<long, object?> _memo;
    private int _position;
    private int _opcodeAt;
    private byte _opcode;
    private long _items;

    private PickleReader(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        _data = data;
        _options = options;
        _maxItems = options.GetFormatOptions<PickleOptions>().MaxItems;
        _stack = new List<object?>(16);
        _marks = [];
        _memo = [];
    }

    public static System.Text.Json.Nodes.JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        if (data.IsEmpty)
        {
            throw new SerializationException(Format, "the input is empty; a pickle ends with the STOP opcode");
        }

        var reader = new PickleReader(data, options);
        object? value = reader.Run();
        return new PickleTreeBuilder(options, reader._maxItems).Build(value);
    }

    private object? Run()
    {
        while (true)
        {
            if (_position >= _data.Length)
            {
                throw Fail("the pickle ends before its STOP opcode (truncated input)", atEnd: true);
            }

            _opcodeAt = _position;
            _opcode = _data[_position++];
            switch (_opcode)
            {
                case (byte)'.': // STOP
                    return _stack.Count > 0 ? _stack[^1] : throw Fail("STOP with an empty stack");
                case 0x80: // PROTO
                    byte protocol = ReadByte();
                    if (protocol > 5)
                    {
                        throw Fail($"unsupported pickle protocol {protocol} (protocols 0 to 5 are supported)");
                    }

                    break;
                case 0x95: // FRAME: the length is only checked; frames need no buffering when the whole input is in memory.
                    ulong frame = ReadUInt64();
                    if (frame > (ulong)(_data.Length - _position))
                    {
                        throw Fail("a FRAME claims more bytes than the input holds (truncated input)", atEnd: true);
                    }

                    break;
                case (byte)'(': // MARK
                    Count();
                    _marks.Add(_stack.Count);
                    break;
                case (byte)'0': // POP
                    if (_stack.Count > 0 && (_marks.Count == 0 || _marks[^1] < _stack.Count))
                    {
                        _stack.RemoveAt(_stack.Count - 1);
                    }
                    else if (_marks.Count > 0 && _marks[^1] == _stack.Count)
                    {
                        PopMark();
                    }
                    else
                    {
                        throw Fail("POP on an empty stack");
                    }

                    break;
                case (byte)'1': // POP_MARK
                    PopMark();
                    break;
                case (byte)'2': // DUP
                    Push(Peek());
                    break;
                case (byte)'N':
                    Push(null);
                    break;
                case 0x88: // NEWTRUE
                    Push(True);
                    break;
                case 0x89: // NEWFALSE
                    Push(False);
                    break;
                case (byte)'I': // INT (text): also 00/01 for bools
                    Push(ParseTextInt(ReadLine(), allowBoolean: true));
                    break;
                case (byte)'L': // LONG (text)
                    Push(ParseTextInt(ReadLine(), allowBoolean: false));
                    break;
                case (byte)'J': // BININT
                    Push(BoxInt(BinaryPrimitives.ReadInt32LittleEndian(Read(4))));
                    break;
                case (byte)'K': // BININT1
                    Push(BoxInt(ReadByte()));
                    break;
                case (byte)'M': // BININT2
                    Push(BoxInt(BinaryPrimitives.ReadUInt16LittleEndian(Read(2))));
                    break;
                case 0x8A: // LONG1
                    Push(ParseBinaryInt(Read(ReadByte())));
                    break;
                case 0x8B: // LONG4
                    int longLength = BinaryPrimitives.ReadInt32LittleEndian(Read(4));
                    if (longLength < 0 || longLength > MaxIntegerBytes)
                    {
                        throw Fail($"a LONG4 integer of {longLength} bytes is negative or larger than the {MaxIntegerBytes}-byte limit");
                    }

                    Push(ParseBinaryInt(Read(longLength)));
                    break;
                case (byte)'F': // FLOAT (text)
                    Push(ParseTextFloat(ReadLine()));
                    break;
                case (byte)'G': // BINFLOAT
                    Push(BinaryPrimitives.ReadDoubleBigEndian(Read(8)));
                    break;
                case (byte)'S': // STRING (Python 2 str, quoted and escaped): decoded as Latin-1
                    Push(ParseQuotedString(ReadLine()));
                    break;
                case (byte)'T': // BINSTRING (Python 2 str): Latin-1
                    Push(Encoding.Latin1.GetString(Read(ReadLength32Signed())));
                    break;
                case (byte)'U': // SHORT_BINSTRING (Python 2 str): Latin-1
                    Push(Encoding.Latin1.GetString(Read(ReadByte())));
                    break;
                case (byte)'V': // UNICODE (raw-unicode-escape)
                    Push(PickleText.TryDecodeRawUnicodeEscape(ReadLine(), out string raw) ? raw : throw Fail("a UNICODE string has a malformed \\u escape"));
                    break;
                case (byte)'X': // BINUNICODE
                    Push(DecodeUtf8(Read(ReadLength32())));
                    break;
                case 0x8C: // SHORT_BINUNICODE
                    Push(DecodeUtf8(Read(ReadByte())));
                    break;
                case 0x8D: // BINUNICODE8
                    Push(DecodeUtf8(Read(ReadLength64())));
                    break;
                case (byte)'B': // BINBYTES
                    Push(Read(ReadLength32()).ToArray());
                    break;
                case (byte)'C': // SHORT_BINBYTES
                    Push(Read(ReadByte()).ToArray());
                    break;
                case 0x8E: // BINBYTES8
                    Push(Read(ReadLength64()).ToArray());
                    break;
                case 0x96: // BYTEARRAY8
                    Push(Read(ReadLength64()).ToArray());
                    break;
                case 0x97: // NEXT_BUFFER
                    throw Fail("the pickle uses an out-of-band buffer (protocol 5 NEXT_BUFFER); out-of-band data is not supported: pickle with buffer_callback=None");
                case 0x98: // READONLY_BUFFER: a no-op on in-band bytes
                    if (Peek() is not byte[])
                    {
                        throw Fail("READONLY_BUFFER applies to a buffer, but the top of the stack is not one");
                    }

                    break;
                case (byte)')': // EMPTY_TUPLE
                    Push(Array.Empty<object?>());
                    break;
                case (byte)'t': // TUPLE
                    Push(PopMark().ToArray());
                    break;
                case 0x85: // TUPLE1
                    Push(new[] { Pop() });
                    break;
                case 0x86: // TUPLE2
                    {
                        object? second = Pop();
                        object? first = Pop();
                        Push(new[] { first, second });
                        break;
                    }

                case 0x87: // TUPLE3
                    {
                        object? third = Pop();
                        object? second = Pop();
                        object? first = Pop();
                        Push(new[] { first, second, third });
                        break;
                    }

                case (byte)']': // EMPTY_LIST
                    Push(new PyList([]));
                    break;
                case (byte)'l': // LIST
                    Push(new PyList(PopMark()));
                    break;
                case (byte)'a': // APPEND
                    {
                        object? item = Pop();
                        ListAt(Peek()).Add(item);
                        break;
                    }

                case (byte)'e': // APPENDS
                    {
                        List<object?> items = PopMark();
                        ListAt(Peek()).AddRange(items);
                        break;
                    }

                case (byte)'}': // EMPTY_DICT
                    Push(new PyDict());
                    break;
                case (byte)'d': // DICT
                    {
                        List<object?> items = PopMark();
                        var dict = new PyDict();
                        AddPairs(dict, items);
                        Push(dict);
                        break;
                    }

                case (byte)'s': // SETITEM
                    {
                        object? value = Pop();
                        object? key = Pop();
                        SetItem(DictAt(Peek()), key, value);
                        break;
                    }

                case (byte)'u': // SETITEMS
                    {
                        List<object?> items = PopMark();
                        AddPairs(DictAt(Peek()), items);
                        break;
                    }

                case 0x8F: // EMPTY_SET
                    Push(new PySet([], frozen: false));
                    break;
                case 0x90: // ADDITEMS
                    {
                        List<object?> items = PopMark();
                        if (Peek() is not PySet { Frozen: false } set)
                        {
                            throw Fail($"ADDITEMS applies to a set, but the target is a {PickleText.PythonTypeName(Peek())}");
                        }

                        set.Items.AddRange(items);
                        break;
                    }

                case 0x91: // FROZENSET
                    Push(new PySet(PopMark(), frozen: true));
                    break;
                case (byte)'p': // PUT
                    Memoize(ParseMemoIndex(ReadLine()));
                    break;
                case (byte)'q': // BINPUT
                    Memoize(ReadByte());
                    break;
                case (byte)'r': // LONG_BINPUT
                    Memoize(BinaryPrimitives.ReadUInt32LittleEndian(Read(4)));
                    break;
                case 0x94: // MEMOIZE
                    Memoize(_memo.Count);
                    break;
                case (byte)'g': // GET
                    Push(Recall(ParseMemoIndex(ReadLine())));
                    break;
                case (byte)'h': // BINGET
                    Push(Recall(ReadByte()));
                    break;
                case (byte)'j': // LONG_BINGET
                    Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Read(4))));
                    break;
                case (byte)'c': // GLOBAL
                    {
                        string module = Ascii(ReadLine());
                        string name = Ascii(ReadLine());
                        Push(ResolveGlobal(module, name));
                        break;
                    }

                case 0x93: // STACK_GLOBAL
                    {
                        object? name = Pop();
                        object? module = Pop();
                        if (module is not string moduleText || name is not string nameText)
                        {
                            throw Fail("STACK_GLOBAL needs two strings (module and name) on the stack");
                        }

                        Push(ResolveGlobal(moduleText, nameText));
                        break;
                    }

                case (byte)'i': // INST
                    {
                        string module = Ascii(ReadLine());
                        string name = Ascii(ReadLine());
                        PyGlobal callable = ResolveGlobal(module, name);
                        Push(Call(callable, PopMark().ToArray()));
                        break;
                    }

                case (byte)'o': // OBJ
                    {
                        List<object?> items = PopMark();
                        if (items.Count == 0)
                        {
                            throw Fail("OBJ needs a class after the MARK");
                        }

                        Push(Call(CallableAt(items[0]), items.GetRange(1, items.Count - 1).ToArray()));
                        break;
                    }

                case (byte)'R': // REDUCE
                    {
                        object? args = Pop();
                        PyGlobal callable = CallableAt(Pop());
                        Push(Call(callable, TupleAt(args, "REDUCE")));
                        break;
                    }

                case 0x81: // NEWOBJ
                    {
                        object? args = Pop();
                        PyGlobal callable = CallableAt(Pop());
                        Push(Call(callable, TupleAt(args, "NEWOBJ")));
                        break;
                    }

                case 0x92: // NEWOBJ_EX
                    {
                        object? kwargs = Pop();
                        object? args = Pop();
                        PyGlobal callable = CallableAt(Pop());
                        if (kwargs is not PyDict { Entries.Count: 0 })
                        {
                            throw Fail($"NEWOBJ_EX with keyword arguments is not supported for {callable.Name}");
                        }

                        Push(Call(callable, TupleAt(args, "NEWOBJ_EX")));
                        break;
                    }

                case (byte)'b': // BUILD
                    {
                        object? state = Pop();
                        object? target = Peek();
                        if (state is not (null or PyDict { Entries.Count: 0 }))
                        {
                            throw Fail($"BUILD would set the state of a {PickleText.PythonTypeName(target)}; only plain data is accepted");
                        }

                        break;
                    }

                case (byte)'P': // PERSID
                case (byte)'Q': // BINPERSID
                    throw Fail("the pickle refers to a persistent ID (PERSID/BINPERSID); persistent references to external objects are not supported");
                case 0x82: // EXT1
                case 0x83: // EXT2
                case 0x84: // EXT4
                    {
                        int width = _opcode == 0x82 ? 1 : _opcode == 0x83 ? 2 : 4;
                        ReadOnlySpan<byte> code = Read(width);
                        long value = width == 1 ? code[0] : width == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(code) : BinaryPrimitives.ReadInt32LittleEndian(code);
                        throw new UnsafePickleException("copyreg extension code " + value.ToString(CultureInfo.InvariantCulture), _opcodeAt);
                    }

                default:
                    throw Fail($"unknown opcode 0x{_opcode:x2}");
            }
        }
    }

    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object[] SmallInts = CreateSmallInts();

    private static object[] CreateSmallInts()
    {
        var boxes = new object[257];
        for (int i = 0; i < boxes.Length; i++)
        {
            boxes[i] = (long)(i - 1);
        }

        return boxes;
    }

    private static object BoxInt(long value) => value is >= -1 and <= 255 ? SmallInts[value + 1] : value;

    // ---- stack, marks, memo ----------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(object? value)
    {
        if (++_items > _maxItems)
        {
            ThrowTooManyItems();
        }

        _stack.Add(value);
    }

    private void Count()
    {
        if (++_items > _maxItems)
        {
            ThrowTooManyItems();
        }
    }

    private readonly void ThrowTooManyItems() =>
        throw new SerializationLimitException(Format, "PickleOptions.MaxItems", _maxItems, "set PickleOptions.MaxItems higher (in SerializerOptions.FormatOptions)");

    private object? Pop()
    {
        int floor = _marks.Count > 0 ? _marks[^1] : 0;
        if (_stack.Count <= floor)
        {
            throw Fail(_stack.Count == 0 ? "the opcode needs a value, but the stack is empty" : "the opcode needs a value, but only a MARK is on the stack");
        }

        object? value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private readonly object? Peek()
    {
        int floor = _marks.Count > 0 ? _marks[^1] : 0;
        return _stack.Count > floor ? _stack[^1] : throw Fail("the opcode needs a value, but the stack is empty");
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Fail("the opcode needs a MARK, but there is none");
        }

        int start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        List<object?> items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private void Memoize(long index)
    {
        object? value = Peek();
        if (!_memo.ContainsKey(index))
        {
            Count();
        }

        _memo[index] = value;
    }

    private readonly object? Recall(long index) =>
        _memo.TryGetValue(index, out object? value) ? value : throw Fail($"memo entry {index.ToString(CultureInfo.InvariantCulture)} is read before it was stored");

    // ---- containers ------------------------------------------------------------------------------------------------

    private readonly List<object?> ListAt(object? target) =>
        target is PyList list ? list.Items : throw Fail($"APPEND applies to a list, but the target is a {PickleText.PythonTypeName(target)}");

    private readonly PyDict DictAt(object? target) =>
        target is PyDict dict ? dict : throw Fail($"SETITEM applies to a dict, but the target is a {PickleText.PythonTypeName(target)}");

    private readonly void AddPairs(PyDict dict, List<object?> items)
    {
        if (items.Count % 2 != 0)
        {
            throw Fail("a dict needs key and value pairs, but an odd number of items follows the MARK");
        }

        for (int i = 0; i < items.Count; i += 2)
        {
            SetItem(dict, items[i], items[i + 1]);
        }
    }

    private readonly void SetItem(PyDict dict, object? key, object? value)
    {
        if (key is string text)
        {
            dict.Entries.Add(new PyDictEntry(text, value, NonString: false));
            return;
        }

        if (!PickleText.TryKeyText(key, out string keyText, out string? unsupported))
        {
            throw Fail($"a dict key of type {unsupported} has no text form in the tree (keys may be str, int, float, bool, None or tuples of them)");
        }

        (dict.NonStringKeys ??= new HashSet<string>(StringComparer.Ordinal)).Add(keyText);
        dict.Entries.Add(new PyDictEntry(keyText, value, NonString: true));
    }

    // ---- globals and calls -----------------------------------------------------------------------------------------

    private readonly PyGlobal ResolveGlobal(string module, string name)
    {
        // Python 2 names, as CPython's fix_imports maps them.
        string canonicalModule = module switch
        {
            "__builtin__" => "builtins",
            _ => module,
        };

        PyGlobalKind? kind = (canonicalModule, name) switch
        {
            ("builtins", "set") => PyGlobalKind.Set,
            ("builtins", "frozenset") => PyGlobalKind.FrozenSet,
            ("builtins", "bytes") => PyGlobalKind.Bytes,
            ("builtins", "bytearray") => PyGlobalKind.ByteArray,
            ("_codecs", "encode") => PyGlobalKind.CodecsEncode,
            ("collections", "OrderedDict") => PyGlobalKind.OrderedDict,
            ("datetime", "datetime") => PyGlobalKind.DateTime,
            ("datetime", "date") => PyGlobalKind.Date,
            ("datetime", "time") => PyGlobalKind.Time,
            ("datetime", "timedelta") => PyGlobalKind.TimeDelta,
            ("datetime", "timezone") => PyGlobalKind.TimeZone,
            ("decimal", "Decimal") => PyGlobalKind.Decimal,
            _ => null,
        };

        return kind is { } known
            ? new PyGlobal(known, canonicalModule + "." + name)
            : throw new UnsafePickleException(module + "." + name, _opcodeAt);
    }

    private readonly PyGlobal CallableAt(object? value) =>
        value as PyGlobal ?? throw Fail($"the pickle calls a {PickleText.PythonTypeName(value)}, which is not callable");

    private readonly object?[] TupleAt(object? value, string opcode) =>
        value as object?[] ?? throw Fail($"{opcode} needs a tuple of arguments, but got a {PickleText.PythonTypeName(value)}");

    private readonly object Call(PyGlobal callable, object?[] args)
    {
        switch (callable.Kind)
        {
            case PyGlobalKind.Set:
            case PyGlobalKind.FrozenSet:
                {
                    bool frozen = callable.Kind == PyGlobalKind.FrozenSet;
                    if (args.Length == 0)
                    {
                        return new PySet([], frozen);
                    }

                    if (args.Length == 1)
                    {
                        List<object?>? items = args[0] switch
                        {
                            PyList list => [.. list.Items],
                            object?[] tuple => [.. tuple],
                            PySet set => [.. set.Items],
                            _ => null,
                        };
                        if (items is not null)
                        {
                            return new PySet(items, frozen);
                        }
                    }

                    break;
                }

            case PyGlobalKind.Bytes:
            case PyGlobalKind.ByteArray:
                if (args.Length == 0)
                {
                    return Array.Empty<byte>();
                }

                if (args.Length == 1 && args[0] is byte[] copy)
                {
                    return copy.ToArray();
                }

                if (args.Length == 1 && args[0] is PyList ints)
                {
                    return BytesFromInts(ints.Items, callable.Name);
                }

                if (args.Length == 2 && args[0] is string latin && args[1] is string encoding)
                {
                    return EncodeLatin1(latin, encoding, callable.Name);
                }

                break;
            case PyGlobalKind.CodecsEncode:
                if (args.Length == 2 && args[0] is string text && args[1] is string codec)
                {
                    return EncodeLatin1(text, codec, callable.Name);
                }

                break;
            case PyGlobalKind.OrderedDict:
                if (args.Length == 0)
                {
                    return new PyDict();
                }

                if (args.Length == 1 && args[0] is PyList pairs)
                {
                    var dict = new PyDict();
                    foreach (object? pair in pairs.Items)
                    {
                        object?[] kv = pair switch
                        {
                            object?[] { Length: 2 } t => t,
                            PyList { Items.Count: 2 } l => [l.Items[0], l.Items[1]],
                            _ => throw Fail("collections.OrderedDict needs (key, value) pairs"),
                        };
                        SetItem(dict, kv[0], kv[1]);
                    }

                    return dict;
                }

                break;
            case PyGlobalKind.DateTime:
                return PickleDates.DateTimeFrom(args, out string? dateTimeFromError) ?? throw Fail(dateTimeFromError!);
            case PyGlobalKind.Date:
                return PickleDates.DateFrom(args, out string? dateFromError) ?? throw Fail(dateFromError!);
            case PyGlobalKind.Time:
                return PickleDates.TimeFrom(args, out string? timeFromError) ?? throw Fail(timeFromError!);
            case PyGlobalKind.TimeDelta:
                return PickleDates.TimeDeltaFrom(args, out string? timeDeltaFromError) ?? throw Fail(timeDeltaFromError!);
            case PyGlobalKind.TimeZone:
                return PickleDates.TimeZoneFrom(args, out string? timeZoneFromError) ?? throw Fail(timeZoneFromError!);
            case PyGlobalKind.Decimal:
                if (args.Length == 1 && args[0] is string number)
                {
                    return DecimalFrom(number);
                }

                break;
        }

        throw Fail($"{callable.Name} is called with arguments this reader does not accept ({Describe(args)})");
    }

    private static object DecimalFrom(string text)
    {
        // A .NET decimal when it holds the value exactly (its text comes back the same); otherwise the Python text.
        if (text.Length <= 64
            && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            && value.ToString(CultureInfo.InvariantCulture) == text)
        {
            return value;
        }

        return text;
    }

    private readonly byte[] BytesFromInts(List<object?> items, string name)
    {
        var bytes = new byte[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            bytes[i] = items[i] is long b and >= 0 and <= 255 ? (byte)b : throw Fail($"{name} needs integers from 0 to 255");
        }

        return bytes;
    }

    private readonly byte[] EncodeLatin1(string text, string encoding, string name)
    {
        if (encoding is not ("latin1" or "latin-1" or "latin_1" or "iso-8859-1" or "iso8859-1" or "l1"))
        {
            throw Fail($"{name} is only accepted with the Latin-1 encoding CPython uses for bytes in protocols 0 to 2, not '{encoding}'");
        }

        var bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            bytes[i] = text[i] <= 0xFF ? (byte)text[i] : throw Fail($"{name}: the text holds a character beyond Latin-1");
        }

        return bytes;
    }

    private static string Describe(object?[] args) =>
        args.Length == 0 ? "no arguments" : string.Join(", ", args.Select(PickleText.PythonTypeName));

    // ---- scalars ---------------------------------------------------------------------------------------------------

    private readonly object ParseTextInt(ReadOnlySpan<byte> line, bool allowBoolean)
    {
        if (allowBoolean && line.SequenceEqual("00"u8))
        {
            return False;
        }

        if (allowBoolean && line.SequenceEqual("01"u8))
        {
            return True;
        }

        if (!line.IsEmpty && line[^1] == (byte)'L')
        {
            line = line[..^1];
        }

        if (line.Length > MaxIntegerDigits + 1)
        {
            throw Fail($"a text integer has more than {MaxIntegerDigits} digits");
        }

        if (long.TryParse(line, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long small))
        {
            return BoxInt(small);
        }

        if (line.Length > 0 && line[^1] is >= (byte)'0' and <= (byte)'9'
            && BigInteger.TryParse(Encoding.ASCII.GetString(line), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger big))
        {
            return big;
        }

        throw Fail("a text integer (INT/LONG) is not a decimal number");
    }

    private static object ParseBinaryInt(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return SmallInts[1];
        }

        if (bytes.Length <= 8)
        {
            long value = (sbyte)bytes[^1];
            for (int i = bytes.Length - 2; i >= 0; i--)
            {
                value = (value << 8) | bytes[i];
            }

            return BoxInt(value);
        }

        var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? BoxInt((long)big) : big;
    }

    private readonly double ParseTextFloat(ReadOnlySpan<byte> line)
    {
        string text = Ascii(line).Trim();
        switch (text.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity":
                return double.PositiveInfinity;
            case "-inf" or "-infinity":
                return double.NegativeInfinity;
            case "nan" or "+nan" or "-nan":
                return double.NaN;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw Fail("a text float (FLOAT) is not a number");
    }

    private readonly string ParseQuotedString(ReadOnlySpan<byte> line)
    {
        if (line.Length < 2 || line[0] != line[^1] || (line[0] != (byte)'\'' && line[0] != (byte)'"'))
        {
            throw Fail("a STRING opcode's argument must be quoted");
        }

        return PickleText.TryDecodeEscapedString(line[1..^1], out string text) ? text : throw Fail("a STRING has a malformed escape");
    }

    private readonly string DecodeUtf8(ReadOnlySpan<byte> bytes) =>
        PickleText.TryDecodeUtf8(bytes, out string text) ? text : throw Fail("a string is not valid UTF-8");

    private readonly string Ascii(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (b >= 0x80)
            {
                throw Fail("a module or name is not ASCII");
            }
        }

        return Encoding.ASCII.GetString(line);
    }

    private readonly long ParseMemoIndex(ReadOnlySpan<byte> line) =>
        long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out long index) ? index : throw Fail("a memo index is not a non-negative number");

    // ---- raw reads -------------------------------------------------------------------------------------------------

    private byte ReadByte() =>
        _position < _data.Length ? _data[_position++] : throw Fail("the input ends inside an opcode's argument (truncated input)", atEnd: true);

    private ReadOnlySpan<byte> Read(long count)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            throw Fail($"an opcode claims {count.ToString(CultureInfo.InvariantCulture)} bytes, but only {(_data.Length - _position).ToString(CultureInfo.InvariantCulture)} remain (truncated input or a bad length)", atEnd: true);
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, (int)count);
        _position += (int)count;
        return slice;
    }

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Read(8));

    private int ReadLength32() => (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(Read(4)), int.MaxValue);

    private int ReadLength32Signed()
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(Read(4));
        return length >= 0 ? length : throw Fail("BINSTRING has a negative length");
    }

    private long ReadLength64() => (long)Math.Min(ReadUInt64(), long.MaxValue);

    private ReadOnlySpan<byte> ReadLine()
    {
        int end = _data[_position..].IndexOf((byte)'\n');
        if (end < 0)
        {
            throw Fail("the input ends inside a text argument (no newline; truncated input)", atEnd: true);
        }

        ReadOnlySpan<byte> line = _data.Slice(_position, end);
        _position += end + 1;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        return line;
    }

    // ---- errors ----------------------------------------------------------------------------------------------------

    /// <summary>An error at the current opcode.</summary>
    public readonly SerializationException Fail(string problem, bool atEnd = false)
    {
        string where = atEnd && _position >= _data.Length
            ? $" (opcode 0x{_opcode:x2} at byte offset {_opcodeAt.ToString(CultureInfo.InvariantCulture)}, input length {_data.Length.ToString(CultureInfo.InvariantCulture)})"
            : $" (opcode 0x{_opcode:x2} at byte offset {_opcodeAt.ToString(CultureInfo.InvariantCulture)})";
        return new SerializationException(Format, problem + where);
    }
}
