using System.Diagnostics;

namespace XSystem.Serialization.Tests.Pickle;

/// <summary>Seeded random mutations of valid pickles: only SerializationException (or its subclasses) may come out.</summary>
public sealed class PickleFuzzTests
{
    private static readonly PickleFormat Format = new();

    [Fact]
    public void Parse_10000RandomMutations_OnlySerializationExceptions()
    {
        byte[][] seeds = Enumerable.Range(0, 6)
            .Select(p => File.ReadAllBytes(PickleExpectation.Fixture($"small_protocol{p}.pkl")))
            .Append(File.ReadAllBytes(PickleExpectation.Fixture("py2_protocol0.pkl")))
            .Append(File.ReadAllBytes(PickleExpectation.Fixture("py2_protocol2.pkl")))
            .ToArray();
        var random = new Random(20240229);
        var options = new SerializerOptions { FormatOptions = [new PickleOptions { MaxItems = 100_000 }] };
        int rejected = 0;
        var clock = Stopwatch.StartNew();

        for (int i = 0; i < 10_000; i++)
        {
            byte[] mutated = Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                Format.Parse(mutated, options);
            }
            catch (SerializationException)
            {
                rejected++;
            }
        }

        clock.Stop();
        rejected.ShouldBeGreaterThan(1000);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && data.Count > 0; e++)
        {
            int at = random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    data.Insert(at, (byte)random.Next(256));
                    break;
                case 3:
                    data.RemoveAt(at);
                    break;
                case 4:
                    data.RemoveRange(at, data.Count - at);
                    break;
                default:
                    // Duplicate a chunk: repeats opcodes, marks and memo references.
                    int length = Math.Min(1 + random.Next(16), data.Count - at);
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
            }
        }

        return [.. data];
    }
}
