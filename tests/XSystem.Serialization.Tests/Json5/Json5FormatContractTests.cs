using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Json5;

public sealed class Json5FormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new Json5Format();

    protected override FormatProfile Profile { get; } = new();
}
