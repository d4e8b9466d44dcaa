using System.Diagnostics;
using System.Globalization;
using XSystem.Validation;

// Prints the best-of-five mean time of one validation of the seed User (nested address, "30" coercion) in microseconds.
var input = new Dictionary<string, object?>
{
    ["name"] = "John",
    ["age"] = "30",
    ["email"] = "john@example.com",
    ["address"] = new Dictionary<string, object?> { ["street"] = "1 Main St", ["city"] = "Springfield", ["zip"] = "12345" },
    ["tags"] = new List<object?> { "a", "b" },
};

if (SeedUser.ModelValidate(input).Age != 30)
{
    throw new InvalidOperationException("The seed user did not validate.");
}

for (var i = 0; i < 50_000; i++)
{
    _ = SeedUser.ModelValidate(input);
}

var best = double.MaxValue;
for (var round = 0; round < 5; round++)
{
    const int N = 200_000;
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < N; i++)
    {
        _ = SeedUser.ModelValidate(input);
    }

    best = Math.Min(best, sw.Elapsed.TotalMicroseconds / N);
}

Console.WriteLine(best.ToString("F3", CultureInfo.InvariantCulture));

internal sealed class SeedAddress : XModel<SeedAddress>
{
    public required string Street { get; init; }

    public required string City { get; init; }

    [Field(Pattern = @"^\d{5}$")]
    public required string Zip { get; init; }
}

internal sealed class SeedUser : XModel<SeedUser>
{
    public required string Name { get; init; }

    [Field(Ge = 0, Le = 150)]
    public int Age { get; init; }

    [Field(Pattern = @"^[^@]+@[^@]+\.[^@]+$")]
    public string Email { get; init; } = "";

    public SeedAddress? Address { get; init; }

    public List<string> Tags { get; init; } = [];
}
