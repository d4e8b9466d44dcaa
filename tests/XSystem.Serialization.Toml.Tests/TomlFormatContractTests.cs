using System.Text;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Toml.Tests;

/// <summary>The format contract for TOML: no top-level arrays or scalars (a document is a table), no nulls.</summary>
public sealed class TomlFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new TomlFormat();

    protected override FormatProfile Profile { get; } = new() { TopLevelArray = false, TopLevelScalar = false, Nulls = false };

    /// <summary>Brackets alone are not a TOML document; nest inline arrays and tables in a value instead.</summary>
    protected override byte[] DeepInput(int depth)
    {
        var text = new StringBuilder("a = ");
        for (int i = 0; i < depth; i++)
        {
            text.Append(i % 2 == 0 ? "[" : "{ b = ");
        }

        for (int i = depth - 1; i >= 0; i--)
        {
            text.Append(i % 2 == 0 ? "]" : " }");
        }

        return Encoding.UTF8.GetBytes(text.Append('\n').ToString());
    }
}
