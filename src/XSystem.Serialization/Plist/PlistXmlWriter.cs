using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;

namespace XSystem.Serialization.Internal;

/// <summary>Writes the tree as an XML property list (Apple's DOCTYPE, <c>&lt;plist version="1.0"&gt;</c>) without recursion.</summary>
internal static class PlistXmlWriter
{
    private const string Format = PlistFormat.FormatName;

    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = options.Indent,
            IndentChars = "\t",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Entitize,
            CheckCharacters = true,
            CloseOutput = false,
        };

        using var buffer = new MemoryStream();
        string path = "$";
        try
        {
            using (var writer = XmlWriter.Create(buffer, settings))
            {
                writer.WriteStartDocument();
                writer.WriteDocType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null);
                writer.WriteStartElement("plist");
                writer.WriteAttributeString("version", "1.0");
                WriteTree(tree, writer, ref path);
                writer.WriteEndElement();
                writer.WriteEndDocument();
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or EncoderFallbackException)
        {
            throw new SerializationException(Format, $"the value cannot be written as XML: {ex.Message}", path: path, innerException: ex);
        }

        output.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static void WriteTree(JsonNode? tree, XmlWriter writer, ref string path)
    {
        var stack = new Stack<Frame>();
        Open(tree, null, null, 0, writer, stack, ref path);
        while (stack.Count > 0)
        {
            Frame frame = stack.Peek();
            if (!frame.MoveNext(out string? key, out JsonNode? child))
            {
                writer.WriteEndElement();
                stack.Pop();
                continue;
            }

            if (key is not null)
            {
                writer.WriteElementString("key", key);
            }

            Open(child, frame.Container, key, frame.Index - 1, writer, stack, ref path);
        }
    }

    private static void Open(JsonNode? node, JsonNode? parent, string? key, int index, XmlWriter writer, Stack<Frame> stack, ref string path)
    {
        switch (node)
        {
            case null:
                throw PlistValues.NoNull(Format, PlistValues.ChildPath(parent, key, index));
            case JsonObject obj:
                path = obj.GetPath();
                if (PlistValues.IsUid(obj, out long uid))
                {
                    writer.WriteStartElement("dict");
                    writer.WriteElementString("key", PlistValues.XmlUidKey);
                    writer.WriteElementString("integer", uid.ToString(CultureInfo.InvariantCulture));
                    writer.WriteEndElement();
                    return;
                }

                writer.WriteStartElement("dict");
                stack.Push(new Frame(obj));
                return;
            case JsonArray array:
                path = array.GetPath();
                writer.WriteStartElement("array");
                stack.Push(new Frame(array));
                return;
            default:
                path = node.GetPath();
                WriteScalar(TreeScalar.From((JsonValue)node), writer, path);
                return;
        }
    }

    private static void WriteScalar(TreeScalar scalar, XmlWriter writer, string path)
    {
        switch (scalar.Kind)
        {
            case ScalarKind.Null:
                throw PlistValues.NoNull(Format, path);
            case ScalarKind.Boolean:
                writer.WriteStartElement(scalar.Boolean ? "true" : "false");
                writer.WriteEndElement();
                break;
            case ScalarKind.Integer:
                writer.WriteElementString("integer", scalar.Integer.ToString(CultureInfo.InvariantCulture));
                break;
            case ScalarKind.BigInteger:
                if (scalar.Big < PlistValues.MinInteger || scalar.Big > PlistValues.MaxInteger)
                {
                    throw PlistValues.TooBig(Format, path);
                }

                writer.WriteElementString("integer", scalar.Big.ToString(CultureInfo.InvariantCulture));
                break;
            case ScalarKind.Real:
                writer.WriteElementString("real", RealText(scalar.Real));
                break;
            case ScalarKind.String:
                writer.WriteElementString("string", scalar.Text);
                break;
            case ScalarKind.Bytes:
                writer.WriteElementString("data", Convert.ToBase64String(scalar.Bytes));
                break;
            case ScalarKind.DateTimeOffset:
                writer.WriteElementString("date", scalar.Date.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture));
                break;
            case ScalarKind.DateOnly:
                writer.WriteElementString("date", ((DateOnly)scalar.Reference!).ToString("yyyy'-'MM'-'dd'T00:00:00Z'", CultureInfo.InvariantCulture));
                break;
            case ScalarKind.TimeOnly:
                writer.WriteElementString("string", ((TimeOnly)scalar.Reference!).ToString("HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>The text of a real as Python's plistlib writes and reads it: shortest round-trip digits, <c>nan</c>, <c>inf</c>, <c>-inf</c>.</summary>
    private static string RealText(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Frame
    {
        private readonly IEnumerator<KeyValuePair<string, JsonNode?>>? _properties;
        private readonly JsonArray? _array;

        public Frame(JsonObject obj)
        {
            Container = obj;
            _properties = obj.GetEnumerator();
        }

        public Frame(JsonArray array)
        {
            Container = array;
            _array = array;
        }

        public JsonNode Container { get; }

        public int Index { get; private set; }

        public bool MoveNext(out string? key, out JsonNode? child)
        {
            key = null;
            child = null;
            if (_properties is not null)
            {
                if (!_properties.MoveNext())
                {
                    return false;
                }

                key = _properties.Current.Key;
                child = _properties.Current.Value;
                Index++;
                return true;
            }

            if (Index >= _array!.Count)
            {
                return false;
            }

            child = _array[Index++];
            return true;
        }
    }
}
