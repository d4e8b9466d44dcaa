using System.Text;
using System.Text.Json.Nodes;
using System.Xml;

namespace XSystem.Serialization.Internal;

/// <summary>Reads XML into the tree by the documented convention, iteratively (an explicit stack of open elements).</summary>
internal static class XmlTreeReader
{
    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    public const string MarkerNamespace = "urn:xsystem:serialization:xml";
    public const string MarkerPrefix = "xsys";
    public const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private const string Format = XmlFormat.FormatName;

    public static JsonNode? Read(XmlReader reader, SerializerOptions options, XmlOptions xml)
    {
        var stack = new List<Frame>();
        string? rootName = null;
        JsonNode? rootValue = null;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    {
                        if (stack.Count >= options.MaxDepth)
                        {
                            var info = (IXmlLineInfo)reader;
                            FormatGuards.ThrowTooDeep(options, Format, info.LineNumber, info.LinePosition);
                        }

                        var frame = new Frame(XmlConvert.DecodeName(reader.Name));
                        if (reader.HasAttributes)
                        {
                            ReadAttributes(reader, frame, xml);
                        }

                        if (reader.IsEmptyElement)
                        {
                            Complete(frame, stack, xml, ref rootName, ref rootValue);
                        }
                        else
                        {
                            stack.Add(frame);
                        }

                        break;
                    }

                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    if (stack.Count > 0)
                    {
                        stack[^1].AddText(reader.Value, reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA);
                    }

                    break;
                case XmlNodeType.EndElement:
                    {
                        Frame frame = stack[^1];
                        stack.RemoveAt(stack.Count - 1);
                        Complete(frame, stack, xml, ref rootName, ref rootValue);
                        break;
                    }

                default:
                    // Comments, processing instructions and the declaration carry no data in the mapping.
                    break;
            }
        }

        if (rootName is null)
        {
            throw new SerializationException(Format, "the document has no root element");
        }

        var result = new JsonObject { [rootName] = rootValue };
        FormatGuards.CheckTreeDepth(result, options, Format);
        return result;
    }

    private static void ReadAttributes(XmlReader reader, Frame frame, XmlOptions xml)
    {
        while (reader.MoveToNextAttribute())
        {
            string ns = reader.NamespaceURI;
            string value = reader.Value;
            if (ns == XmlnsNamespace && value is XsiNamespace or MarkerNamespace)
            {
                continue; // the writer's own declarations
            }

            if (ns == XsiNamespace && reader.LocalName == "nil")
            {
                frame.Nil = value is "true" or "1";
                continue;
            }

            if (ns == MarkerNamespace && reader.LocalName == "array")
            {
                frame.ArrayMarker = value;
                continue;
            }

            frame.Object ??= [];
            frame.Object[xml.AttributePrefix + XmlConvert.DecodeName(reader.Name)] = value;
            frame.AttributeCount++;
        }

        reader.MoveToElement();
    }

    private static void Complete(Frame frame, List<Frame> stack, XmlOptions xml, ref string? rootName, ref JsonNode? rootValue)
    {
        JsonNode? value = frame.Build(xml);
        if (stack.Count == 0)
        {
            rootName = frame.Name;
            rootValue = value;
            return;
        }

        Frame parent = stack[^1];
        parent.HasChildren = true;
        parent.Object ??= [];
        JsonObject target = parent.Object;
        string? marker = frame.ArrayMarker ?? (xml.AlwaysArray.Contains(frame.Name) ? "true" : null);
        if (marker == "empty")
        {
            if (!target.ContainsKey(frame.Name))
            {
                target[frame.Name] = new JsonArray();
            }

            return;
        }

        if (target.TryGetPropertyValue(frame.Name, out JsonNode? existing))
        {
            if (existing is JsonArray array)
            {
                array.Add(value);
                return;
            }

            // The second element of this name: the member becomes an array, in the first one's place.
            int index = target.IndexOf(frame.Name);
            var items = new JsonArray();
            target.SetAt(index, items);
            items.Add(existing);
            items.Add(value);
            return;
        }

        target[frame.Name] = marker is null ? value : new JsonArray(value);
    }

    private sealed class Frame(string name)
    {
        private StringBuilder? _text;
        private bool _hasNonWhiteSpace;

        public string Name { get; } = name;

        public JsonObject? Object { get; set; }

        public int AttributeCount { get; set; }

        public bool HasChildren { get; set; }

        public bool Nil { get; set; }

        public string? ArrayMarker { get; set; }

        public void AddText(string text, bool significant)
        {
            _text ??= new StringBuilder();
            _text.Append(text);
            if (significant && !string.IsNullOrWhiteSpace(text))
            {
                _hasNonWhiteSpace = true;
            }
        }

        public JsonNode? Build(XmlOptions xml)
        {
            if (Object is null)
            {
                return Nil ? null : JsonValue.Create(_text?.ToString() ?? string.Empty);
            }

            bool keepText = HasChildren ? _hasNonWhiteSpace : _text is { Length: > 0 };
            if (keepText)
            {
                string text = _text!.ToString();
                if (Object.ContainsKey(xml.TextKey))
                {
                    Object[xml.TextKey] = text;
                }
                else
                {
                    Object.Insert(AttributeCount, xml.TextKey, text);
                }
            }

            return Object;
        }
    }
}
