using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace XSystem.Serialization.MessagePack.Internal;

/// <summary>Creates typed <see cref="JsonValue"/>s for values JSON text cannot hold, without per-call reflection.</summary>
internal static class TypedValues
{
    private static readonly JsonSerializerOptions MetadataOptions = new() { TypeInfoResolver = JsonTypeInfoResolver.Combine() };

    private static readonly JsonTypeInfo<byte[]> BytesInfo =
        JsonMetadataServices.CreateValueInfo<byte[]>(MetadataOptions, JsonMetadataServices.ByteArrayConverter);

    private static readonly JsonTypeInfo<ulong> UInt64Info =
        JsonMetadataServices.CreateValueInfo<ulong>(MetadataOptions, JsonMetadataServices.UInt64Converter);

    public static JsonValue Create(byte[] value) => JsonValue.Create(value, BytesInfo)!;

    public static JsonValue Create(ulong value) => JsonValue.Create(value, UInt64Info)!;

    /// <summary>Reads an integral <see cref="JsonValue"/> of any CLR integer type (or <see cref="BigInteger"/>) as a <see cref="BigInteger"/>.</summary>
    public static bool TryGetInteger(JsonValue value, out BigInteger result)
    {
        if (value.TryGetValue(out long l)) { result = l; return true; }
        if (value.TryGetValue(out int i)) { result = i; return true; }
        if (value.TryGetValue(out ulong ul)) { result = ul; return true; }
        if (value.TryGetValue(out uint ui)) { result = ui; return true; }
        if (value.TryGetValue(out short s)) { result = s; return true; }
        if (value.TryGetValue(out ushort us)) { result = us; return true; }
        if (value.TryGetValue(out byte b)) { result = b; return true; }
        if (value.TryGetValue(out sbyte sb)) { result = sb; return true; }
        if (value.TryGetValue(out BigInteger big)) { result = big; return true; }
        if (value.TryGetValue(out JsonElement element) && element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetInt64(out long fromElement)) { result = fromElement; return true; }
            if (element.TryGetUInt64(out ulong fromElementU)) { result = fromElementU; return true; }
        }

        result = default;
        return false;
    }
}
