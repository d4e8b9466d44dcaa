using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Xml;

public sealed class XmlFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new XmlFormat();

    protected override FormatProfile Profile { get; } = new()
    {
        TopLevelArray = false,
        TopLevelScalar = false,
        TypedScalars = false,
        EmptyContainers = false,
        NestedArrays = false,
    };

    /// <summary>
    /// XML has exactly one root element: a tree that is not an object with one non-array member is written inside
    /// &lt;root&gt; (XmlOptions.RootName) and, by the documented convention, reads back as {"root": tree}.
    /// </summary>
    protected override JsonNode? Expected(JsonNode? original)
    {
        JsonNode? expected = Stringify(original);
        bool namesRoot = original is JsonObject { Count: 1 } single && single.First().Value is not JsonArray;
        return namesRoot ? expected : new JsonObject { ["root"] = expected };
    }

    private JsonNode? Stringify(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Stringify(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Stringify).ToArray()),
        JsonValue value => JsonValue.Create(ScalarText(value)),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>10,000 nested elements instead of brackets.</summary>
    protected override byte[] DeepInput(int depth)
    {
        var text = new StringBuilder(depth * 7);
        for (int i = 0; i < depth; i++)
        {
            text.Append("<a>");
        }

        for (int i = 0; i < depth; i++)
        {
            text.Append("</a>");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
