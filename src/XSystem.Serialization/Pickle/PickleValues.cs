namespace XSystem.Serialization.Internal;

/// <summary>A Python list (also the target of APPEND/APPENDS) while the pickle machine runs.</summary>
internal sealed class PyList(List<object?> items)
{
    public List<object?> Items { get; } = items;
}

/// <summary>A Python set or frozenset while the pickle machine runs; becomes an array in the tree.</summary>
internal sealed class PySet(List<object?> items, bool frozen)
{
    public List<object?> Items { get; } = items;

    public bool Frozen { get; } = frozen;
}

/// <summary>A Python dict or OrderedDict while the pickle machine runs; keys are already in their tree (string) form.</summary>
internal sealed class PyDict
{
    public List<PyDictEntry> Entries { get; } = [];

    /// <summary>Key texts that came from non-string keys (int, float, bool, None, tuple); null while there are none.</summary>
    public HashSet<string>? NonStringKeys { get; set; }
}

/// <summary>One dict entry: the key's tree text, the value, and whether the Python key was not a str.</summary>
internal readonly record struct PyDictEntry(string Key, object? Value, bool NonString);

/// <summary>A fixed-offset <c>datetime.timezone</c>; only valid as the tzinfo argument of a datetime or time.</summary>
internal sealed class PyTimezone(TimeSpan offset)
{
    public TimeSpan Offset { get; } = offset;
}

/// <summary>The allow-listed callables a pickle may name.</summary>
internal enum PyGlobalKind
{
    Set,
    FrozenSet,
    Bytes,
    ByteArray,
    CodecsEncode,
    OrderedDict,
    DateTime,
    Date,
    Time,
    TimeDelta,
    TimeZone,
    Decimal,
}

/// <summary>A resolved allow-listed global.</summary>
internal sealed class PyGlobal(PyGlobalKind kind, string name)
{
    public PyGlobalKind Kind { get; } = kind;

    /// <summary>The name as <c>module.name</c>, for messages.</summary>
    public string Name { get; } = name;
}
