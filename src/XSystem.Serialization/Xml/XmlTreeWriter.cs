using System.Text;
using System.Text.Json.Nodes;
using System.Xml;

namespace XSystem.Serialization.Internal;

/// <summary>Writes the tree as XML by the documented convention, iteratively, through <see cref="XmlWriter"/>.</summary>
internal sealed class XmlTreeWriter
{
    private const string Format = XmlFormat.FormatName;
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    private readonly XmlWriter _writer;
    private readonly XmlOptions _xml;
    private readonly List<(string Prefix, string Uri, int Depth)> _scopes = [];
    private readonly Stack<Work> _work = new();
    private int _depth;

    private XmlTreeWriter(XmlWriter writer, XmlOptions xml)
    {
        _writer = writer;
        _xml = xml;
    }

    public static void Write(JsonNode? tree, Stream stream, SerializerOptions options)
    {
        XmlOptions xml = options.GetFormatOptions<XmlOptions>();
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            Indent = options.Indent,
            IndentChars = xml.IndentChars,
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Entitize,
            OmitXmlDeclaration = !xml.WriteDeclaration,
            CheckCharacters = true,
            CloseOutput = false,
        };

        using var writer = XmlWriter.Create(stream, settings);
        var self = new XmlTreeWriter(writer, xml);
        self.WriteDocument(tree);
        writer.Flush();
    }

    private void WriteDocument(JsonNode? tree)
    {
        string rootName;
        JsonNode? rootValue;
        JsonNode? rootParent = null;
        if (tree is JsonObject { Count: 1 } single
            && single.GetAt(0) is var (key, value)
            && value is not JsonArray
            && !key.StartsWith(_xml.AttributePrefix, StringComparison.Ordinal)
            && key != _xml.TextKey)
        {
            rootName = key;
            rootValue = value;
            rootParent = single;
        }
        else
        {
            rootName = _xml.RootName;
            rootValue = tree;
        }

        var (needsXsi, needsMarker) = Scan(tree);
        _writer.WriteStartDocument();
        if (rootValue is JsonArray rootArray)
        {
            // A top-level array: its items become <item> elements of the root element.
            StartElement(rootName, null, null, rootParent, rootName);
            DeclareHelpers(needsXsi, needsMarker);
            _work.Push(Work.EndOf());
            PushArrayItems("item", rootArray, rootArray);
        }
        else
        {
            _work.Push(new Work(rootName, rootValue, null, rootParent, rootName, End: false, Root: (needsXsi, needsMarker)));
        }

        Run();
        _writer.WriteEndDocument();
    }

    private void Run()
    {
        while (_work.Count > 0)
        {
            Work item = _work.Pop();
            if (item.End)
            {
                _writer.WriteEndElement();
                _depth--;
                while (_scopes.Count > 0 && _scopes[^1].Depth > _depth)
                {
                    _scopes.RemoveAt(_scopes.Count - 1);
                }

                continue;
            }

            WriteElement(item);
        }
    }

    private void WriteElement(Work item)
    {
        JsonObject? obj = item.Value as JsonObject;
        StartElement(item.Name, obj, item.Marker, item.Parent, item.Key);
        if (item.Root is var (needsXsi, needsMarker) && (needsXsi || needsMarker))
        {
            DeclareHelpers(needsXsi, needsMarker);
        }

        if (item.Marker is not null)
        {
            _writer.WriteAttributeString(XmlTreeReader.MarkerPrefix, "array", XmlTreeReader.MarkerNamespace, item.Marker);
        }

        switch (item.Value)
        {
            case null:
                if (item.Marker != "empty")
                {
                    _writer.WriteAttributeString("xsi", "nil", XmlTreeReader.XsiNamespace, "true");
                }

                break;
            case JsonValue scalar:
                Guarded(() => _writer.WriteString(TreeScalars.ToText(scalar)), scalar.GetPath);
                break;
            case JsonObject:
                WriteAttributesAndText(obj!);
                _work.Push(Work.EndOf());
                for (int i = obj!.Count - 1; i >= 0; i--)
                {
                    var (key, value) = obj.GetAt(i);
                    if (IsAttribute(key) || key == _xml.TextKey)
                    {
                        continue;
                    }

                    if (value is JsonArray array)
                    {
                        PushArrayItems(key, array, obj);
                    }
                    else
                    {
                        _work.Push(new Work(key, value, null, obj, key, End: false, Root: null));
                    }
                }

                return; // the end element is on the work stack
            default:
                throw new SerializationException(Format, "an array cannot be an element's content", path: item.Value.GetPath());
        }

        _writer.WriteEndElement();
        _depth--;
        while (_scopes.Count > 0 && _scopes[^1].Depth > _depth)
        {
            _scopes.RemoveAt(_scopes.Count - 1);
        }
    }

    private void PushArrayItems(string name, JsonArray array, JsonNode parent)
    {
        if (array.Count == 0)
        {
            _work.Push(new Work(name, null, "empty", parent, name, End: false, Root: null));
            return;
        }

        foreach (JsonNode? value in array)
        {
            if (value is JsonArray)
            {
                throw new SerializationException(Format, "XML cannot hold an array directly inside an array; wrap the inner array in an object", path: value.GetPath());
            }
        }

        for (int i = array.Count - 1; i >= 0; i--)
        {
            JsonNode? value = array[i];
            _work.Push(new Work(name, value, array.Count == 1 ? "true" : null, array, name, End: false, Root: null));
        }
    }

    private void StartElement(string name, JsonObject? content, string? marker, JsonNode? parent, string key)
    {
        _ = marker;
        _depth++;
        if (content is not null)
        {
            // Namespace declarations among the attributes apply to this element's own name.
            foreach (var (attributeKey, value) in content)
            {
                if (!IsAttribute(attributeKey) || value is not JsonValue declared)
                {
                    continue;
                }

                string attribute = attributeKey[_xml.AttributePrefix.Length..];
                if (attribute == "xmlns")
                {
                    _scopes.Add((string.Empty, TreeScalars.ToText(declared), _depth));
                }
                else if (attribute.StartsWith("xmlns:", StringComparison.Ordinal))
                {
                    _scopes.Add((attribute[6..], TreeScalars.ToText(declared), _depth));
                }
            }
        }

        if (name.Length == 0)
        {
            throw new SerializationException(Format, "an empty key cannot be an XML element name", path: PathOf(parent, key));
        }

        int colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon < name.Length - 1 && Lookup(name[..colon]) is { } uri)
        {
            _writer.WriteStartElement(name[..colon], XmlConvert.EncodeLocalName(name[(colon + 1)..]), uri);
        }
        else
        {
            _writer.WriteStartElement(null, XmlConvert.EncodeLocalName(name), Lookup(string.Empty) ?? string.Empty);
        }
    }

    private void DeclareHelpers(bool needsXsi, bool needsMarker)
    {
        if (needsXsi)
        {
            _writer.WriteAttributeString("xmlns", "xsi", XmlTreeReader.XmlnsNamespace, XmlTreeReader.XsiNamespace);
        }

        if (needsMarker)
        {
            _writer.WriteAttributeString("xmlns", XmlTreeReader.MarkerPrefix, XmlTreeReader.XmlnsNamespace, XmlTreeReader.MarkerNamespace);
        }
    }

    private void WriteAttributesAndText(JsonObject obj)
    {
        JsonValue? text = null;
        bool hasText = false;
        foreach (var (key, value) in obj)
        {
            if (key == _xml.TextKey)
            {
                if (value is not JsonValue scalar)
                {
                    throw new SerializationException(Format, $"the text member '{key}' must be a string or another scalar", path: PathOf(obj, key));
                }

                text = scalar;
                hasText = true;
                continue;
            }

            if (!IsAttribute(key))
            {
                continue;
            }

            if (value is not JsonValue attributeValue)
            {
                throw new SerializationException(Format, $"the attribute '{key}' must be a string or another scalar (not {(value is null ? "null" : "a container")})", path: PathOf(obj, key));
            }

            string name = key[_xml.AttributePrefix.Length..];
            string textValue = TreeScalars.ToText(attributeValue);
            if (name.Length == 0)
            {
                throw new SerializationException(Format, "an attribute needs a name after the prefix", path: PathOf(obj, key));
            }

            Guarded(() => WriteAttribute(name, textValue), () => PathOf(obj, key));
        }

        if (hasText)
        {
            string content = TreeScalars.ToText(text!);
            Guarded(() => _writer.WriteString(content), () => PathOf(obj, _xml.TextKey));
        }
    }

    private void WriteAttribute(string name, string value)
    {
        if (name == "xmlns")
        {
            _writer.WriteAttributeString(null, "xmlns", XmlTreeReader.XmlnsNamespace, value);
            return;
        }

        int colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon < name.Length - 1)
        {
            string prefix = name[..colon];
            string local = name[(colon + 1)..];
            if (prefix == "xmlns")
            {
                _writer.WriteAttributeString("xmlns", local, XmlTreeReader.XmlnsNamespace, value);
                return;
            }

            string? uri = prefix == "xml" ? XmlNamespace : Lookup(prefix);
            if (uri is not null)
            {
                _writer.WriteAttributeString(prefix, XmlConvert.EncodeLocalName(local), uri, value);
                return;
            }
        }

        _writer.WriteAttributeString(XmlConvert.EncodeLocalName(name), value);
    }

    private string? Lookup(string prefix)
    {
        for (int i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].Prefix == prefix)
            {
                return _scopes[i].Uri;
            }
        }

        return null;
    }

    private bool IsAttribute(string key) => key.StartsWith(_xml.AttributePrefix, StringComparison.Ordinal);

    private static string PathOf(JsonNode? parent, string key) => parent switch
    {
        null => "$",
        JsonArray array => array.GetPath(),
        _ => Json5Writer.IsIdentifierName(key) ? $"{parent.GetPath()}.{key}" : $"{parent.GetPath()}['{key}']",
    };

    private static void Guarded(Action write, Func<string> path)
    {
        try
        {
            write();
        }
        catch (ArgumentException ex)
        {
            throw new SerializationException(Format, "the value holds a character XML 1.0 cannot represent (a control character or a lone surrogate)", path: path(), innerException: ex);
        }
    }

    /// <summary>Whether the tree holds a null (needs xsi:nil) or an array of fewer than two items (needs the array marker).</summary>
    private static (bool NeedsXsi, bool NeedsMarker) Scan(JsonNode? tree)
    {
        bool xsi = false, marker = false;
        var stack = new Stack<JsonNode?>();
        stack.Push(tree);
        while (stack.Count > 0 && !(xsi && marker))
        {
            switch (stack.Pop())
            {
                case null:
                    xsi = true;
                    break;
                case JsonObject obj:
                    foreach (var (_, value) in obj)
                    {
                        stack.Push(value);
                    }

                    break;
                case JsonArray array:
                    marker |= array.Count < 2;
                    foreach (JsonNode? value in array)
                    {
                        stack.Push(value);
                    }

                    break;
            }
        }

        return (xsi, marker);
    }

    private readonly record struct Work(string Name, JsonNode? Value, string? Marker, JsonNode? Parent, string Key, bool End, (bool, bool)? Root)
    {
        public static Work EndOf() => new(string.Empty, null, null, null, string.Empty, End: true, Root: null);
    }
}
