using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MessagePack;
using MessagePack.Resolvers;
using XSystem.Serialization;

namespace XSystem.Benchmarks.Serialization;

/// <summary>
/// Typed MessagePack through <see cref="Serializer"/> against raw MessagePack-CSharp with the contractless resolver
/// (the baseline), for an order with 8 lines. Target: ratio at most 1.05 both ways.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MessagePackBenchmarks
{
    private static readonly MessagePackSerializerOptions Contractless = ContractlessStandardResolver.Options;

    private MessagePackOrder _order = null!;
    private byte[] _bytes = [];
    private IFormat _format = null!;

    [GlobalSetup]
    public void Setup()
    {
        _format = Formats.MessagePack;
        _order = MessagePackOrder.Sample();
        _bytes = MessagePackSerializer.Serialize(_order, Contractless);
    }

    [BenchmarkCategory("Serialize")]
    [Benchmark(Baseline = true, Description = "MessagePackSerializer.Serialize (contractless)")]
    public byte[] RawSerialize() => MessagePackSerializer.Serialize(_order, Contractless);

    [BenchmarkCategory("Serialize")]
    [Benchmark(Description = "Serializer.Serialize (msgpack)")]
    public byte[] XSystemSerialize() => Serializer.Serialize(_order, _format);

    [BenchmarkCategory("Deserialize")]
    [Benchmark(Baseline = true, Description = "MessagePackSerializer.Deserialize (contractless)")]
    public MessagePackOrder RawDeserialize() => MessagePackSerializer.Deserialize<MessagePackOrder>(_bytes, Contractless);

    [BenchmarkCategory("Deserialize")]
    [Benchmark(Description = "Serializer.Deserialize (msgpack)")]
    public MessagePackOrder? XSystemDeserialize() => Serializer.Deserialize<MessagePackOrder>(_bytes, _format);
}

/// <summary>The benchmark's order record: a header and 8 lines.</summary>
public sealed class MessagePackOrder
{
    public int Id { get; set; }

    public string Customer { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    public string Currency { get; set; } = "";

    public bool Paid { get; set; }

    public List<MessagePackOrderLine> Lines { get; set; } = [];

    public static MessagePackOrder Sample()
    {
        var order = new MessagePackOrder { Id = 12345, Customer = "Ada Lovelace", CreatedUtc = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc), Currency = "EUR", Paid = true };
        for (int i = 0; i < 8; i++)
        {
            order.Lines.Add(new MessagePackOrderLine { Sku = "SKU-" + i, Description = "Item number " + i, Quantity = i + 1, UnitPrice = 9.99 + i });
        }

        return order;
    }
}

/// <summary>One line of <see cref="MessagePackOrder"/>.</summary>
public sealed class MessagePackOrderLine
{
    public string Sku { get; set; } = "";

    public string Description { get; set; } = "";

    public int Quantity { get; set; }

    public double UnitPrice { get; set; }
}
