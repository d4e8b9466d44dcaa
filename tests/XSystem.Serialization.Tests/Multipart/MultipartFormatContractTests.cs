using System.Text;
using XSystem.Serialization.Tests.Contract;
using XSystem.Serialization.Tests.Form;

namespace XSystem.Serialization.Tests.Multipart;

/// <summary>The contract with default options: fields are strings, repeated names arrays.</summary>
public sealed class MultipartFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new MultipartFormat();

    // As for form URL encoding: without bracket nesting the reader gives fields, arrays of fields and file objects, and nested
    // objects come back as flat "a[b]" names; the contract's two-level cases are objects of objects. Arrays and files are covered by MultipartFormatTests.
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

/// <summary>The contract with <see cref="MultipartOptions.BracketNesting"/> on.</summary>
public sealed class MultipartBracketContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new OptionsInjectingFormat(new MultipartFormat(), new MultipartOptions { BracketNesting = true });

    protected override FormatProfile Profile { get; } = new()
    {
        TopLevelArray = false,
        TopLevelScalar = false,
        TypedScalars = false,
        Nulls = false,
        EmptyContainers = false,
        NestedArrays = false,
    };

    /// <summary>One part whose name nests <paramref name="depth"/> levels.</summary>
    protected override byte[] DeepInput(int depth)
    {
        var name = new StringBuilder("a");
        for (int i = 0; i < depth; i++)
        {
            name.Append("[a]");
        }

        return Encoding.UTF8.GetBytes($"--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n1\r\n--b--\r\n");
    }
}
