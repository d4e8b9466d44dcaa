using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace XSystem.Serialization.Toml.Internal;

/// <summary>Creates typed <see cref="JsonValue"/>s for the TOML types the non-generic factory methods lack, without reflection.</summary>
internal static class TomlValues
{
    public static JsonValue Create(DateOnly value) => JsonValue.Create(value, TomlJsonContext.Default.DateOnly)!;

    public static JsonValue Create(TimeOnly value) => JsonValue.Create(value, TomlJsonContext.Default.TimeOnly)!;
}

/// <summary>Source-generated metadata for the date and time types, so typed values work under trimming and AOT.</summary>
[JsonSerializable(typeof(DateOnly))]
[JsonSerializable(typeof(TimeOnly))]
internal sealed partial class TomlJsonContext : JsonSerializerContext;
