using System.Buffers;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Sqlite.Tests;

/// <summary>
/// Seeded, reproducible mutations of valid database files: only <see cref="SerializationException"/> (or success) may come
/// out, never a crash, a hang or another exception type.
/// </summary>
public sealed class SqliteFuzzTests
{
    private static readonly SqliteFormat Format = new();

    private static byte[] Seed()
    {
        var tree = new JsonObject
        {
            ["people"] = new JsonArray(Enumerable.Range(0, 40).Select(i => (JsonNode)new JsonObject
            {
                ["id"] = i,
                ["name"] = "person " + i,
                ["score"] = i * 1.5,
                ["active"] = i % 2 == 0,
                ["photo"] = JsonValue.Create(new byte[] { (byte)i, 1, 2, 3 }),
                ["doc"] = new JsonObject { ["tags"] = new JsonArray("a", i) },
                ["mixed"] = i % 3 == 0 ? JsonValue.Create("text") : JsonValue.Create(i),
            }).ToArray()),
            ["notes"] = new JsonArray(new JsonObject { ["text"] = new string('n', 3000) }),
        };
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, SerializerOptions.Default);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Parse_10000SeededMutations_OnlySerializationExceptions() => Mutate(seed: 20240607, iterations: 10_000, verify: false);

    [Fact]
    public void Parse_MutationsWithIntegrityCheck_OnlySerializationExceptions() => Mutate(seed: 7, iterations: 500, verify: true);

    [Fact]
    [Trait("Category", "Soak")]
    public void Parse_100000SeededMutations_OnlySerializationExceptions() => Mutate(seed: 99, iterations: 100_000, verify: false);

    private static void Mutate(int seed, int iterations, bool verify)
    {
        byte[] valid = Seed();
        var options = new SerializerOptions { MaxBytes = 1_000_000, FormatOptions = [new SqliteOptions { VerifyIntegrity = verify }] };
        var random = new Random(seed);
        int rejected = 0;
        for (int i = 0; i < iterations; i++)
        {
            byte[] mutated = MutateOnce(valid, random);
            try
            {
                Format.Parse(mutated, options);
            }
            catch (SerializationException)
            {
                rejected++;
            }
        }

        // Many mutations land in unused space and still read; many others must be rejected.
        rejected.ShouldBeGreaterThan(iterations / 20);
        rejected.ShouldBeLessThan(iterations);
    }

    private static byte[] MutateOnce(byte[] valid, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                // Truncate at a random point (past the header, so the reader gets further than the header check).
                return valid[..random.Next(16, valid.Length)];
            case 1:
                // Damage the 100-byte file header (page size, counts, encoding, schema cookie ...).
                byte[] header = (byte[])valid.Clone();
                header[16 + random.Next(84)] = (byte)random.Next(256);
                return header;
            default:
                byte[] mutated = (byte[])valid.Clone();
                int edits = 1 + random.Next(8);
                for (int e = 0; e < edits; e++)
                {
                    mutated[16 + random.Next(mutated.Length - 16)] = (byte)random.Next(256);
                }

                return mutated;
        }
    }
}
