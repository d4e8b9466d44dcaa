using System.Text.Json;
using BenchmarkDotNet.Attributes;
using XSystem.Serialization;

namespace XSystem.Benchmarks.Serialization;

/// <summary>An order with eight members: the record the typed JSON anchor figures were measured with.</summary>
public sealed record Order(
    int Id,
    string Customer,
    DateTimeOffset CreatedAt,
    decimal Total,
    string Currency,
    bool Paid,
    IReadOnlyList<OrderLine> Lines,
    string? Note);

/// <summary>One line of an <see cref="Order"/>.</summary>
public sealed record OrderLine(string Sku, int Quantity, decimal Price);

/// <summary>The sample order shared by the typed JSON benchmarks.</summary>
internal static class SampleOrder
{
    public static Order Create() => new(
        Id: 10_482,
        Customer: "Ada Example",
        CreatedAt: new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.FromHours(1)),
        Total: 149.85m,
        Currency: "EUR",
        Paid: true,
        Lines:
        [
            new OrderLine("KB-104", 1, 89.90m),
            new OrderLine("MS-220", 2, 19.95m),
            new OrderLine("CB-USB", 4, 5.01m),
        ],
        Note: "Leave at the front desk");
}

/// <summary>
/// Serializer.Serialize&lt;T&gt;(value, Formats.Json) against JsonSerializer.SerializeToUtf8Bytes. The facade indents by
/// default (SerializerOptions.Indent) and System.Text.Json does not, so each side is measured with the same
/// indentation: Indent=false is the like-for-like figure against the anchor.
/// </summary>
[MemoryDiagnoser]
public class JsonTypedSerializeBenchmarks
{
    private static readonly JsonSerializerOptions IndentedStj = new() { WriteIndented = true };
    private static readonly SerializerOptions Compact = new() { Indent = false };
    private static readonly SerializerOptions Indented = new() { Indent = true };
    private readonly Order _order = SampleOrder.Create();

    [Params(false, true)]
    public bool Indent { get; set; }

    [GlobalSetup]
    public void Check()
    {
        // The sample has nothing the two encoders escape differently, so both sides must write the same bytes.
        if (!Stj().AsSpan().SequenceEqual(XSystem()))
        {
            throw new InvalidOperationException("Serializer.Serialize and System.Text.Json wrote different JSON.");
        }
    }

    [Benchmark(Baseline = true, Description = "STJ SerializeToUtf8Bytes")]
    public byte[] Stj() => Indent
        ? JsonSerializer.SerializeToUtf8Bytes(_order, IndentedStj)
        : JsonSerializer.SerializeToUtf8Bytes(_order);

    [Benchmark(Description = "Serializer.Serialize (json)")]
    public byte[] XSystem() => Serializer.Serialize(_order, Formats.Json, Indent ? Indented : Compact);
}

/// <summary>Serializer.Deserialize&lt;T&gt;(bytes, Formats.Json) against JsonSerializer.Deserialize&lt;T&gt;(bytes).</summary>
[MemoryDiagnoser]
public class JsonTypedDeserializeBenchmarks
{
    private static readonly JsonSerializerOptions IndentedStj = new() { WriteIndented = true };
    private readonly byte[] _json = JsonSerializer.SerializeToUtf8Bytes(SampleOrder.Create(), IndentedStj);

    [GlobalSetup]
    public void Check()
    {
        if (!JsonSerializer.SerializeToUtf8Bytes(Stj()).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(XSystem())))
        {
            throw new InvalidOperationException("Serializer.Deserialize and System.Text.Json read different orders.");
        }
    }

    [Benchmark(Baseline = true, Description = "STJ Deserialize<T>")]
    public Order? Stj() => JsonSerializer.Deserialize<Order>(_json);

    [Benchmark(Description = "Serializer.Deserialize<T> (json)")]
    public Order? XSystem() => Serializer.Deserialize<Order>(_json, Formats.Json);
}
