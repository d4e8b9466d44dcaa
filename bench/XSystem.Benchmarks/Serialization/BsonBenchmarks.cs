using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using XSystem.Serialization;

namespace XSystem.Benchmarks.Serialization;

/// <summary>
/// Typed BSON through <see cref="Serializer"/> against raw MongoDB.Bson <see cref="BsonSerializer"/> (the baseline),
/// for an order with 8 lines. Target: ratio at most 1.11 both ways.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BsonBenchmarks
{
    private BsonOrder _order = null!;
    private byte[] _bytes = [];
    private IFormat _format = null!;

    [GlobalSetup]
    public void Setup()
    {
        _format = Formats.Bson;
        _order = BsonOrder.Sample();
        _bytes = _order.ToBson();
    }

    [BenchmarkCategory("Serialize")]
    [Benchmark(Baseline = true, Description = "BsonSerializer (ToBson)")]
    public byte[] RawSerialize() => _order.ToBson();

    [BenchmarkCategory("Serialize")]
    [Benchmark(Description = "Serializer.Serialize (bson)")]
    public byte[] XSystemSerialize() => Serializer.Serialize(_order, _format);

    [BenchmarkCategory("Deserialize")]
    [Benchmark(Baseline = true, Description = "BsonSerializer.Deserialize")]
    public BsonOrder RawDeserialize() => BsonSerializer.Deserialize<BsonOrder>(_bytes);

    [BenchmarkCategory("Deserialize")]
    [Benchmark(Description = "Serializer.Deserialize (bson)")]
    public BsonOrder? XSystemDeserialize() => Serializer.Deserialize<BsonOrder>(_bytes, _format);
}

/// <summary>The benchmark's order record: a header and 8 lines.</summary>
public sealed class BsonOrder
{
    public int Id { get; set; }

    public string Customer { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    public string Currency { get; set; } = "";

    public bool Paid { get; set; }

    public List<BsonOrderLine> Lines { get; set; } = [];

    public static BsonOrder Sample()
    {
        var order = new BsonOrder { Id = 12345, Customer = "Ada Lovelace", CreatedUtc = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc), Currency = "EUR", Paid = true };
        for (int i = 0; i < 8; i++)
        {
            order.Lines.Add(new BsonOrderLine { Sku = "SKU-" + i, Description = "Item number " + i, Quantity = i + 1, UnitPrice = 9.99 + i });
        }

        return order;
    }
}

/// <summary>One line of <see cref="BsonOrder"/>.</summary>
public sealed class BsonOrderLine
{
    public string Sku { get; set; } = "";

    public string Description { get; set; } = "";

    public int Quantity { get; set; }

    public double UnitPrice { get; set; }
}
