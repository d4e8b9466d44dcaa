using System.Buffers.Binary;
using System.Text.Json.Nodes;
using XSystem.Serialization.Bson;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Bson.Tests;

public sealed class BsonFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new BsonFormat();

    /// <summary>A BSON document's root is always an object.</summary>
    protected override FormatProfile Profile { get; } = new() { TopLevelArray = false, TopLevelScalar = false };

    /// <summary>
    /// Integers from JSON text are written as int64 and read back as <see cref="long"/>; the tree compares equal either way,
    /// so the base expectation holds unchanged.
    /// </summary>
    protected override JsonNode? Expected(JsonNode? original) => base.Expected(original);

    /// <summary>BSON has no brackets: a document whose element "a" is an array holding an array ... 10,000 levels deep.</summary>
    protected override byte[] DeepInput(int depth) => DeepDocument(depth);

    internal static byte[] DeepDocument(int depth)
    {
        // Each level: int32 length, 0x04 'a' 0x00 <child>, 0x00. Built from the inside out.
        byte[] inner = [5, 0, 0, 0, 0];
        for (int i = 0; i < depth; i++)
        {
            byte[] outer = new byte[inner.Length + 8];
            BinaryPrimitives.WriteInt32LittleEndian(outer, outer.Length);
            outer[4] = 0x04;
            outer[5] = (byte)'a';
            outer[6] = 0;
            inner.CopyTo(outer, 7);
            outer[^1] = 0;
            inner = outer;
        }

        return inner;
    }
}
