using System.Buffers;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.MessagePack.Tests;

/// <summary>Serializer binds a typed format's generic methods once per format and type; calls must still reach the right instance.</summary>
public sealed class TypedDispatchTests
{
    /// <summary>A typed format that forwards to MessagePack and counts the calls it receives.</summary>
    private sealed class CountingFormat(string name) : ITypedFormat
    {
        public int Serializes { get; private set; }

        public int Deserializes { get; private set; }

        public string Name => name;

        public IReadOnlyList<string> Aliases => [];

        public IReadOnlyList<string> Extensions => [];

        public IReadOnlyList<string> MediaTypes => [];

        public FormatCapabilities Capabilities => FormatCapabilities.Tree | FormatCapabilities.Typed;

        public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options) => Formats.MessagePack.Parse(data, options);

        public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options) => Formats.MessagePack.Write(tree, output, options);

        public double Probe(ReadOnlySpan<byte> sample) => 0;

        public void Serialize<T>(T value, IBufferWriter<byte> output, SerializerOptions options)
        {
            Serializes++;
            ((ITypedFormat)Formats.MessagePack).Serialize(value, output, options);
        }

        public T? Deserialize<T>(ReadOnlySpan<byte> data, SerializerOptions options)
        {
            Deserializes++;
            return ((ITypedFormat)Formats.MessagePack).Deserialize<T>(data, options);
        }
    }

    public sealed class Point
    {
        public int X { get; set; }

        public int Y { get; set; }
    }

    [Fact]
    public void Serializer_AlternatingFormatsForOneType_EachCallReachesItsOwnFormat()
    {
        var first = new CountingFormat("first");
        var second = new CountingFormat("second");

        for (int i = 0; i < 5; i++)
        {
            byte[] a = Serializer.Serialize(new Point { X = i, Y = 1 }, first);
            byte[] b = Serializer.Serialize(new Point { X = i, Y = 2 }, second);
            byte[] json = Serializer.Serialize(new Point { X = i, Y = 3 }, Formats.Json);

            Serializer.Deserialize<Point>(a, first)!.Y.ShouldBe(1);
            Serializer.Deserialize<Point>(b, second)!.Y.ShouldBe(2);
            Serializer.Deserialize<Point>(json, Formats.Json)!.Y.ShouldBe(3);
            Serializer.Deserialize<Point>(a, Formats.MessagePack)!.X.ShouldBe(i);
        }

        first.Serializes.ShouldBe(5);
        first.Deserializes.ShouldBe(5);
        second.Serializes.ShouldBe(5);
        second.Deserializes.ShouldBe(5);
    }

    [Fact]
    public void Serializer_ManyFormatInstances_StillDispatchCorrectly()
    {
        // More instances than the per-type cache holds: the uncached ones are bound per call.
        var formats = Enumerable.Range(0, 12).Select(i => new CountingFormat("f" + i)).ToArray();

        foreach (CountingFormat format in formats)
        {
            byte[] bytes = Serializer.Serialize(new Point { X = 7 }, format);
            Serializer.Deserialize<Point>(bytes, format)!.X.ShouldBe(7);
        }

        formats.ShouldAllBe(f => f.Serializes == 1 && f.Deserializes == 1);
    }
}
