using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace XSystem.Serialization.Tests;

public class SerializerTests
{
    public sealed class Order
    {
        [JsonPropertyName("order_id")]
        public int Id { get; set; }

        public string Customer { get; set; } = "";

        [JsonIgnore]
        public string Secret { get; set; } = "hidden";

        public List<string> Items { get; set; } = [];
    }

    [Fact]
    public void SerializeDeserialize_Json_AttributesGovern()
    {
        var order = new Order { Id = 7, Customer = "Ada", Items = ["tea", "cake"] };

        string json = Serializer.SerializeToString(order, Formats.Json, new SerializerOptions { Indent = false });
        json.ShouldBe("""{"order_id":7,"Customer":"Ada","Items":["tea","cake"]}""");

        Order back = Serializer.Deserialize<Order>(json, Formats.Json)!;
        back.Id.ShouldBe(7);
        back.Items.ShouldBe(["tea", "cake"]);
        back.Secret.ShouldBe("hidden");
    }

    [Fact]
    public void Deserialize_WrongShape_ThrowsSerializationExceptionWithPath()
    {
        var ex = Should.Throw<SerializationException>(() => Serializer.Deserialize<Order>("""{"order_id":"x"}""", Formats.Json));
        ex.Path.ShouldBe("$.order_id");
        ex.Line.ShouldBe(1);
    }

    [Fact]
    public void Deserialize_TooLargeString_ThrowsLimitBeforeEncoding()
    {
        var ex = Should.Throw<SerializationLimitException>(() => Serializer.Deserialize<Order>(new string(' ', 2000), Formats.Json, new SerializerOptions { MaxBytes = 1000 }));
        ex.LimitName.ShouldBe("MaxBytes");
    }

    [Fact]
    public void Deserialize_TypedJson_RespectsMaxDepth()
    {
        string deep = new string('[', 100) + new string(']', 100);
        Should.Throw<SerializationException>(() => Serializer.Deserialize<JsonNode>(deep, Formats.Json, new SerializerOptions { MaxDepth = 10 }));
    }

    [Fact]
    public void ParseWrite_Tree_RoundTrips()
    {
        JsonNode? tree = Serializer.Parse("""{"a":[1,2,{"b":null}]}""", Formats.Json);
        Serializer.WriteToString(tree, Formats.Json, new SerializerOptions { Indent = false }).ShouldBe("""{"a":[1,2,{"b":null}]}""");
    }

    [Fact]
    public void Convert_JsonToJsonLines_WritesOneLinePerItem()
    {
        byte[] result = Serializer.Convert("""[{"a":1},{"a":2}]"""u8, Formats.Json, Formats.JsonLines);
        Encoding.UTF8.GetString(result).ShouldBe("{\"a\":1}\n{\"a\":2}\n");
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new SerializerOptions { MaxDepth = 0 });
        Should.Throw<ArgumentOutOfRangeException>(() => new SerializerOptions { MaxBytes = 0 });
    }

    private sealed class CustomOptions : FormatOptions
    {
        public int Value { get; init; } = 1;
    }

    [Fact]
    public void GetFormatOptions_ReturnsConfiguredOrDefault()
    {
        SerializerOptions.Default.GetFormatOptions<CustomOptions>().Value.ShouldBe(1);
        new SerializerOptions { FormatOptions = [new CustomOptions { Value = 5 }] }.GetFormatOptions<CustomOptions>().Value.ShouldBe(5);
    }
}
