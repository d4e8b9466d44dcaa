using System.Buffers;

namespace XSystem.Serialization.Yaml.Internal;

/// <summary>Cheap content detection for YAML: looks at the first lines of the sample only; never throws.</summary>
internal static class YamlProbe
{
    private const int MaxLines = 50;

    private static readonly SearchValues<byte> KeyBreakers = SearchValues.Create("={}[],"u8);

    public static double Score(ReadOnlySpan<byte> sample)
    {
        sample = sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? sample[3..] : sample;
        if (sample.IsEmpty)
        {
            return 0;
        }

        if (sample.StartsWith("%YAML"u8) || sample.StartsWith("---\n"u8) || sample.StartsWith("---\r\n"u8) || sample.StartsWith("--- "u8))
        {
            return 0.95;
        }

        int keyLines = 0;
        int listLines = 0;
        int otherLines = 0;
        int lines = 0;
        while (!sample.IsEmpty && lines < MaxLines)
        {
            int end = sample.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? sample : sample[..end];
            sample = end < 0 ? [] : sample[(end + 1)..];
            line = line.TrimEnd((byte)'\r');
            ReadOnlySpan<byte> body = line.TrimStart((byte)' ');
            if (body.IsEmpty || body[0] == (byte)'#')
            {
                continue;
            }

            lines++;
            if (lines == 1 && body[0] is (byte)'{' or (byte)'[' or (byte)'<' or (byte)'"')
            {
                // JSON, XML and friends: YAML can read JSON, but the JSON formats should win.
                return body[0] == (byte)'<' ? 0 : 0.1;
            }

            if (body[0] == (byte)'\t' || body.Contains((byte)0))
            {
                return 0;
            }

            if (body.StartsWith("- "u8) || body.SequenceEqual("-"u8))
            {
                listLines++;
            }
            else if (IsKeyLine(body))
            {
                keyLines++;
            }
            else if (body[0] == (byte)'[' && body[^1] == (byte)']')
            {
                // An INI or TOML section header.
                return 0.05;
            }
            else
            {
                otherLines++;
            }
        }

        if (lines == 0)
        {
            return 0.05;
        }

        double structured = (double)(keyLines + listLines) / lines;
        if (keyLines + listLines == 0)
        {
            return 0.05;
        }

        return Math.Clamp(0.3 + (0.6 * structured) - (otherLines > lines / 2 ? 0.2 : 0), 0, 0.9);
    }

    /// <summary>A line like <c>name: value</c> or <c>name:</c> with a plain or quoted key.</summary>
    private static bool IsKeyLine(ReadOnlySpan<byte> body)
    {
        int colon = body.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        if (colon + 1 < body.Length && body[colon + 1] is not ((byte)' ' or (byte)'\t'))
        {
            return false;
        }

        ReadOnlySpan<byte> key = body[..colon];
        if (key.IndexOfAny(KeyBreakers) >= 0 && key[0] is not ((byte)'"' or (byte)'\''))
        {
            return false;
        }

        return true;
    }
}
