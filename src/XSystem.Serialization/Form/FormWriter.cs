using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>
/// The WHATWG <c>application/x-www-form-urlencoded</c> serializer: ASCII letters, digits and <c>*-._</c> stay, a space
/// becomes <c>+</c>, every other UTF-8 byte becomes <c>%XX</c>.
/// </summary>
internal static class FormWriter
{
    public static void Write(JsonNode? tree, IBufferWriter<byte> output, FormOptions form)
    {
        bool first = true;
        FormTreeFlattener.Flatten(tree, FormUrlEncodedFormat.FormatName, form.BracketNesting, static _ => false, (name, value) =>
        {
            if (!first)
            {
                output.Write("&"u8);
            }

            first = false;
            Encode(name, output);
            output.Write("="u8);
            Encode(TreeScalars.ToText((JsonValue)value), output);
        });
    }

    public static void Encode(string text, IBufferWriter<byte> output)
    {
        if (text.Length == 0)
        {
            return;
        }

        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            int count = Encoding.UTF8.GetBytes(text, rented);
            Span<byte> span = output.GetSpan(count * 3);
            int at = 0;
            for (int i = 0; i < count; i++)
            {
                byte b = rented[i];
                if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'*' or (byte)'-' or (byte)'.' or (byte)'_')
                {
                    span[at++] = b;
                }
                else if (b == (byte)' ')
                {
                    span[at++] = (byte)'+';
                }
                else
                {
                    span[at++] = (byte)'%';
                    span[at++] = (byte)"0123456789ABCDEF"[b >> 4];
                    span[at++] = (byte)"0123456789ABCDEF"[b & 0xF];
                }
            }

            output.Advance(at);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
