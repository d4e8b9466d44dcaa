using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Cbor;

public sealed class CborFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new CborFormat();

    protected override FormatProfile Profile { get; } = new();

    /// <summary>10,000 nested one-item arrays (0x81 ... 0x81 0x00) instead of JSON brackets.</summary>
    protected override byte[] DeepInput(int depth)
    {
        byte[] bytes = new byte[depth + 1];
        bytes.AsSpan(0, depth).Fill(0x81);
        return bytes;
    }
}
