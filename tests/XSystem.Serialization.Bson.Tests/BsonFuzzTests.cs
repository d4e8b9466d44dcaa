using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;
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

    [BsonIgnoreExtraElements]
    public sealed class Loose
    {
        public string? Name { get; set; }

        public byte[]? Data { get; set; }

        public BsonDocument? Deep { get; set; }

        public object? Anything { get; set; }

        public BsonJavaScriptWithScope? Code { get; set; }

        public BsonRegularExpression? Pattern { get; set; }

        public RawBsonDocument? Raw { get; set; }

        public List<BsonTypedTests.OrderLine> Lines { get; set; } = [];
    }

    [Fact]
    public void Deserialize_20000SeededMutations_OnlySerializationExceptionsAndBoundedAllocation()
    {
        // MongoDB.Bson sizes a string's buffer from its length prefix before reading it; unguarded, one mutated
        // 600-byte document here allocated over 1 GB. Through the guarded reader no call may allocate much more
        // than the document's own objects.
        var random = new Random(7);
        byte[][] seeds =
        [
            Serializer.Serialize(new BsonTypedTests.Order { Id = 1, Customer = "x", Lines = [new() { Sku = "s", Quantity = 1, Price = 2 }] }, Format),
            new BsonDocument
            {
                ["Name"] = "x",
                ["Data"] = new BsonBinaryData([1, 2, 3, 4, 5]),
                ["Deep"] = new BsonDocument { ["a"] = new BsonArray { 1, "two", new BsonDocument { ["b"] = 3.5 } } },
                ["Anything"] = new BsonDocument { ["k"] = new BsonArray { new BsonDocument { ["z"] = "zz" } } },
                ["Code"] = new BsonJavaScriptWithScope("f()", new BsonDocument { ["s"] = 1 }),
                ["Pattern"] = new BsonRegularExpression("a+", "i"),
                ["Raw"] = new BsonDocument { ["r"] = "raw" },
                ["Lines"] = new BsonArray { new BsonDocument { ["Sku"] = "s", ["Quantity"] = 1, ["Price"] = 2.0 } },
            }.ToBson(),
        ];
        Serializer.Deserialize<Loose>(seeds[1], Format).ShouldNotBeNull(); // class maps built before measuring
        Serializer.Deserialize<BsonTypedTests.Order>(seeds[0], Format).ShouldNotBeNull();
        long worst = 0;
        int accepted = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = Mutate(seeds[i % seeds.Length], random);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                object? value = i % seeds.Length == 0 ? Serializer.Deserialize<BsonTypedTests.Order>(input, Format) : Serializer.Deserialize<Loose>(input, Format);
                accepted += value is null ? 0 : 1;
            }
            catch (SerializationException)
            {
                // Rejected cleanly.
            }

            worst = Math.Max(worst, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        worst.ShouldBeLessThan(256 * 1024);
        accepted.ShouldBeGreaterThan(100);
        accepted.ShouldBeLessThan(19_000);
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
