using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace XSystem.Serialization.Yaml.Internal;

/// <summary>Creates typed <see cref="JsonValue"/>s for values JSON text cannot hold, without reflection (AOT-safe).</summary>
internal static class TypedValues
{
    private static readonly JsonSerializerOptions MetadataOptions = new() { TypeInfoResolver = JsonTypeInfoResolver.Combine() };

    private static readonly JsonTypeInfo<BigInteger> BigIntegerInfo =
        JsonMetadataServices.CreateValueInfo<BigInteger>(MetadataOptions, new BigIntegerConverter());

    private static readonly JsonTypeInfo<byte[]> BytesInfo =
        JsonMetadataServices.CreateValueInfo<byte[]>(MetadataOptions, JsonMetadataServices.ByteArrayConverter);

    private static readonly JsonTypeInfo<DateOnly> DateOnlyInfo =
        JsonMetadataServices.CreateValueInfo<DateOnly>(MetadataOptions, JsonMetadataServices.DateOnlyConverter);

    public static JsonValue Create(BigInteger value) => JsonValue.Create(value, BigIntegerInfo)!;

    public static JsonValue Create(byte[] value) => JsonValue.Create(value, BytesInfo)!;

    public static JsonValue Create(DateOnly value) => JsonValue.Create(value, DateOnlyInfo)!;

    /// <summary>Writes a <see cref="BigInteger"/> as a JSON number and reads one back.</summary>
    private sealed class BigIntegerConverter : JsonConverter<BigInteger>
    {
        public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException("Expected a JSON number for a BigInteger.");
            }

            string text = reader.HasValueSequence
                ? System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence))
                : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            return BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }
}
