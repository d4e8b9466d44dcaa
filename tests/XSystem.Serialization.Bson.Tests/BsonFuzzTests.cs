using System.Diagnostics;
using XSystem.Serialization.Bson;
using XSystem.Serialization.Bson.Internal;

namespace XSystem.Serialization.Bson.Tests;

public sealed class BsonFuzzTests
{
    private static readonly BsonFormat Format = new();

    [Fact]
    public void Parse_10000SeededMutations_OnlySerializationExceptions()
    {
        var random = new Random(424242);
        byte[][] seeds = [BsonFormatTests.EveryTypeDocument(), BsonFormatTests.DeprecatedTypesDocument()];
        var clock = Stopwatch.StartNew();
        int rejected = 0;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] input = Mutate(seeds[i % seeds.Length], random);
            try
            {
                Format.Parse(input, SerializerOptions.Default);
            }
            catch (SerializationException)
            {
                rejected++;
            }
        }

        rejected.ShouldBeGreaterThan(1000);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Deserialize_2000SeededMutations_OnlySerializationExceptions()
    {
        var random = new Random(7);
        byte[] seed = Serializer.Serialize(new BsonTypedTests.Order { Id = 1, Customer = "x", Lines = [new() { Sku = "s", Quantity = 1, Price = 2 }] }, Format);
        for (int i = 0; i < 2_000; i++)
        {
            byte[] input = Mutate(seed, random);
            try
            {
                Serializer.Deserialize<BsonTypedTests.Order>(input, Format);
            }
            catch (SerializationException)
            {
                // Rejected cleanly.
            }
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(3)]
    [InlineData(500)]
    public void StructureCheck_10000SeededMutations_AgreesWithTheFullReader(int maxDepth)
    {
        var random = new Random(2026 + maxDepth);
        var options = new SerializerOptions { MaxDepth = maxDepth };
        byte[][] seeds = [BsonFormatTests.EveryTypeDocument(), BsonFormatTests.DeprecatedTypesDocument()];
        int valid = 0;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] input = i < seeds.Length ? seeds[i] : Mutate(seeds[i % seeds.Length], random);
            bool fullReaderAccepts;
            try
            {
                BsonTreeReader.Read(input, options, build: false);
                fullReaderAccepts = true;
            }
            catch (SerializationException)
            {
                fullReaderAccepts = false;
            }

            BsonStructure.IsValid(input, maxDepth).ShouldBe(fullReaderAccepts, $"mutation {i}: {Convert.ToHexString(input)}");
            valid += fullReaderAccepts ? 1 : 0;
        }

        // Both outcomes occur, so the agreement is not trivial.
        valid.ShouldBeGreaterThan(maxDepth >= 64 ? 100 : 0);
        valid.ShouldBeLessThan(9_000);
    }

    [Theory]
    [InlineData(300, 500, true)]
    [InlineData(300, 301, true)]
    [InlineData(300, 300, false)]
    [InlineData(20, 64, true)]
    public void StructureCheck_DeepNesting_LimitAppliesLikeTheFullReader(int levels, int maxDepth, bool expected)
    {
        byte[] nested = Nested(levels);

        BsonStructure.IsValid(nested, maxDepth).ShouldBe(expected);
        if (expected)
        {
            Should.NotThrow(() => BsonTreeReader.Read(nested, new SerializerOptions { MaxDepth = maxDepth }, build: false));
        }
        else
        {
            Should.Throw<SerializationLimitException>(() => BsonTreeReader.Read(nested, new SerializerOptions { MaxDepth = maxDepth }, build: false));
        }
    }

    /// <summary>A document holding <paramref name="levels"/> documents, each inside the last under the key "a".</summary>
    private static byte[] Nested(int levels)
    {
        byte[] inner = [5, 0, 0, 0, 0];
        for (int i = 0; i < levels; i++)
        {
            var outer = new List<byte>(inner.Length + 8) { 0, 0, 0, 0, 0x03, (byte)'a', 0 };
            outer.AddRange(inner);
            outer.Add(0);
            byte[] bytes = [.. outer];
            BitConverter.GetBytes(bytes.Length).CopyTo(bytes, 0);
            inner = bytes;
        }

        return inner;
    }

    [Fact]
    public void Probe_10000SeededMutations_NeverThrows()
    {
        var random = new Random(5);
        byte[] seed = BsonFormatTests.EveryTypeDocument();
        for (int i = 0; i < 10_000; i++)
        {
            Format.Probe(Mutate(seed, random)).ShouldBeInRange(0, 1);
        }
    }

    /// <summary>Flips, overwrites, inserts, deletes and truncates bytes, and plants extreme length fields.</summary>
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3: bytes.RemoveAt(at); break;
                case 4: bytes.RemoveRange(at, bytes.Count - at); break;
                case 5:
                    // Keep the outer length prefix consistent so the mutation reaches the inner structure.
                    bytes[at] = (byte)random.Next(256);
                    if (bytes.Count >= 4)
                    {
                        byte[] length = BitConverter.GetBytes(bytes.Count);
                        for (int k = 0; k < 4; k++)
                        {
                            bytes[k] = length[k];
                        }
                    }

                    break;
                default:
                    byte[] extreme = random.Next(2) == 0 ? [0xff, 0xff, 0xff, 0x7f] : [0xff, 0xff, 0xff, 0xff];
                    for (int k = 0; k < extreme.Length && at + k < bytes.Count; k++)
                    {
                        bytes[at + k] = extreme[k];
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
