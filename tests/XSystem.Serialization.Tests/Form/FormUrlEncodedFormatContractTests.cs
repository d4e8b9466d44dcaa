using System.Text;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Form;

/// <summary>The contract with default options: names are literal (WHATWG), so the tree is an object of strings and string arrays.</summary>
public sealed class FormUrlEncodedFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new FormUrlEncodedFormat();

    // Without bracket nesting the reader gives an object whose values are strings or arrays of strings (two levels), and
    // nested objects come back as flat "a[b]" names. The contract's two-level cases are objects of objects, so the profile
    // declares one level; arrays (repeated names) are covered by FormUrlEncodedFormatTests.
    protected override FormatProfile Profile { get; } = new()
    {
        TopLevelArray = false,
        TopLevelScalar = false,
        TypedScalars = false,
        Nulls = false,
        EmptyContainers = false,
        NestedArrays = false,
        MaxNesting = 1,
    };
}

/// <summary>The contract with <see cref="FormOptions.BracketNesting"/> on: nested objects and arrays of strings round-trip.</summary>
public sealed class FormUrlEncodedBracketContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new OptionsInjectingFormat(new FormUrlEncodedFormat(), new FormOptions { BracketNesting = true });

    protected override FormatProfile Profile { get; } = new()
    {
        TopLevelArray = false,
        TopLevelScalar = false,
        TypedScalars = false,
        Nulls = false,
        EmptyContainers = false,
        NestedArrays = false,
    };

    /// <summary>Bracket names nested <paramref name="depth"/> levels: <c>a[a][a]...=1</c>.</summary>
    protected override byte[] DeepInput(int depth)
    {
        var name = new StringBuilder("a");
        for (int i = 0; i < depth; i++)
        {
            name.Append("[a]");
        }

        return Encoding.UTF8.GetBytes(name.Append("=1").ToString());
    }
}
