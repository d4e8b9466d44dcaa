using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Builds the tree from a sequence of form names and values (shared by form URL encoding and multipart): repeated names
/// become arrays at the first name's position, and with bracket nesting <c>a[b][]</c> names become nested objects and arrays.
/// </summary>
internal sealed class FormTreeBuilder
{
    private readonly string _format;
    private readonly bool _brackets;
    private readonly SerializerOptions _options;
    private readonly long _maxEntries;
    private readonly string _limitName;
    private readonly string _howToRaise;
    private readonly HashSet<JsonObject> _branches = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _segments = [];
    private long _count;

    public FormTreeBuilder(string format, bool brackets, SerializerOptions options, long maxEntries, string limitName, string howToRaise)
    {
        _format = format;
        _brackets = brackets;
        _options = options;
        _maxEntries = maxEntries;
        _limitName = limitName;
        _howToRaise = howToRaise;
        _branches.Add(Root);
    }

    public JsonObject Root { get; } = new();

    /// <summary>Adds one value (a string <see cref="JsonValue"/> or a file object) under its form name.</summary>
    public void Add(string name, JsonNode leaf)
    {
        if (++_count > _maxEntries)
        {
            throw new SerializationLimitException(_format, _limitName, _maxEntries, _howToRaise);
        }

        if (!_brackets || !TrySplit(name))
        {
            AddLeaf(Root, 1, name, leaf, forceArray: false, name);
            return;
        }

        bool append = _segments[^1].Length == 0;
        int branchCount = append ? _segments.Count - 2 : _segments.Count - 1;
        JsonObject current = Root;
        int depth = 1;
        for (int i = 0; i < branchCount; i++)
        {
            string key = _segments[i];
            if (!current.TryGetPropertyValue(key, out JsonNode? existing))
            {
                var branch = new JsonObject();
                _branches.Add(branch);
                current[key] = branch;
                current = branch;
            }
            else if (existing is JsonObject branch && _branches.Contains(branch))
            {
                current = branch;
            }
            else
            {
                throw Conflict(name, current, key);
            }

            depth++;
        }

        AddLeaf(current, depth, _segments[branchCount], leaf, append, name);
    }

    private void AddLeaf(JsonObject parent, int parentDepth, string key, JsonNode leaf, bool forceArray, string name)
    {
        int leafDepth = leaf is JsonObject ? 1 : 0;
        if (!parent.TryGetPropertyValue(key, out JsonNode? existing))
        {
            CheckDepth(parentDepth + leafDepth + (forceArray ? 1 : 0), name);
            parent[key] = forceArray ? new JsonArray(leaf) : leaf;
            return;
        }

        switch (existing)
        {
            case JsonArray array:
                array.Add(leaf);
                break;
            case JsonObject branch when _branches.Contains(branch):
                throw Conflict(name, parent, key);
            default:
                CheckDepth(parentDepth + 1 + Math.Max(leafDepth, existing is JsonObject ? 1 : 0), name);
                var items = new JsonArray();
                parent[key] = items;
                items.Add(existing);
                items.Add(leaf);
                break;
        }
    }

    private void CheckDepth(int depth, string name)
    {
        if (depth > _options.MaxDepth)
        {
            throw new SerializationLimitException(
                _format, "MaxDepth", _options.MaxDepth, $"set SerializerOptions.MaxDepth higher (the name '{Shorten(name)}' nests {depth} levels)");
        }
    }

    private SerializationException Conflict(string name, JsonObject parent, string key) =>
        new(_format, $"the name '{Shorten(name)}' needs '{Shorten(key)}' to be an object, but another name gave it a different shape (for example 'a=1' and 'a[b]=2'); rename one of them or turn FormOptions.BracketNesting off", path: PathOf(parent, key));

    /// <summary>Splits <c>base[s1][s2]...</c> into segments; false (take the name literally) when the name does not have that shape.</summary>
    private bool TrySplit(string name)
    {
        _segments.Clear();
        int open = name.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0 || name[^1] != ']' || name.AsSpan(0, open).IndexOf(']') >= 0)
        {
            return false;
        }

        _segments.Add(name[..open]);
        int pos = open;
        while (pos < name.Length)
        {
            if (name[pos] != '[')
            {
                return false;
            }

            int close = name.IndexOfAny(['[', ']'], pos + 1);
            if (close < 0 || name[close] != ']')
            {
                return false;
            }

            if (_segments.Count >= _options.MaxDepth + 1)
            {
                throw new SerializationLimitException(_format, "MaxDepth", _options.MaxDepth, "set SerializerOptions.MaxDepth higher");
            }

            _segments.Add(name[(pos + 1)..close]);
            pos = close + 1;
        }

        for (int i = 1; i < _segments.Count - 1; i++)
        {
            if (_segments[i].Length == 0)
            {
                throw new SerializationException(_format, $"the name '{Shorten(name)}' has '[]' before its end; '[]' (append to a list) may only end a name");
            }
        }

        return true;
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    internal static string PathOf(JsonObject parent, string key)
    {
        string parentPath = parent.GetPath();
        bool plain = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        return plain ? parentPath + "." + key : parentPath + "['" + key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }
}

/// <summary>Turns a tree into the flat sequence of form names and values, the inverse of <see cref="FormTreeBuilder"/>.</summary>
internal static class FormTreeFlattener
{
    /// <summary>
    /// Calls <paramref name="emit"/> for every value in document order. Nested objects always become bracket names
    /// (<c>a[b]</c>); arrays become repeated names, <c>name[]</c> when <paramref name="brackets"/> is on (so a one-item array
    /// reads back as an array). <paramref name="isLeafObject"/> tells objects that are values themselves (multipart files)
    /// from nested objects. Iterative, so the depth of the tree does not matter.
    /// </summary>
    public static void Flatten(JsonNode? tree, string format, bool brackets, Func<JsonObject, bool> isLeafObject, Action<string, JsonNode> emit)
    {
        if (tree is not JsonObject root)
        {
            throw new SerializationException(format, $"the document must be an object of names and values, not {Describe(tree)}", path: "$");
        }

        var stack = new Stack<(string? Prefix, JsonObject Node, int Index)>();
        stack.Push((null, root, 0));
        while (stack.Count > 0)
        {
            var (prefix, node, index) = stack.Pop();
            if (index >= node.Count)
            {
                continue;
            }

            stack.Push((prefix, node, index + 1));
            var (key, value) = node.GetAt(index);
            string path = FormTreeBuilder.PathOf(node, key);
            if (brackets && (key.Contains('[', StringComparison.Ordinal) || key.Contains(']', StringComparison.Ordinal)))
            {
                throw new SerializationException(format, $"the name '{FormTreeBuilder.Shorten(key)}' holds a bracket, which bracket nesting would read as nesting; rename it or turn FormOptions.BracketNesting off", path: path);
            }

            if (brackets && prefix is not null && key.Length == 0)
            {
                throw new SerializationException(format, "an empty name inside an object cannot be written with bracket nesting ('a[]' means a list)", path: path);
            }

            string name = prefix is null ? key : prefix + "[" + key + "]";
            switch (value)
            {
                case null:
                    throw new SerializationException(format, "null has no form representation; leave the member out or use an empty string", path: path);
                case JsonValue:
                    emit(name, value);
                    break;
                case JsonObject obj when isLeafObject(obj):
                    emit(name, obj);
                    break;
                case JsonObject obj:
                    if (obj.Count == 0)
                    {
                        throw new SerializationException(format, "an empty object has no form representation (it would vanish)", path: path);
                    }

                    if (brackets && key.Length == 0)
                    {
                        throw new SerializationException(format, "an object under an empty name cannot be written with bracket nesting", path: path);
                    }

                    stack.Push((name, obj, 0));
                    break;
                case JsonArray array:
                    if (array.Count == 0)
                    {
                        throw new SerializationException(format, "an empty array has no form representation (it would vanish)", path: path);
                    }

                    string itemName = brackets ? name + "[]" : name;
                    foreach (JsonNode? item in array)
                    {
                        switch (item)
                        {
                            case JsonValue:
                                emit(itemName, item);
                                break;
                            case JsonObject file when isLeafObject(file):
                                emit(itemName, file);
                                break;
                            case null:
                                throw new SerializationException(format, "null has no form representation", path: array.Count > 0 ? path + "[" + array.IndexOf(item).ToString(System.Globalization.CultureInfo.InvariantCulture) + "]" : path);
                            default:
                                throw new SerializationException(format, "an array may hold only scalars here (form names cannot express lists of objects or lists of lists)", path: item.GetPath());
                        }
                    }

                    break;
            }
        }
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => "a scalar",
    };
}
