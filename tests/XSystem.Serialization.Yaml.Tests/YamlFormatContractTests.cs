using System.Text;
using XSystem.Serialization.Tests.Contract;
using XSystem.Serialization.Yaml;

namespace XSystem.Serialization.Yaml.Tests;

/// <summary>The shared format contract, run against YAML: a full tree format (any root, nulls, nesting, typed scalars).</summary>
public sealed class YamlFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new YamlFormat();

    protected override FormatProfile Profile { get; } = new();

    /// <summary>Flow sequences nest like JSON arrays in YAML, so the base's bracket input fits; kept explicit.</summary>
    protected override byte[] DeepInput(int depth) =>
        Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
}
