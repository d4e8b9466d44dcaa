using System.Diagnostics;
using System.Text.Json.Nodes;
using XSystem.Serialization.MessagePack;

namespace XSystem.Serialization.MessagePack.Tests;

public sealed class MessagePackFuzzTests
{
    private static readonly MessagePackFormat Format = new();

    private static byte[][] Seeds()
    {
        var tree = new JsonObject
        {
            ["name"] = "fuzz",
            ["n"] = new JsonArray(0, -1, 300, 70000, long.MaxValue, 1.5, double.NaN),
            ["bin"] = JsonValue.Create(new byte[] { 1, 2, 3, 4, 5 }),
            ["when"] = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
            ["ext"] = new JsonObject { ["$ext"] = 9, ["data"] = JsonValue.Create(new byte[] { 7, 7 }) },
            ["nested"] = new JsonObject { ["a"] = new JsonArray(new JsonObject { ["b"] = null, ["c"] = true }) },
            ["text"] = new string('x', 40) + "ü",
        };
        return
        [
            Serializer.Serialize<JsonNode>(tree, Format),
            Serializer.Serialize(new JsonArray(1, "two", new JsonArray(3)), Format),
        ];
    }

    [Fact]
    public void Parse_10000SeededMutations_OnlySerializationExceptions()
    {
        var random = new Random(20240611);
        byte[][] seeds = Seeds();
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

        rejected.ShouldBeGreaterThan(100);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Probe_10000SeededMutations_NeverThrowsAndStaysInRange()
    {
        var random = new Random(99);
        byte[][] seeds = Seeds();
        for (int i = 0; i < 10_000; i++)
        {
            double score = Format.Probe(Mutate(seeds[i % seeds.Length], random));
            score.ShouldBeInRange(0, 0.6);
        }
    }

    /// <summary>Flips, overwrites, inserts, deletes and truncates bytes, and plants extreme length fields.</summary>
    internal static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3: bytes.RemoveAt(at); break;
                case 4: bytes.RemoveRange(at, bytes.Count - at); break;
                default:
                    byte[] extreme = [0xff, 0xff, 0xff, 0xff];
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
