namespace XSystem.Serialization.Toml.Internal;

/// <summary>Cheap content detection: looks at up to 64 lines of the sample, never throws.</summary>
internal static class TomlProbe
{
    private const int MaxLines = 64;

    public static double Score(ReadOnlySpan<byte> sample)
    {
        int typed = 0;     // key = <TOML value>
        int untyped = 0;   // key = bare words (INI style)
        int headers = 0;   // [table]
        int arrays = 0;    // [[array of tables]]
        int other = 0;     // lines TOML cannot start with
        int lines = 0;
        bool inArray = false;
        bool inMultiLine = false;
        ReadOnlySpan<byte> rest = sample;
        while (!rest.IsEmpty && lines < MaxLines)
        {
            int newline = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? [] : rest[(newline + 1)..];
            line = line.Trim(" \t\r"u8);
            if (inMultiLine)
            {
                inMultiLine = line.IndexOf("\"\"\""u8) < 0 && line.IndexOf("'''"u8) < 0;
                continue;
            }

            if (inArray)
            {
                inArray = !(line.Length > 0 && line[0] == ']');
                continue;
            }

            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            lines++;
            if (line[0] == '[')
            {
                int close = line.IndexOf((byte)']');
                if (close > 1 && IsKeyText(line[1..close].Trim("[ \t"u8)))
                {
                    if (line.Length > 1 && line[1] == '[')
                    {
                        arrays++;
                    }
                    else
                    {
                        headers++;
                    }
                }
                else
                {
                    other++;
                }

                continue;
            }

            int equals = line.IndexOf((byte)'=');
            if (equals <= 0 || !IsKeyText(line[..equals].Trim(" \t"u8)))
            {
                other++;
                continue;
            }

            ReadOnlySpan<byte> value = line[(equals + 1)..].Trim(" \t"u8);
            if (IsTomlValueStart(value))
            {
                typed++;
                if (value.StartsWith("\"\"\""u8) || value.StartsWith("'''"u8))
                {
                    inMultiLine = value.Length < 6 || (value[3..].IndexOf("\"\"\""u8) < 0 && value[3..].IndexOf("'''"u8) < 0);
                }
                else if (value[0] == '[' && value.IndexOf((byte)']') < 0)
                {
                    inArray = true;
                }
            }
            else
            {
                untyped++;
            }
        }

        int pairs = typed + untyped;
        if (lines == 0 || (typed == 0 && arrays == 0))
        {
            // Only headers and INI-style values: could be TOML, more likely INI.
            return other == 0 && (headers > 0 || untyped > 0) ? 0.2 : 0;
        }

        double score = 0.55 + (0.4 * typed / Math.Max(1, pairs));
        if (arrays > 0)
        {
            score += 0.05;
        }

        score -= 0.3 * other / lines;
        return Math.Clamp(score, 0, 1);
    }

    private static bool IsKeyText(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty)
        {
            return false;
        }

        foreach (byte b in key)
        {
            bool ok = (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9
                || b is (byte)'_' or (byte)'-' or (byte)'.' or (byte)' ' or (byte)'\t' or (byte)'"' or (byte)'\'' || b >= 0x80;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTomlValueStart(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        byte b = value[0];
        if (b is (byte)'"' or (byte)'\'' or (byte)'[' or (byte)'{' or (byte)'+' or (byte)'-' || (uint)(b - '0') <= 9)
        {
            // A number or date must be a single token: "1 2 3" or "10 apples" is INI.
            if ((uint)(b - '0') <= 9 || b is (byte)'+' or (byte)'-')
            {
                int space = value.IndexOfAny((byte)' ', (byte)'\t');
                if (space > 0)
                {
                    ReadOnlySpan<byte> after = value[space..].TrimStart(" \t"u8);
                    bool dateTime = space == 10 && after.Length >= 2 && (uint)(after[0] - '0') <= 9;
                    if (!after.IsEmpty && after[0] != '#' && !dateTime)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        return IsWord(value, "true"u8) || IsWord(value, "false"u8) || IsWord(value, "inf"u8) || IsWord(value, "nan"u8);
    }

    private static bool IsWord(ReadOnlySpan<byte> value, ReadOnlySpan<byte> word) =>
        value.StartsWith(word) && (value.Length == word.Length || value[word.Length] is (byte)' ' or (byte)'\t' or (byte)'#');
}
