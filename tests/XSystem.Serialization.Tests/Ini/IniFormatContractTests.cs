using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Ini;

public sealed class IniFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new IniFormat();

    protected override FormatProfile Profile { get; } = new()
    {
        TopLevelArray = false,
        TopLevelScalar = false,
        TypedScalars = false,
        Nulls = false,
        EmptyContainers = false,
        NestedArrays = false,
        MaxNesting = 2,
    };

    /// <summary>INI has no nesting syntax beyond one level of sections, so there is no deep document to build.</summary>
    protected override byte[] DeepInput(int depth) => [];
}
