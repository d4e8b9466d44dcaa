using System.Text.Json.Nodes;
using MessagePack;
using MessagePack.Resolvers;
using XSystem.Serialization.MessagePack;
using XSystem.Serialization.MessagePack.Internal;

namespace XSystem.Serialization.MessagePack.Tests;

public sealed class MessagePackTypedTests
{
    public sealed class Order
    {
        public int Id { get; set; }

        public string Customer { get; set; } = "";

        public List<OrderLine> Lines { get; set; } = [];

        public Dictionary<string, string> Tags { get; set; } = [];
    }

    public sealed class OrderLine
    {
        public string Sku { get; set; } = "";

        public int Quantity { get; set; }

        public double Price { get; set; }
    }

    public sealed class Node
    {
        public string Name { get; set; } = "";

        public Node? Next { get; set; }
    }

    public sealed class Holder
    {
        public object? Payload { get; set; }
    }

    private static Order Sample() => new()
    {
        Id = 7,
        Customer = "Ada",
        Lines = [new OrderLine { Sku = "A-1", Quantity = 2, Price = 9.5 }, new OrderLine { Sku = "B-2", Quantity = 1, Price = 20 }],
        Tags = new() { ["prio"] = "high" },
    };

    [Fact]
    public void Serialize_PlainClass_MatchesContractlessOutput()
    {
        Order order = Sample();

        byte[] ours = Serializer.Serialize(order, Formats.MessagePack);
        byte[] raw = MessagePackSerializer.Serialize(order, ContractlessStandardResolver.Options, TestContext.Current.CancellationToken);

        ours.ShouldBe(raw);
    }

    [Fact]
    public void Deserialize_OwnOutput_RoundTrips()
    {
        byte[] bytes = Serializer.Serialize(Sample(), Formats.MessagePack);

        Order? back = Serializer.Deserialize<Order>(bytes, Formats.MessagePack);

        back.ShouldNotBeNull();
        back.Customer.ShouldBe("Ada");
        back.Lines.Count.ShouldBe(2);
        back.Lines[1].Price.ShouldBe(20);
        back.Tags["prio"].ShouldBe("high");
    }

    [Fact]
    public void Deserialize_TypedBytesAsTree_MapsKeysByName()
    {
        byte[] bytes = Serializer.Serialize(Sample(), Formats.MessagePack);

        JsonNode? tree = Serializer.Parse(bytes, Formats.MessagePack);

        tree!["Customer"]!.GetValue<string>().ShouldBe("Ada");
        tree["Lines"]![0]!["Quantity"]!.GetValue<long>().ShouldBe(2);
    }

    [Fact]
    public void Serialize_JsonNode_WritesTree()
    {
        var tree = new JsonObject { ["a"] = 1 };

        byte[] bytes = Serializer.Serialize<JsonNode>(tree, Formats.MessagePack);

        bytes.ShouldBe(new byte[] { 0x81, 0xa1, (byte)'a', 0x01 });
        Serializer.Deserialize<JsonObject>(bytes, Formats.MessagePack)!["a"]!.GetValue<long>().ShouldBe(1);
    }

    public sealed class Tree
    {
        public List<Tree> Children { get; set; } = [];
    }

    public sealed class Wrapper
    {
        public Dictionary<string, Node> Nodes { get; set; } = [];
    }

    public sealed class WithInterface
    {
        public IComparable? Value { get; set; }
    }

    public struct Point
    {
        public int X { get; set; }

        public OrderLine? Line { get; set; }
    }

    [Theory]
    [InlineData(typeof(Order), true)]
    [InlineData(typeof(OrderLine), true)]
    [InlineData(typeof(Point), true)]
    [InlineData(typeof(OrderLine[]), true)]
    [InlineData(typeof(Dictionary<string, List<OrderLine>>), true)]
    [InlineData(typeof(Node), false)]
    [InlineData(typeof(Tree), false)]
    [InlineData(typeof(Wrapper), false)]
    [InlineData(typeof(Holder), false)]
    [InlineData(typeof(WithInterface), false)]
    [InlineData(typeof(object), false)]
    public void BoundedTypes_OnlyTypesThatCannotContainThemselves(Type type, bool bounded)
    {
        BoundedTypes.IsBounded(type).ShouldBe(bounded);
    }

    [Fact]
    public void Serialize_CycleThroughACollection_ThrowsLimitInsteadOfStackOverflow()
    {
        var root = new Tree();
        root.Children.Add(root);

        Should.Throw<SerializationLimitException>(() => Serializer.Serialize(root, Formats.MessagePack)).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Serialize_BoundedType_SameBytesAsTheLibrary()
    {
        Order order = Sample();

        Serializer.Serialize(order, Formats.MessagePack).ShouldBe(MessagePackSerializer.Serialize(order, ContractlessStandardResolver.Options, TestContext.Current.CancellationToken));
    }

    public sealed class BytesHolder
    {
        public ReadOnlyMemory<byte> Memory { get; set; }

        public System.Buffers.ReadOnlySequence<byte> Sequence { get; set; }

        public byte[] Array { get; set; } = [];
    }

    [Fact]
    public void Deserialize_ByteMembers_KeepTheirBytesAfterLaterCalls()
    {
        byte[] first = MessagePackSerializer.Serialize(new BytesHolder { Memory = new byte[] { 1, 2, 3 }, Sequence = new(new byte[] { 4, 5 }), Array = [6] }, ContractlessStandardResolver.Options, TestContext.Current.CancellationToken);
        byte[] second = MessagePackSerializer.Serialize(new BytesHolder { Memory = new byte[] { 9, 9, 9 }, Sequence = new(new byte[] { 9, 9 }), Array = [9] }, ContractlessStandardResolver.Options, TestContext.Current.CancellationToken);

        BytesHolder? kept = Serializer.Deserialize<BytesHolder>(first, Formats.MessagePack);
        for (int i = 0; i < 10; i++)
        {
            Serializer.Deserialize<BytesHolder>(second, Formats.MessagePack);
        }

        kept!.Memory.ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        System.Buffers.BuffersExtensions.ToArray(kept.Sequence).ShouldBe(new byte[] { 4, 5 });
        kept.Array.ShouldBe(new byte[] { 6 });
    }

    [Fact]
    public void Serialize_ArrayPathAndBufferWriterPath_WriteTheSameBytes()
    {
        // Serializer.Serialize takes the format's array path; ITypedFormat.Serialize writes to a buffer writer.
        var format = (ITypedFormat)Formats.MessagePack;
        object[] values = [Sample(), new Node { Name = "a", Next = new Node { Name = "b" } }, new Tree { Children = [new Tree()] }, new List<int> { 1, 2, 3 }];
        foreach (object value in values)
        {
            var writer = new System.Buffers.ArrayBufferWriter<byte>();
            format.Serialize(value, writer, SerializerOptions.Default);

            Serializer.Serialize(value, Formats.MessagePack).ShouldBe(writer.WrittenSpan.ToArray(), value.GetType().Name);
        }
    }

    [Fact]
    public void Serialize_ArrayPath_AppliesMaxDepthAndRestoresItAfterwards()
    {
        var chain = new Node { Name = "0" };
        Node last = chain;
        for (int i = 1; i < 10; i++)
        {
            last.Next = new Node { Name = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            last = last.Next;
        }

        Should.Throw<SerializationLimitException>(() => Serializer.Serialize(chain, Formats.MessagePack, new SerializerOptions { MaxDepth = 5 })).Limit.ShouldBe(5);
        Serializer.Serialize(chain, Formats.MessagePack).Length.ShouldBeGreaterThan(20);
    }

    [Fact]
    public void Serialize_CyclicGraph_ThrowsLimitInsteadOfStackOverflow()
    {
        var node = new Node { Name = "loop" };
        node.Next = node;

        var ex = Should.Throw<SerializationLimitException>(() => Serializer.Serialize(node, Formats.MessagePack));

        ex.LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Deserialize_DeepObjectPayload_ThrowsLimit()
    {
        byte[] bytes = [0x81, 0xa7, .. "Payload"u8, .. Enumerable.Repeat((byte)0x91, 10_000), 0xc0];

        Should.Throw<SerializationLimitException>(() => Serializer.Deserialize<Holder>(bytes, Formats.MessagePack));
    }

    [Fact]
    public void Deserialize_TypelessExtension_NeverCreatesNamedType()
    {
        // Ext type 100 is what the typeless resolver uses to carry a .NET type name; contractless never honours it.
        byte[] name = "System.Diagnostics.Process, System.Diagnostics.Process"u8.ToArray();
        byte[] bytes = [0x81, 0xa7, .. "Payload"u8, 0xc7, (byte)(name.Length + 1), 100, .. name, 0xc0];

        try
        {
            Holder? holder = Serializer.Deserialize<Holder>(bytes, Formats.MessagePack);
            holder!.Payload.ShouldNotBeOfType<System.Diagnostics.Process>();
        }
        catch (SerializationException ex)
        {
            ex.FormatName.ShouldBe("msgpack");
        }
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x83 })]
    [InlineData(new byte[] { 0xc1 })]
    [InlineData(new byte[] { 0x80, 0x01 })]
    public void Deserialize_Malformed_ThrowsSerializationException(byte[] bytes) =>
        Should.Throw<SerializationException>(() => Serializer.Deserialize<Order>(bytes, Formats.MessagePack)).FormatName.ShouldBe("msgpack");

    [Fact]
    public void Deserialize_OverMaxBytes_ThrowsLimit()
    {
        byte[] bytes = Serializer.Serialize(Sample(), Formats.MessagePack);

        Should.Throw<SerializationLimitException>(() => Serializer.Deserialize<Order>(bytes, Formats.MessagePack, new SerializerOptions { MaxBytes = 10 }))
            .LimitName.ShouldBe("MaxBytes");
    }
}
