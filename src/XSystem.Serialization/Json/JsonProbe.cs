using System.Text.Json;

namespace XSystem.Serialization.Json;

/// <summary>Content scores for JSON and JSON Lines from a sample that may be cut off.</summary>
internal static class JsonProbe
{
    public static (double Json, double JsonLines) Score(ReadOnlySpan<byte> sample)
    {
        sample = Internal.FormatGuards.SkipUtf8Bom(sample);
        int start = 0;
        while (start < sample.Length && IsWhite(sample[start]))
        {
            start++;
        }

        if (start == sample.Length)
        {
            return (0, 0);
        }

        byte first = sample[start];
        bool container = first is (byte)'{' or (byte)'[';
        bool scalarStart = first is (byte)'"' or (byte)'-' or (>= (byte)'0' and <= (byte)'9') or (byte)'t' or (byte)'f' or (byte)'n';
        if (!container && !scalarStart)
        {
            return (0, 0);
        }

        // Read value after value; the sample may end in the middle of one.
        var reader = new Utf8JsonReader(sample[start..], isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 256 }));
        int completeValues = 0;
        int depth = 0;
        long lastValueEnd = 0;
        bool sameLineSecondValue = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (depth == 0)
                        {
                            sameLineSecondValue |= completeValues > 0 && !NewlineBetween(sample[start..], lastValueEnd, reader.TokenStartIndex);
                        }

                        depth++;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        depth--;
                        if (depth == 0)
                        {
                            completeValues++;
                            lastValueEnd = reader.BytesConsumed;
                        }

                        break;
                    case JsonTokenType.PropertyName:
                        break;
                    default:
                        if (depth == 0)
                        {
                            sameLineSecondValue |= completeValues > 0 && !NewlineBetween(sample[start..], lastValueEnd, reader.TokenStartIndex);
                            completeValues++;
                            lastValueEnd = reader.BytesConsumed;
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Invalid JSON somewhere in the sample: not JSON, not JSON Lines (JSON5 or YAML may claim it).
            return (0, 0);
        }

        if (sameLineSecondValue)
        {
            return (0.1, 0.1);
        }

        if (completeValues >= 2)
        {
            return (0.05, 0.95);
        }

        if (!container)
        {
            // A bare scalar such as 42 or "text" is valid JSON but says little.
            return completeValues == 1 ? (0.35, 0.2) : (0.1, 0.05);
        }

        return completeValues == 1 ? (0.95, 0.4) : (0.8, 0.3);
    }

    private static bool NewlineBetween(ReadOnlySpan<byte> data, long from, long to)
    {
        int a = (int)Math.Clamp(from, 0, data.Length);
        int b = (int)Math.Clamp(to, a, data.Length);
        return data[a..b].Contains((byte)'\n');
    }

    private static bool IsWhite(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
