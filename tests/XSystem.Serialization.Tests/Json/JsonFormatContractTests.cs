using System.Text.Json.Nodes;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Json;

public class JsonFormatContractTests : FormatContractTests
{
    protected override IFormat Format => Formats.Json;

    protected override FormatProfile Profile { get; } = new();
}

public class JsonLinesFormatContractTests : FormatContractTests
{
    protected override IFormat Format => Formats.JsonLines;

    // JSON Lines holds a sequence of values; the contract's arrays of records map onto lines.
    protected override FormatProfile Profile { get; } = new() { TabularOnly = true };

    // A root that is not an array is written as a single line and reads back as a one-item array.
    protected override JsonNode? Expected(JsonNode? original) =>
        original is JsonArray ? original.DeepClone() : new JsonArray(original?.DeepClone());

    // Each line is a JSON value: 10,000 nested brackets on one line.
    protected override byte[] DeepInput(int depth) => base.DeepInput(depth);
}
