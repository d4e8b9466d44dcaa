using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Sqlite.Tests;

/// <summary>
/// The shared format contract, run against SQLite. A database is an object of tables, each an array of flat rows, so
/// the closest profile is the tabular one (the contract then writes arrays of flat row objects) with typed scalars and
/// nulls: SQLite keeps integers, reals, text, blobs and NULL apart. Nesting is bounded at the tree's own three levels
/// (database, table, row), so the deep-nesting cases are skipped: a database image has no brackets to nest.
/// The contract's root arrays of rows round-trip exactly through the list convention (<see cref="SqliteOptions.RootArrayTable"/>:
/// written as the one table <c>data</c>, which reads back as the array), so no hook needs overriding.
/// </summary>
public sealed class SqliteFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new SqliteFormat();

    protected override FormatProfile Profile { get; } = new()
    {
        TabularOnly = true,
        TopLevelArray = true,
        TopLevelScalar = false,
        Nulls = true,
        EmptyContainers = false,
        NestedArrays = false,
        MaxNesting = 3,
        TypedScalars = true,
        MixedArrays = true,
    };
}
