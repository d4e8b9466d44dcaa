using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using FluentValidation;
using XSystem.Validation;

namespace XSystem.Benchmarks.Validation;

/// <summary>The 10-field benchmark model with constraints and one nested model.</summary>
public sealed class BenchUser : XModel<BenchUser>
{
    [Field(MinLength = 1, MaxLength = 50)]
    public required string Name { get; init; }

    [Field(Ge = 0, Le = 150)]
    public int Age { get; init; }

    [Field(Pattern = @"^[^@]+@[^@]+\.[^@]+$")]
    public required string Email { get; init; }

    [Field(Ge = 0, Le = 100)]
    public double Score { get; init; }

    public bool Active { get; init; }

    [Field(MinLength = 2, MaxLength = 2)]
    public required string Country { get; init; }

    [Field(Ge = 1, Le = 10)]
    public int Level { get; init; }

    [Field(MaxLength = 10)]
    public List<string> Tags { get; init; } = [];

    [Field(Pattern = @"^\+?[0-9 ]{7,15}$")]
    public required string Phone { get; init; }

    public required BenchAddress Address { get; init; }
}

/// <summary>The nested model.</summary>
public sealed class BenchAddress : XModel<BenchAddress>
{
    [Field(MinLength = 1)]
    public required string Street { get; init; }

    [Field(Pattern = @"^\d{5}$")]
    public required string Zip { get; init; }

    public string? City { get; init; }
}

/// <summary>The plain object the FluentValidation and DataAnnotations routes bind with System.Text.Json.</summary>
public sealed class PocoUser
{
    [Required]
    [StringLength(50, MinimumLength = 1)]
    public string Name { get; set; } = "";

    [Range(0, 150)]
    public int Age { get; set; }

    [RegularExpression(@"[^@]+@[^@]+\.[^@]+")]
    public string Email { get; set; } = "";

    [Range(0.0, 100.0)]
    public double Score { get; set; }

    public bool Active { get; set; }

    [StringLength(2, MinimumLength = 2)]
    public string Country { get; set; } = "";

    [Range(1, 10)]
    public int Level { get; set; }

    [MaxLength(10)]
    public List<string> Tags { get; set; } = [];

    [RegularExpression(@"\+?[0-9 ]{7,15}")]
    public string Phone { get; set; } = "";

    [Required]
    public PocoAddress? Address { get; set; }
}

/// <summary>The nested plain object.</summary>
public sealed class PocoAddress
{
    [Required]
    [MinLength(1)]
    public string Street { get; set; } = "";

    [RegularExpression(@"\d{5}")]
    public string Zip { get; set; } = "";

    public string? City { get; set; }
}

/// <summary>The same rules written for FluentValidation.</summary>
public sealed class PocoAddressValidator : AbstractValidator<PocoAddress>
{
    /// <summary>Creates the rules.</summary>
    public PocoAddressValidator()
    {
        RuleFor(a => a.Street).NotNull().MinimumLength(1);
        RuleFor(a => a.Zip).NotNull().Matches(@"^\d{5}$");
    }
}

/// <summary>The same rules written for FluentValidation.</summary>
public sealed class PocoUserValidator : AbstractValidator<PocoUser>
{
    /// <summary>Creates the rules.</summary>
    public PocoUserValidator()
    {
        RuleFor(u => u.Name).NotNull().Length(1, 50);
        RuleFor(u => u.Age).InclusiveBetween(0, 150);
        RuleFor(u => u.Email).NotNull().Matches(@"^[^@]+@[^@]+\.[^@]+$");
        RuleFor(u => u.Score).InclusiveBetween(0, 100);
        RuleFor(u => u.Country).NotNull().Length(2, 2);
        RuleFor(u => u.Level).InclusiveBetween(1, 10);
        RuleFor(u => u.Tags).NotNull().Must(t => t.Count <= 10);
        RuleFor(u => u.Phone).NotNull().Matches(@"^\+?[0-9 ]{7,15}$");
        RuleFor(u => u.Address).NotNull().SetValidator(new PocoAddressValidator()!);
    }
}

/// <summary>
/// Validating a 10-field model with one nested model: XSystem.Validation from JSON text and from a JsonNode against
/// System.Text.Json deserialization plus FluentValidation (baseline) and plus DataAnnotations.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private const string Json = """
        {"name":"Ada Example","age":36,"email":"ada@example.com","score":88.5,"active":true,"country":"GB","level":7,
         "tags":["admin","ops","beta"],"phone":"+44 20 7946 0000","address":{"street":"1 Main Road","zip":"12345","city":"London"}}
        """;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly PocoUserValidator _fluent = new();
    private JsonNode _node = null!;

    /// <summary>Parses the node once and checks that every route accepts the sample.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _node = JsonNode.Parse(Json)!;
        if (!FluentFromText() || !XSystemFromText() || !XSystemFromNode() || !DataAnnotationsFromText() || !FluentFromNode())
        {
            throw new InvalidOperationException("A route rejected the valid sample.");
        }
    }

    /// <summary>System.Text.Json deserialization plus FluentValidation (the anchor).</summary>
    /// <returns>True when valid.</returns>
    [Benchmark(Baseline = true, Description = "STJ Deserialize + FluentValidation (text)")]
    public bool FluentFromText() => _fluent.Validate(JsonSerializer.Deserialize<PocoUser>(Json, Web)!).IsValid;

    /// <summary>XSystem.Validation from JSON text.</summary>
    /// <returns>True when valid.</returns>
    [Benchmark(Description = "XModel.ModelValidateJson (text)")]
    public bool XSystemFromText() => BenchUser.TryModelValidate(Json, out _, out _);

    /// <summary>System.Text.Json deserialization of a JsonNode plus FluentValidation.</summary>
    /// <returns>True when valid.</returns>
    [Benchmark(Description = "JsonNode.Deserialize + FluentValidation (node)")]
    public bool FluentFromNode() => _fluent.Validate(_node.Deserialize<PocoUser>(Web)!).IsValid;

    /// <summary>XSystem.Validation from a JsonNode.</summary>
    /// <returns>True when valid.</returns>
    [Benchmark(Description = "XModel.ModelValidate (JsonNode)")]
    public bool XSystemFromNode() => BenchUser.TryModelValidate(_node, out _, out _);

    /// <summary>System.Text.Json deserialization plus DataAnnotations (top level and the nested object by hand, since it does not recurse).</summary>
    /// <returns>True when valid.</returns>
    [Benchmark(Description = "STJ Deserialize + DataAnnotations (text)")]
    public bool DataAnnotationsFromText()
    {
        var user = JsonSerializer.Deserialize<PocoUser>(Json, Web)!;
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(user, new ValidationContext(user), results, validateAllProperties: true)
            && Validator.TryValidateObject(user.Address!, new ValidationContext(user.Address!), results, validateAllProperties: true);
    }
}

/// <summary>The seed's User (with a nested address and the "30" coercion) from a dictionary: the figure compared with pydantic.</summary>
[MemoryDiagnoser]
public class PydanticSeedBenchmarks
{
    private Dictionary<string, object?> _input = null!;

    /// <summary>Builds the input once.</summary>
    [GlobalSetup]
    public void Setup() => _input = PydanticSeed.Input();

    /// <summary>Validates the seed user.</summary>
    /// <returns>The age (30).</returns>
    [Benchmark(Description = "User.ModelValidate(dict) with nested address and \"30\"")]
    public int SeedUser() => SeedUserModel.ModelValidate(_input).Age;
}

/// <summary>The seed's address model.</summary>
public sealed class SeedAddress : XModel<SeedAddress>
{
    /// <summary>Street.</summary>
    public required string Street { get; init; }

    /// <summary>City.</summary>
    public required string City { get; init; }

    /// <summary>Postal code.</summary>
    [Field(Pattern = @"^\d{5}$")]
    public required string Zip { get; init; }
}

/// <summary>The seed's User model (the issue's example).</summary>
public sealed class SeedUserModel : XModel<SeedUserModel>
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Age.</summary>
    [Field(Ge = 0, Le = 150)]
    public int Age { get; init; }

    /// <summary>Email.</summary>
    [Field(Pattern = @"^[^@]+@[^@]+\.[^@]+$")]
    public string Email { get; init; } = "";

    /// <summary>Address.</summary>
    public SeedAddress? Address { get; init; }

    /// <summary>Tags.</summary>
    public List<string> Tags { get; init; } = [];
}

/// <summary>The input used by both the C# and the Python side.</summary>
public static class PydanticSeed
{
    /// <summary>Builds the dictionary.</summary>
    /// <returns>A new input dictionary.</returns>
    public static Dictionary<string, object?> Input() => new()
    {
        ["name"] = "John",
        ["age"] = "30",
        ["email"] = "john@example.com",
        ["address"] = new Dictionary<string, object?> { ["street"] = "1 Main St", ["city"] = "Springfield", ["zip"] = "12345" },
        ["tags"] = new List<object?> { "a", "b" },
    };
}
