using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Plist;

public sealed class BinaryPlistFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new BinaryPlistFormat();

    /// <summary>Property lists have no null.</summary>
    protected override FormatProfile Profile { get; } = new() { Nulls = false };

    /// <summary>A binary plist of 10,000 nested one-item arrays: object i is [object i + 1], the last is false.</summary>
    protected override byte[] DeepInput(int depth) => BinaryPlistBuilder.NestedArrays(depth);
}
