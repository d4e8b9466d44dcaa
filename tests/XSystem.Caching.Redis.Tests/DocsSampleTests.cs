using XSystem.Caching.Redis.Tests.Infrastructure;

namespace XSystem.Caching.Redis.Tests;

public sealed class Product
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public decimal Price { get; set; }
}

/// <summary>The quick start of docs/caching-redis.md, run against the private server so the sample stays true.</summary>
public sealed class DocsSampleTests(RedisFixture fixture)
{
    private sealed class Catalog
    {
        public int Loads;

        public ValueTask<Product> LoadAsync(int id, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Loads);
            return ValueTask.FromResult(new Product { Id = id, Name = "Widget", Price = 9.5m });
        }
    }

    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "xUnit1051", Justification = "The sample is kept as the docs show it, without test tokens.")]
    public async Task QuickStart_AsWritten_Works()
    {
        var catalog = new Catalog();
        int id = 42;
        string prefix = RedisFixture.UniquePrefix();

        // --- sample (docs/caching-redis.md, "Quick start"; the prefix is per test here) ---
        await using var redis = await RedisConnection.ConnectAsync(fixture.Server.Configuration);

        using var products = new TwoTierCache<Product>(redis, new TwoTierCacheOptions
        {
            Redis = new RedisCacheOptions { Prefix = prefix, DefaultTimeToLive = TimeSpan.FromMinutes(5) },
        });

        Product p = await products.GetOrAddAsync($"product:{id}", (key, ct) => catalog.LoadAsync(id, ct));

        var updated = new Product { Id = id, Name = "Widget", Price = 11m };
        await products.SetAsync($"product:{id}", updated);
        Product again = await products.GetOrAddAsync($"product:{id}", (key, ct) => catalog.LoadAsync(id, ct));
        await products.RemoveAsync($"product:{id}");

        TwoTierCacheStats stats = products.Stats;
        // --- end of sample ---

        p.Name.ShouldBe("Widget");
        again.Price.ShouldBe(11m);
        catalog.Loads.ShouldBe(1);
        stats.LocalHits.ShouldBe(1);
        (await products.TryGetAsync($"product:{id}", TestContext.Current.CancellationToken)).Found.ShouldBeFalse();
    }
}
