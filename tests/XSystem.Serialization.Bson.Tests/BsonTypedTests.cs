using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using XSystem.Serialization.Bson;

namespace XSystem.Serialization.Bson.Tests;

public sealed class BsonTypedTests
{
    public sealed class Order
    {
        public int Id { get; set; }

        public string Customer { get; set; } = "";

        public List<OrderLine> Lines { get; set; } = [];
    }

    public sealed class OrderLine
    {
        public string Sku { get; set; } = "";

        public int Quantity { get; set; }

        public double Price { get; set; }
    }

    public sealed class Holder
    {
        public object? Payload { get; set; }
    }

    public sealed class Node
    {
        public string Name { get; set; } = "";

        public Node? Next { get; set; }
    }

    public sealed class RawHolder
    {
        public string Name { get; set; } = "";

        public RawBsonDocument? Raw { get; set; }
    }

    private static Order Sample() => new()
    {
        Id = 3,
        Customer = "Ada",
        Lines = [new OrderLine { Sku = "A-1", Quantity = 2, Price = 9.5 }],
    };

    [Fact]
    public void Deserialize_RawBsonDocumentMember_KeepsItsBytesAfterLaterCalls()
    {
        // A RawBsonDocument reads lazily from the buffer it was sliced from, so that buffer must not be reused.
        byte[] first = new BsonDocument { ["Name"] = "first", ["Raw"] = new BsonDocument { ["v"] = "one" } }.ToBson();
        byte[] second = new BsonDocument { ["Name"] = "other", ["Raw"] = new BsonDocument { ["v"] = "two" } }.ToBson();

        RawHolder? kept = Serializer.Deserialize<RawHolder>(first, Formats.Bson);
        for (int i = 0; i < 10; i++)
        {
            Serializer.Deserialize<RawHolder>(second, Formats.Bson);
            Serializer.Deserialize<Order>(Serializer.Serialize(Sample(), Formats.Bson), Formats.Bson);
        }

        kept!.Raw!["v"].AsString.ShouldBe("one");
    }

    public sealed class Outer
    {
        public List<Inner> Items { get; set; } = [];
    }

    public sealed class Inner
    {
        public RawBsonArray? Values { get; set; }
    }

    [Theory]
    [InlineData(typeof(Order), false)]
    [InlineData(typeof(Node), false)]
    [InlineData(typeof(Holder), false)]
    [InlineData(typeof(Dictionary<string, List<OrderLine>>), false)]
    [InlineData(typeof(RawHolder), true)]
    [InlineData(typeof(List<RawBsonDocument>), true)]
    [InlineData(typeof(Outer), true)]
    [InlineData(typeof(LazyBsonDocument), true)]
    public void BufferAliasing_TypesThatKeepSlices_AreFound(Type type, bool expected) =>
        Internal.BufferAliasing.MayAlias(type).ShouldBe(expected);

    [Fact]
    public void Serialize_PlainClass_MatchesBsonSerializer()
    {
        Order order = Sample();

        byte[] ours = Serializer.Serialize(order, Formats.Bson);

        ours.ShouldBe(order.ToBson());
    }

    [Fact]
    public void Deserialize_OwnOutput_RoundTrips()
    {
        byte[] bytes = Serializer.Serialize(Sample(), Formats.Bson);

        Order? back = Serializer.Deserialize<Order>(bytes, Formats.Bson);

        back!.Customer.ShouldBe("Ada");
        back.Lines[0].Price.ShouldBe(9.5);
    }

    [Fact]
    public void Deserialize_AsTree_KeepsInt32()
    {
        byte[] bytes = Serializer.Serialize(Sample(), Formats.Bson);

        JsonObject? tree = Serializer.Deserialize<JsonObject>(bytes, Formats.Bson);

        tree!["_id"]!.GetValue<int>().ShouldBe(3); // MongoDB.Bson maps Id to _id
        Serializer.Serialize<JsonNode>(tree, Formats.Bson).ShouldBe(bytes);
    }

    [Fact]
    public void Deserialize_DiscriminatorNamingProcess_IsRefused()
    {
        var doc = new BsonDocument { { "Payload", new BsonDocument { { "_t", "System.Diagnostics.Process" }, { "StartInfo", new BsonDocument() } } } };

        var ex = Should.Throw<SerializationException>(() => Serializer.Deserialize<Holder>(doc.ToBson(), Formats.Bson));

        ex.FormatName.ShouldBe("bson");
        ex.Message.ShouldContain("System.Diagnostics.Process");
    }

    [Fact]
    public void Deserialize_RootDiscriminatorAsObject_IsRefused()
    {
        var doc = new BsonDocument { { "_t", "System.Diagnostics.Process" } };

        Should.Throw<SerializationException>(() => Serializer.Deserialize<object>(doc.ToBson(), Formats.Bson));
    }

    [Fact]
    public void Deserialize_DiscriminatorNamingAnApplicationType_IsRefused()
    {
        var doc = new BsonDocument { { "Payload", new BsonDocument { { "_t", "Order" } } } };

        Should.Throw<SerializationException>(() => Serializer.Deserialize<Holder>(doc.ToBson(), Formats.Bson));
    }

    [Fact]
    public void Deserialize_DeepPayload_ThrowsLimitInsteadOfExhaustingTheStack()
    {
        // { "Payload": { "a": { "a": ... } } }: the object member makes MongoDB.Bson recurse once per level.
        byte[] deep = WrapAs("Payload", BsonFormatContractTests.DeepDocument(5_000));

        Should.Throw<SerializationLimitException>(() => Serializer.Deserialize<Holder>(deep, Formats.Bson)).LimitName.ShouldBe("MaxDepth");
    }

    [Theory]
    [InlineData(10, 64, false)]
    [InlineData(62, 64, false)]
    [InlineData(63, 64, true)]
    [InlineData(64, 64, true)]
    [InlineData(64, 100, false)]
    public void Deserialize_NestedPayload_DepthCountsEveryDocument(int levels, int maxDepth, bool throws)
    {
        byte[] nested = WrapAs("Payload", BsonFormatContractTests.DeepDocument(levels));
        var options = new SerializerOptions { MaxDepth = maxDepth };

        if (throws)
        {
            Should.Throw<SerializationLimitException>(() => Serializer.Deserialize<Holder>(nested, Formats.Bson, options)).Limit.ShouldBe(maxDepth);
        }
        else
        {
            Serializer.Deserialize<Holder>(nested, Formats.Bson, options)!.Payload.ShouldNotBeNull();
        }
    }

    /// <summary>A document with one element named <paramref name="key"/> holding <paramref name="document"/>.</summary>
    private static byte[] WrapAs(string key, byte[] document)
    {
        byte[] name = System.Text.Encoding.UTF8.GetBytes(key);
        byte[] outer = [0, 0, 0, 0, 0x03, .. name, 0, .. document, 0];
        BitConverter.GetBytes(outer.Length).CopyTo(outer, 0);
        return outer;
    }

    [Fact]
    public void Serialize_CyclicGraph_ThrowsLimit()
    {
        var node = new Node { Name = "loop" };
        node.Next = node;

        Should.Throw<SerializationLimitException>(() => Serializer.Serialize(node, Formats.Bson)).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Serialize_ScalarRoot_ThrowsClearly() =>
        Should.Throw<SerializationException>(() => Serializer.Serialize(5, Formats.Bson)).Message.ShouldContain("document");

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 5, 0, 0, 0 })]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0x7f, 0 })]
    [InlineData(new byte[] { 12, 0, 0, 0, 0x10, (byte)'I', (byte)'d', 0, 1, 0, 0, 0 })]
    public void Deserialize_Malformed_ThrowsSerializationException(byte[] bytes) =>
        Should.Throw<SerializationException>(() => Serializer.Deserialize<Order>(bytes, Formats.Bson)).FormatName.ShouldBe("bson");

    [Fact]
    public void Deserialize_WrongFieldType_ThrowsSerializationException()
    {
        var doc = new BsonDocument { { "Id", "not a number" } };

        Should.Throw<SerializationException>(() => Serializer.Deserialize<Order>(doc.ToBson(), Formats.Bson)).Message.ShouldContain("Order");
    }
}
