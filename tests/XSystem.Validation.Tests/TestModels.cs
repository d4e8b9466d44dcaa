using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;

namespace XSystem.Validation.Tests;

public sealed class Address : XModel<Address>
{
    public required string Street { get; init; }

    [Field(Pattern = @"^\d{5}$", Description = "Five-digit postal code")]
    public string Zip { get; init; } = "00000";

    public string? City { get; init; }
}

public sealed class User : XModel<User>
{
    public required string Name { get; init; }

    [Field(Ge = 0, Le = 150)]
    public int Age { get; init; }

    [Field(Pattern = @"^[^@]+@[^@]+\.[^@]+$")]
    public string Email { get; init; } = "";

    public Address? Address { get; init; }

    public List<string> Tags { get; init; } = [];
}

public enum Color
{
    Red = 1,
    Green = 2,
    Blue = 3,
}

public sealed class Scalars : XModel<Scalars>
{
    public int? I { get; init; }

    public long? L { get; init; }

    public byte? B { get; init; }

    public double? D { get; init; }

    public float? F { get; init; }

    public decimal? M { get; init; }

    public bool? Flag { get; init; }

    public string? S { get; init; }

    public Color? Color { get; init; }

    public DateTime? When { get; init; }

    public DateTimeOffset? At { get; init; }

    public DateOnly? Day { get; init; }

    public TimeOnly? Clock { get; init; }

    public TimeSpan? Span { get; init; }

    public Guid? Id { get; init; }

    public Uri? Link { get; init; }
}

public sealed class Constrained : XModel<Constrained>
{
    [Field(Ge = 0, Le = 10)]
    public int? A { get; init; }

    [Field(Gt = 0, Lt = 1)]
    public double? B { get; init; }

    [Field(MultipleOf = 5)]
    public int? C { get; init; }

    [Field(MinLength = 2, MaxLength = 4)]
    public string? S { get; init; }

    [Field(Pattern = "ab")]
    public string? P { get; init; }

    [Field(MinLength = 1, MaxLength = 2)]
    public List<int>? Items { get; init; }

    [Field(MultipleOf = 0.5, Ge = -1)]
    public decimal? Half { get; init; }
}

public sealed class Annotated : XModel<Annotated>
{
    [Range(1, 5)]
    public int R { get; init; } = 1;

    [StringLength(5, MinimumLength = 2)]
    public string? Sl { get; init; }

    [RegularExpression("[a-z]+")]
    public string? Re { get; init; }

    [EmailAddress]
    public string? Email { get; init; }

    [Url]
    public string? Url { get; init; }

    [Required]
    public string? Req { get; init; }

    [MinLength(1)]
    [MaxLength(2)]
    public List<string>? Ml { get; init; }
}

[ModelConfig(Extra = ExtraPolicy.Forbid)]
public sealed class Closed : XModel<Closed>
{
    public int X { get; init; } = 1;
}

[ModelConfig(Extra = ExtraPolicy.Allow)]
public sealed class Open : XModel<Open>
{
    public int X { get; init; } = 1;
}

[ModelConfig(Strict = true)]
public sealed class StrictModel : XModel<StrictModel>
{
    public int N { get; init; }

    public bool Ok { get; init; }
}

public sealed class Collections : XModel<Collections>
{
    public List<int> Ints { get; init; } = [];

    public int[] Arr { get; init; } = [];

    public Dictionary<string, int> Map { get; init; } = [];

    public List<Address> Addresses { get; init; } = [];

    public Dictionary<string, Address> ByName { get; init; } = [];

    public List<string?> Maybe { get; init; } = [];

    public HashSet<string> Set { get; init; } = [];

    public IReadOnlyList<double> Ro { get; init; } = [];
}

public sealed record Point(int X, int Y, string Label = "p");

public sealed record Segment(Point From, Point To, [property: Field(Ge = 0)] double? Weight = null);

public sealed class Node : XModel<Node>
{
    public required string Name { get; init; }

    public List<Node> Children { get; init; } = [];

    public Node? Next { get; init; }
}

public sealed class Signup : XModel<Signup>
{
    public string Name { get; init; } = null!;

    public required string Password { get; init; }

    public required string Confirm { get; init; }

    [FieldValidator(nameof(Name))]
    private static string NoSpaces(string value)
    {
        if (value.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("must not contain spaces");
        }

        return value.ToUpperInvariant();
    }

    protected override void Validate(ModelErrors errors)
    {
        if (Password != Confirm)
        {
            errors.Add(nameof(Confirm), "passwords do not match");
        }
    }
}

public sealed class RequiredRules : XModel<RequiredRules>
{
    public int NoInit { get; init; }

    public int WithInit { get; init; } = 5;

    public string Str { get; init; } = null!;

    public string? Opt { get; init; }

    public int? OptInt { get; init; }

    [Field(Default = 7)]
    public int Defaulted { get; init; }

    [Field(Alias = "full_name")]
    public string FullName { get; init; } = "x";

    // "= 0" would not do: optimized builds drop initializers equal to the default value, so Default says it.
    [Field(Strict = true, Default = 0)]
    public int StrictInt { get; init; }
}

public sealed class Shop(string owner) : XModel<Shop>
{
    public string Owner { get; } = owner;

    public List<Address> Branches { get; init; } = [];
}

public sealed class AnyModel : XModel<AnyModel>
{
    public JsonNode? Payload { get; init; }

    public JsonObject? Meta { get; init; }
}
