using XSystem.Serialization.MessagePack;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.MessagePack.Tests;

public sealed class MessagePackFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new MessagePackFormat();

    protected override FormatProfile Profile { get; } = new();

    /// <summary>MessagePack has no brackets: 10,000 fixarrays of one item, each holding the next, then nil.</summary>
    protected override byte[] DeepInput(int depth)
    {
        byte[] bytes = new byte[depth + 1];
        bytes.AsSpan(0, depth).Fill(0x91);
        bytes[depth] = 0xc0;
        return bytes;
    }
}
