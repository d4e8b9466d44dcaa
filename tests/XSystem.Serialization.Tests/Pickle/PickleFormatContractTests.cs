using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Pickle;

public sealed class PickleFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new PickleFormat();

    protected override FormatProfile Profile { get; } = new();

    /// <summary>Pickle has no brackets: <paramref name="depth"/> EMPTY_LISTs, each appended to the one below, in protocol 2.</summary>
    protected override byte[] DeepInput(int depth) =>
        [0x80, 0x02, .. Enumerable.Repeat((byte)']', depth), .. Enumerable.Repeat((byte)'a', depth - 1), (byte)'.'];
}
