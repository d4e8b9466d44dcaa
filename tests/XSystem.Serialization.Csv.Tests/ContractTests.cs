using XSystem.Serialization.Csv;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Csv.Tests;

/// <summary>The shared format contract for CSV: a table of string cells.</summary>
public sealed class CsvFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new CsvFormat();

    // Strings only (InferTypes is off by default); null has no CSV form, so the writer refuses it unless NullAs is set.
    protected override FormatProfile Profile { get; } = new()
    {
        TabularOnly = true,
        TypedScalars = false,
        Nulls = false,
        MaxNesting = 2,
        EmptyContainers = false,
        TopLevelScalar = false,
        NestedArrays = false,
    };

    // CSV has no nesting syntax: brackets are ordinary text.
    protected override byte[] DeepInput(int depth) => [];
}

/// <summary>The shared format contract for TSV: the same table model with tabs.</summary>
public sealed class TsvFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new TsvFormat();

    protected override FormatProfile Profile { get; } = new()
    {
        TabularOnly = true,
        TypedScalars = false,
        Nulls = false,
        MaxNesting = 2,
        EmptyContainers = false,
        TopLevelScalar = false,
        NestedArrays = false,
    };

    // TSV has no nesting syntax: brackets are ordinary text.
    protected override byte[] DeepInput(int depth) => [];
}
