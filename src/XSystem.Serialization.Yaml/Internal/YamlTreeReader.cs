using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace XSystem.Serialization.Yaml.Internal;

/// <summary>
/// Builds <see cref="JsonNode"/> trees straight from YamlDotNet's event stream: no representation model, no
/// object mapping, no recursion (an explicit stack bounded by <see cref="SerializerOptions.MaxDepth"/>).
/// One instance reads one input; not thread-safe.
/// </summary>
internal sealed class YamlTreeReader
{
    private const string StandardTagPrefix = "tag:yaml.org,2002:";

    private readonly Parser _parser;
    private readonly SerializerOptions _options;
    private readonly YamlOptions _yaml;
    private readonly Dictionary<string, Anchor> _anchors = new(StringComparer.Ordinal);
    private readonly Stack<Frame> _stack = new();
    private long _expanded;

    public YamlTreeReader(string text, SerializerOptions options)
    {
        _parser = new Parser(new StringReader(text));
        _options = options;
        _yaml = options.GetFormatOptions<YamlOptions>();
    }

    /// <summary>Reads every document of the stream.</summary>
    public List<JsonNode?> ReadAll()
    {
        var documents = new List<JsonNode?>();
        Expect<StreamStart>();
        while (Next() is DocumentStart)
        {
            documents.Add(ReadDocument());
        }

        return documents;
    }

    /// <summary>Reads a stream that must hold at most one document; null for an empty stream.</summary>
    public JsonNode? ReadSingle()
    {
        Expect<StreamStart>();
        if (Next() is not DocumentStart)
        {
            return null;
        }

        JsonNode? document = ReadDocument();
        if (Next() is DocumentStart second)
        {
            throw new YamlReadException(
                "the stream holds more than one document (separated by ---); call YamlFormat.ParseAll to read them all",
                second.Start);
        }

        return document;
    }

    private ParsingEvent Next()
    {
        bool more;
        try
        {
            more = _parser.MoveNext();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these on some malformed input instead of a YamlException.
            throw new YamlReadException("the input is not valid YAML (" + ex.Message.TrimEnd('.') + ")", _parser.Current?.End ?? Mark.Empty, inner: ex);
        }

        if (!more)
        {
            throw new YamlReadException("the input ended unexpectedly", Mark.Empty);
        }

        return _parser.Current!;
    }

    private void Expect<T>()
        where T : ParsingEvent
    {
        ParsingEvent e = Next();
        if (e is not T)
        {
            throw new YamlReadException($"expected {typeof(T).Name} but found {e.GetType().Name}", e.Start);
        }
    }

    /// <summary>Reads the nodes of one document; the current event is its DocumentStart.</summary>
    private JsonNode? ReadDocument()
    {
        // Anchors are scoped to their document.
        _anchors.Clear();
        _stack.Clear();
        JsonNode? root = null;
        bool haveRoot = false;
        while (true)
        {
            ParsingEvent e = Next();
            switch (e)
            {
                case Scalar scalar:
                    {
                        JsonNode? node = ScalarNode(scalar);
                        if (!scalar.Anchor.IsEmpty)
                        {
                            _anchors[scalar.Anchor.Value] = new Anchor(node, 1, 0, scalar.Value);
                        }

                        Complete(node, 1, 0, scalar.Value, scalar, ref root, ref haveRoot);
                        break;
                    }

                case AnchorAlias alias:
                    {
                        if (!_anchors.TryGetValue(alias.Value.Value, out Anchor anchor))
                        {
                            throw new YamlReadException($"the alias *{alias.Value.Value} refers to no anchor defined before it in this document", alias.Start);
                        }

                        if (_stack.Count + anchor.Height > _options.MaxDepth)
                        {
                            throw new YamlReadException(null, alias.Start, YamlReadException.Limit.MaxDepth);
                        }

                        _expanded += anchor.Size;
                        if (_expanded > _yaml.MaxAliasExpansion)
                        {
                            throw new YamlReadException(null, alias.Start, YamlReadException.Limit.MaxAliasExpansion);
                        }

                        string? keyText = anchor.ScalarText;
                        JsonNode? copy = anchor.Node?.DeepClone();
                        Complete(copy, anchor.Size, anchor.Height, keyText, alias, ref root, ref haveRoot);
                        break;
                    }

                case MappingStart mapping:
                    Push(new Frame(new JsonObject(), mapping, CheckContainerTag(mapping, isMapping: true)));
                    break;

                case SequenceStart sequence:
                    Push(new Frame(new JsonArray(), sequence, CheckContainerTag(sequence, isMapping: false)));
                    break;

                case MappingEnd or SequenceEnd:
                    {
                        Frame frame = _stack.Pop();
                        if (frame.Merges is not null)
                        {
                            ApplyMerges(frame);
                        }

                        if (!frame.Event.Anchor.IsEmpty)
                        {
                            _anchors[frame.Event.Anchor.Value] = new Anchor(frame.Container, frame.Size, frame.Height, null);
                        }

                        Complete(frame.Container, frame.Size, frame.Height, null, frame.Event, ref root, ref haveRoot);
                        break;
                    }

                case DocumentEnd:
                    return root;

                default:
                    // Comments are skipped by the scanner; nothing else can appear inside a document.
                    throw new YamlReadException($"unexpected {e.GetType().Name}", e.Start);
            }
        }
    }

    private void Push(Frame frame)
    {
        if (_stack.Count + 1 > _options.MaxDepth)
        {
            throw new YamlReadException(null, frame.Event.Start, YamlReadException.Limit.MaxDepth);
        }

        _stack.Push(frame);
    }

    /// <summary>Attaches a finished node to its parent (or makes it the document root).</summary>
    private void Complete(JsonNode? node, long size, int height, string? scalarText, ParsingEvent at, ref JsonNode? root, ref bool haveRoot)
    {
        if (_stack.Count == 0)
        {
            root = node;
            haveRoot = true;
            return;
        }

        Frame parent = _stack.Peek();
        parent.Size += size;
        if (height + 1 > parent.Height)
        {
            parent.Height = height + 1;
        }

        if (parent.Container is JsonArray array)
        {
            array.Add(node);
            return;
        }

        var obj = (JsonObject)parent.Container;
        if (!parent.HasKey)
        {
            parent.HasKey = true;
            parent.KeyIsMerge = _yaml.MergeKeys && at is Scalar { Value: "<<", Style: ScalarStyle.Plain } keyScalar
                && (keyScalar.Tag.IsEmpty || keyScalar.Tag.Value == StandardTagPrefix + "merge");
            parent.Key = scalarText ?? KeyText(node, at);
            parent.KeyEvent = at;
            return;
        }

        parent.HasKey = false;
        if (parent.KeyIsMerge)
        {
            AddMerge(parent, node, at);
            return;
        }

        string key = parent.Key!;
        if (!obj.TryAdd(key, node))
        {
            throw new YamlReadException(
                $"the mapping has the key '{key}' twice; YAML keys must be unique",
                parent.KeyEvent!.Start,
                path: obj.GetPath());
        }
    }

    /// <summary>The key a mapping or sequence used as a key becomes: its compact JSON text.</summary>
    private static string KeyText(JsonNode? node, ParsingEvent at)
    {
        try
        {
            return node?.ToJsonString() ?? string.Empty;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            // For example .nan inside a complex key: JSON text cannot hold it.
            throw new YamlReadException("a mapping or sequence used as a key cannot be turned into key text: " + ex.Message, at.Start, inner: ex);
        }
    }

    private static void AddMerge(Frame frame, JsonNode? value, ParsingEvent at)
    {
        frame.Merges ??= [];
        frame.MergeIndex ??= ((JsonObject)frame.Container).Count;
        switch (value)
        {
            case JsonObject source:
                frame.Merges.Add(source);
                break;
            case JsonArray list when list.All(item => item is JsonObject):
                JsonNode?[] items = [.. list];
                list.Clear();
                foreach (JsonNode? item in items)
                {
                    frame.Merges.Add((JsonObject)item!);
                }

                break;
            default:
                throw new YamlReadException("the value of a merge key (<<) must be a mapping or a sequence of mappings", at.Start);
        }
    }

    private static void ApplyMerges(Frame frame)
    {
        var target = (JsonObject)frame.Container;
        int index = frame.MergeIndex ?? target.Count;
        foreach (JsonObject source in frame.Merges!)
        {
            KeyValuePair<string, JsonNode?>[] properties = [.. source];
            source.Clear();
            foreach (var (key, value) in properties)
            {
                // Keys the mapping sets itself, and keys of earlier merged mappings, win.
                if (!target.ContainsKey(key))
                {
                    target.Insert(Math.Min(index, target.Count), key, value);
                    index++;
                }
            }
        }
    }

    private JsonNode? ScalarNode(Scalar scalar)
    {
        TagName tag = scalar.Tag;
        string text = scalar.Value;
        if (tag.IsEmpty)
        {
            return scalar.Style == ScalarStyle.Plain ? YamlScalars.ResolvePlain(text) : JsonValue.Create(text);
        }

        if (tag.IsNonSpecific)
        {
            // '!' forces a string; '?' means "resolve as usual".
            return tag.Value == "?" && scalar.Style == ScalarStyle.Plain ? YamlScalars.ResolvePlain(text) : JsonValue.Create(text);
        }

        string name = tag.Value;
        if (name.StartsWith(StandardTagPrefix, StringComparison.Ordinal))
        {
            ReadOnlySpan<char> suffix = name.AsSpan(StandardTagPrefix.Length);
            switch (suffix)
            {
                case "str":
                    return JsonValue.Create(text);
                case "null":
                    return YamlScalars.Classify(text) == YamlScalars.Kind.Null ? null : throw Mismatch(scalar, "null");
                case "bool":
                    return YamlScalars.Classify(text) == YamlScalars.Kind.Bool ? JsonValue.Create(text[0] is 't' or 'T') : throw Mismatch(scalar, "bool");
                case "int":
                    return YamlScalars.Classify(text) == YamlScalars.Kind.Int ? YamlScalars.ParseInt(text) : throw Mismatch(scalar, "int");
                case "float":
                    return YamlScalars.Classify(text) is YamlScalars.Kind.Float or YamlScalars.Kind.Int
                        ? JsonValue.Create(YamlScalars.ParseFloat(text))
                        : throw Mismatch(scalar, "float");
                case "binary":
                    return Binary(scalar);
                case "timestamp":
                    return YamlTimestamps.TryParse(text, out JsonValue? timestamp) ? timestamp : throw Mismatch(scalar, "timestamp");
                case "map" or "seq" or "set" or "omap" or "pairs":
                    throw new YamlReadException($"the tag !!{suffix} belongs on a collection, not on the scalar '{Short(text)}'", scalar.Start);
                default:
                    break;
            }
        }

        UnknownTag(name, scalar);
        return scalar.Style == ScalarStyle.Plain ? YamlScalars.ResolvePlain(text) : JsonValue.Create(text);
    }

    private static JsonValue Binary(Scalar scalar)
    {
        try
        {
            // FromBase64String skips the spaces and line breaks of a folded or literal block.
            return TypedValues.Create(Convert.FromBase64String(scalar.Value));
        }
        catch (FormatException ex)
        {
            throw new YamlReadException($"the !!binary scalar is not valid base64: {ex.Message}", scalar.Start);
        }
    }

    private static YamlReadException Mismatch(Scalar scalar, string tag) =>
        new($"the scalar '{Short(scalar.Value)}' is tagged !!{tag} but is not a valid {tag}", scalar.Start);

    private static string Short(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private bool CheckContainerTag(NodeEvent e, bool isMapping)
    {
        TagName tag = e.Tag;
        if (tag.IsEmpty || tag.IsNonSpecific)
        {
            return false;
        }

        string name = tag.Value;
        if (name.StartsWith(StandardTagPrefix, StringComparison.Ordinal))
        {
            ReadOnlySpan<char> suffix = name.AsSpan(StandardTagPrefix.Length);
            bool mappingTag = suffix is "map" or "set";
            bool sequenceTag = suffix is "seq" or "omap" or "pairs";
            if ((isMapping && mappingTag) || (!isMapping && sequenceTag))
            {
                return true;
            }

            if (mappingTag || sequenceTag || suffix is "str" or "null" or "bool" or "int" or "float" or "binary" or "timestamp")
            {
                throw new YamlReadException(
                    $"the tag !!{suffix} does not fit a {(isMapping ? "mapping" : "sequence")}",
                    e.Start);
            }
        }

        UnknownTag(name, e);
        return false;
    }

    private void UnknownTag(string name, ParsingEvent e)
    {
        if (_yaml.UnknownTags == YamlUnknownTagHandling.Reject)
        {
            throw new YamlReadException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the tag '{name}' is not a standard YAML tag; tags never select .NET types here. Remove the tag, or set YamlOptions.UnknownTags = YamlUnknownTagHandling.Ignore to read the node without it"),
                e.Start);
        }
    }

    private readonly record struct Anchor(JsonNode? Node, long Size, int Height, string? ScalarText);

    private sealed class Frame(JsonNode container, NodeEvent start, bool standardTag)
    {
        public JsonNode Container { get; } = container;

        public NodeEvent Event { get; } = start;

        public bool StandardTag { get; } = standardTag;

        public long Size { get; set; } = 1;

        public int Height { get; set; } = 1;

        public bool HasKey { get; set; }

        public bool KeyIsMerge { get; set; }

        public string? Key { get; set; }

        public ParsingEvent? KeyEvent { get; set; }

        public List<JsonObject>? Merges { get; set; }

        public int? MergeIndex { get; set; }
    }
}

/// <summary>A problem found while building the tree; converted to <see cref="SerializationException"/> at the boundary.</summary>
internal sealed class YamlReadException : Exception
{
    public YamlReadException(string? problem, Mark at, Limit limit = Limit.None, string? path = null, Exception? inner = null)
        : base(problem ?? limit.ToString(), inner)
    {
        Problem = problem;
        At = at;
        LimitKind = limit;
        JsonPath = path;
    }

    public YamlReadException()
    {
    }

    public YamlReadException(string message)
        : base(message)
    {
    }

    public YamlReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public enum Limit
    {
        None,
        MaxDepth,
        MaxAliasExpansion,
    }

    public string? Problem { get; }

    public Mark At { get; }

    public Limit LimitKind { get; }

    public string? JsonPath { get; }
}
