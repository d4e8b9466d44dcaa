using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Xml;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Reads an XML property list into the tree without recursion. The DOCTYPE every plist carries is accepted but never
/// processed (<see cref="DtdProcessing.Ignore"/>, no resolver), so no entity is ever expanded or fetched.
/// </summary>
internal static class PlistXmlReader
{
    private const string Format = PlistFormat.FormatName;

    private static readonly string[] DateFormats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'",
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'",
        "yyyy'-'MM'-'dd'T'HH':'mm'Z'",
        "yyyy'-'MM'-'dd'T'HH'Z'",
        "yyyy'-'MM'-'dd'Z'",
        "yyyy'-'MM'Z'",
        "yyyy'Z'",
    ];

    public static JsonNode? Read(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersInDocument = options.MaxBytes,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = false,
            CloseInput = true,
        };

        using var stream = new MemoryStream(data.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, settings);
        try
        {
            return ReadDocument(reader, options);
        }
        catch (XmlException ex)
        {
            throw new SerializationException(Format, ex.Message, ex.LineNumber > 0 ? ex.LineNumber : null, ex.LineNumber > 0 ? ex.LinePosition : null, innerException: ex);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw new SerializationException(Format, "the input is not valid in its declared encoding", innerException: ex);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or InvalidOperationException)
        {
            throw Fail(reader, $"malformed property list: {ex.Message}", null, ex);
        }
    }

    private sealed class Frame(JsonNode container, bool isDict)
    {
        public JsonNode Container { get; } = container;

        public bool IsDict { get; } = isDict;

        public string? Key { get; set; }
    }

    private static JsonNode? ReadDocument(XmlReader reader, SerializerOptions options)
    {
        if (reader.MoveToContent() != XmlNodeType.Element)
        {
            throw Fail(reader, "no root element; a property list starts with <plist>", null);
        }

        bool wrapped = reader.LocalName == "plist";
        if (wrapped)
        {
            if (reader.IsEmptyElement)
            {
                throw Fail(reader, "<plist> holds no value", null);
            }

            reader.Read();
        }

        var stack = new List<Frame>();
        JsonNode? root = null;
        bool rootDone = false;
        while (!reader.EOF)
        {
            Frame? top = stack.Count > 0 ? stack[^1] : null;
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    string name = reader.LocalName;
                    if (top is { IsDict: true, Key: null })
                    {
                        if (name != "key")
                        {
                            throw Fail(reader, $"<dict> holds <{name}> where a <key> should come", top);
                        }

                        string key = reader.ReadElementContentAsString();
                        if (((JsonObject)top.Container).ContainsKey(key))
                        {
                            throw Fail(reader, $"the key '{key}' occurs twice in one <dict>", top);
                        }

                        top.Key = key;
                        continue;
                    }

                    if (top is null && rootDone)
                    {
                        throw Fail(reader, $"a second value <{name}>; a property list holds exactly one top-level value", null);
                    }

                    JsonNode? node = ReadValue(reader, name, stack, options, out bool opened);
                    if (top is null)
                    {
                        root = node;
                        rootDone = true;
                    }
                    else if (top.IsDict)
                    {
                        ((JsonObject)top.Container).Add(top.Key!, node);
                        top.Key = null;
                    }
                    else
                    {
                        ((JsonArray)top.Container).Add(node);
                    }

                    if (opened)
                    {
                        stack.Add(new Frame(node!, node is JsonObject));
                    }
                    else if (!wrapped && stack.Count == 0)
                    {
                        return root;
                    }

                    break;
                case XmlNodeType.EndElement:
                    if (top is null)
                    {
                        // </plist>
                        if (!rootDone)
                        {
                            throw Fail(reader, "<plist> holds no value", null);
                        }

                        while (reader.Read())
                        {
                            // Let XmlReader check that nothing but comments and whitespace follows.
                        }

                        return root;
                    }

                    if (top.IsDict && top.Key is not null)
                    {
                        throw Fail(reader, $"the key '{top.Key}' has no value", top);
                    }

                    if (top.Container is JsonObject obj && obj.Count == 1 && obj[PlistValues.XmlUidKey] is JsonValue uid && TreeScalar.From(uid).Kind == ScalarKind.Integer)
                    {
                        obj.Remove(PlistValues.XmlUidKey);
                        obj.Add(PlistValues.UidKey, uid);
                    }

                    stack.RemoveAt(stack.Count - 1);
                    reader.Read();
                    if (!wrapped && stack.Count == 0)
                    {
                        return root;
                    }

                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    if (!string.IsNullOrWhiteSpace(reader.Value))
                    {
                        throw Fail(reader, "text outside a value element", top);
                    }

                    reader.Read();
                    break;
                default:
                    reader.Read();
                    break;
            }
        }

        throw Fail(reader, "the property list ends early", stack.Count > 0 ? stack[^1] : null);
    }

    private static JsonNode? ReadValue(XmlReader reader, string name, List<Frame> stack, SerializerOptions options, out bool opened)
    {
        opened = false;
        switch (name)
        {
            case "dict":
            case "array":
                if (stack.Count + 1 > options.MaxDepth)
                {
                    var info = (IXmlLineInfo)reader;
                    FormatGuards.ThrowTooDeep(options, Format, info.LineNumber, info.LinePosition, stack.Count > 0 ? stack[^1].Container.GetPath() : "$");
                }

                JsonNode container = name == "dict" ? new JsonObject() : new JsonArray();
                opened = !reader.IsEmptyElement;
                reader.Read();
                return container;
            case "string":
                return JsonValue.Create(reader.ReadElementContentAsString());
            case "integer":
                return ParseInteger(reader, reader.ReadElementContentAsString().Trim());
            case "real":
                return JsonValue.Create(ParseReal(reader, reader.ReadElementContentAsString().Trim()));
            case "true":
            case "false":
                bool flag = name == "true";
                if (reader.ReadElementContentAsString().Length != 0)
                {
                    throw Fail(reader, $"<{name}/> must be empty", stack.Count > 0 ? stack[^1] : null);
                }

                return JsonValue.Create(flag);
            case "date":
                string dateText = reader.ReadElementContentAsString().Trim();
                if (!DateTimeOffset.TryParseExact(dateText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date))
                {
                    throw Fail(reader, $"<date> holds '{dateText}', which is not a date such as 2013-03-21T20:04:00Z", stack.Count > 0 ? stack[^1] : null);
                }

                return JsonValue.Create(date);
            case "data":
                string base64 = reader.ReadElementContentAsString();
                try
                {
                    return JsonValue.Create(Convert.FromBase64String(base64));
                }
                catch (FormatException ex)
                {
                    throw Fail(reader, "<data> holds text that is not Base64", stack.Count > 0 ? stack[^1] : null, ex);
                }

            case "key":
                throw Fail(reader, "<key> outside a <dict>", stack.Count > 0 ? stack[^1] : null);
            default:
                throw Fail(reader, $"unknown element <{name}>; a property list holds dict, array, string, data, date, integer, real, true and false", stack.Count > 0 ? stack[^1] : null);
        }
    }

    private static JsonValue ParseInteger(XmlReader reader, string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long small))
        {
            return JsonValue.Create(small);
        }

        BigInteger value = BigInteger.Zero;
        bool negative = text.StartsWith('-');
        string digits = text.TrimStart('+', '-');
        bool ok = digits.Length <= 64;
        if (ok && digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            ok = BigInteger.TryParse("0" + digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else
        {
            ok = ok && digits.Length > 0 && digits.All(char.IsAsciiDigit) && BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        if (!ok)
        {
            throw Fail(reader, $"<integer> holds '{text}', which is not an integer", null);
        }

        if (negative)
        {
            value = -value;
        }

        if (value < PlistValues.MinInteger || value > PlistValues.MaxInteger)
        {
            throw Fail(reader, $"<integer> {text} is outside the signed 128-bit range", null);
        }

        return value >= long.MinValue && value <= long.MaxValue ? JsonValue.Create((long)value) : JsonValue.Create(value)!;
    }

    private static double ParseReal(XmlReader reader, string text)
    {
        switch (text.ToLowerInvariant())
        {
            case "nan":
            case "+nan":
            case "-nan":
                return double.NaN;
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return double.PositiveInfinity;
            case "-inf":
            case "-infinity":
                return double.NegativeInfinity;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw Fail(reader, $"<real> holds '{text}', which is not a number", null);
        }

        return value;
    }

    private static SerializationException Fail(XmlReader reader, string problem, Frame? top, Exception? inner = null)
    {
        var info = reader as IXmlLineInfo;
        bool known = info?.HasLineInfo() == true && info.LineNumber > 0;
        return new SerializationException(
            Format,
            problem,
            known ? info!.LineNumber : null,
            known ? info!.LinePosition : null,
            top?.Container.GetPath(),
            innerException: inner);
    }
}
