using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Toml.Tests;

/// <summary>Small helpers: parse and write TOML text through <see cref="TomlFormat"/>.</summary>
internal static class TomlText
{
    public static readonly TomlFormat Format = new();

    public static JsonObject Parse(string text, SerializerOptions? options = null) =>
        (JsonObject)Format.Parse(Encoding.UTF8.GetBytes(text), options ?? SerializerOptions.Default)!;

    public static string Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, options ?? SerializerOptions.Default);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
