using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>
/// The WHATWG <c>application/x-www-form-urlencoded</c> parser: split on <c>&amp;</c>, skip empty sequences, split each at the
/// first <c>=</c>, turn <c>+</c> into a space, percent-decode bytes (invalid escapes stay literal), decode UTF-8 with U+FFFD
/// for invalid sequences.
/// </summary>
internal static class FormReader
{
    public static JsonObject Read(ReadOnlySpan<byte> data, SerializerOptions options, FormOptions form)
    {
        // A file that ends with a line break: the break is not part of the last value (encoded data never holds a raw one).
        if (data.EndsWith("\r\n"u8))
        {
            data = data[..^2];
        }
        else if (data.EndsWith("\n"u8))
        {
            data = data[..^1];
        }

        var builder = new FormTreeBuilder(
            FormUrlEncodedFormat.FormatName, form.BracketNesting, options, form.MaxPairs, "MaxPairs", "set FormOptions.MaxPairs higher");
        while (!data.IsEmpty)
        {
            int amp = data.IndexOf((byte)'&');
            ReadOnlySpan<byte> sequence = amp < 0 ? data : data[..amp];
            data = amp < 0 ? [] : data[(amp + 1)..];
            if (sequence.IsEmpty)
            {
                continue;
            }

            int eq = sequence.IndexOf((byte)'=');
            string name = Decode(eq < 0 ? sequence : sequence[..eq]);
            string value = eq < 0 ? string.Empty : Decode(sequence[(eq + 1)..]);
            builder.Add(name, JsonValue.Create(value));
        }

        return builder.Root;
    }

    /// <summary>Decodes one name or value: <c>+</c> to space, <c>%XX</c> to a byte, then UTF-8 with replacement.</summary>
    public static string Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'+', (byte)'%') < 0)
        {
            return Encoding.UTF8.GetString(raw);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            int length = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                byte b = raw[i];
                if (b == (byte)'+')
                {
                    b = (byte)' ';
                }
                else if (b == (byte)'%' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
                {
                    b = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                    i += 2;
                }

                rented[length++] = b;
            }

            return Encoding.UTF8.GetString(rented, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
