using System.Numerics;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Turns the value the pickle machine built into the tree, without recursion. Shared references (the memo) are copied,
/// so the item limit bounds the expansion; a container met again on its own path is a cycle and is rejected.
/// </summary>
internal sealed class PickleTreeBuilder(SerializerOptions options, long maxItems)
{
    private const string Format = PickleFormat.FormatName;

    private readonly HashSet<object> _onPath = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<Frame> _frames = new();
    private long _items;

    public JsonNode? Build(object? root)
    {
        if (!IsContainer(root))
        {
            return Scalar(root);
        }

        JsonNode top = Open(root!, depth: 1, parent: null);
        while (_frames.Count > 0)
        {
            Frame frame = _frames.Peek();
            if (!frame.MoveNext(out string? key, out object? child))
            {
                _onPath.Remove(frame.Source);
                _frames.Pop();
                continue;
            }

            JsonNode? node = IsContainer(child) ? Open(child!, _frames.Count + 1, frame.Target) : Scalar(child);
            if (frame.Target is JsonArray array)
            {
                array.Add(node);
            }
            else
            {
                AddMember(frame, key!, node);
            }
        }

        return top;
    }

    private static bool IsContainer(object? value) => value is PyList or PyDict or PySet or object?[];

    /// <summary>Starts a container; <paramref name="parent"/> gives the error path (computed only on error: GetPath is linear).</summary>
    private JsonNode Open(object source, int depth, JsonNode? parent)
    {
        if (depth > options.MaxDepth)
        {
            FormatGuards.ThrowTooDeep(options, Format, path: parent?.GetPath() ?? "$");
        }

        if (!_onPath.Add(source))
        {
            throw new SerializationException(
                Format,
                $"the pickle holds a cyclic reference (a {PickleText.PythonTypeName(source)} that contains itself); the tree cannot represent cycles",
                path: parent?.GetPath() ?? "$");
        }

        CountItem();
        JsonNode target = source is PyDict ? new JsonObject() : new JsonArray();
        _frames.Push(new Frame(source, target));
        return target;
    }

    private static void AddMember(Frame frame, string key, JsonNode? node)
    {
        var target = (JsonObject)frame.Target;
        if (target.TryAdd(key, node))
        {
            return;
        }

        // Python dicts have unique keys; two entries with the same text are either one key set twice (the last value wins,
        // as in Python) or a str key and a non-str key whose texts collide, such as '1' and 1 (rejected: one would be lost).
        var dict = (PyDict)frame.Source;
        if (dict.NonStringKeys is not null && dict.NonStringKeys.Contains(key) && frame.HasStringKey(key))
        {
            throw new SerializationException(
                Format,
                $"the dict has a str key and a non-str key that both become '{key}' in the tree; one of them would be lost",
                path: target.GetPath());
        }

        target[key] = node;
    }

    private JsonValue? Scalar(object? value)
    {
        CountItem();
        return value switch
        {
            null => null,
            string s => JsonValue.Create(s),
            long l => JsonValue.Create(l),
            bool b => JsonValue.Create(b),
            double d => JsonValue.Create(d),
            byte[] bytes => JsonValue.Create(bytes),
            BigInteger big => JsonValue.Create(big),
            DateTime dt => JsonValue.Create(dt),
            DateTimeOffset dto => JsonValue.Create(dto),
            DateOnly date => JsonValue.Create(date),
            TimeOnly time => JsonValue.Create(time),
            TimeSpan span => JsonValue.Create(span),
            decimal number => JsonValue.Create(number),
            PyGlobal global => throw new SerializationException(Format, $"the pickle's result holds the callable {global.Name} itself, which is not data"),
            PyTimezone => throw new SerializationException(Format, "the pickle's result holds a datetime.timezone on its own; only datetimes that use one are data"),
            _ => throw new SerializationException(Format, $"the pickle's result holds a {PickleText.PythonTypeName(value)}, which has no tree form"),
        };
    }

    private void CountItem()
    {
        if (++_items > maxItems)
        {
            throw new SerializationLimitException(Format, "PickleOptions.MaxItems", maxItems, "set PickleOptions.MaxItems higher (in SerializerOptions.FormatOptions)");
        }
    }

    private sealed class Frame(object source, JsonNode target)
    {
        private int _index;
        private HashSet<string>? _stringKeys;

        public object Source { get; } = source;

        public JsonNode Target { get; } = target;

        /// <summary>Whether the dict has an entry with this text that was a str in Python (built once, on the first duplicate).</summary>
        public bool HasStringKey(string key)
        {
            if (_stringKeys is null)
            {
                _stringKeys = new HashSet<string>(StringComparer.Ordinal);
                foreach (PyDictEntry entry in ((PyDict)Source).Entries)
                {
                    if (!entry.NonString)
                    {
                        _stringKeys.Add(entry.Key);
                    }
                }
            }

            return _stringKeys.Contains(key);
        }

        public bool MoveNext(out string? key, out object? child)
        {
            key = null;
            switch (Source)
            {
                case PyList list when _index < list.Items.Count:
                    child = list.Items[_index++];
                    return true;
                case PySet set when _index < set.Items.Count:
                    child = set.Items[_index++];
                    return true;
                case object?[] tuple when _index < tuple.Length:
                    child = tuple[_index++];
                    return true;
                case PyDict dict when _index < dict.Entries.Count:
                    PyDictEntry entry = dict.Entries[_index++];
                    key = entry.Key;
                    child = entry.Value;
                    return true;
                default:
                    child = null;
                    return false;
            }
        }
    }
}
