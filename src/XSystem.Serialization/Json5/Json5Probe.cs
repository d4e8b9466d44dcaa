namespace XSystem.Serialization.Internal;

/// <summary>
/// Content detection for JSON5: a JSON-like document scores high when it uses something only JSON5 allows (comments,
/// unquoted member names, single quotes, trailing commas, hex, NaN/Infinity); plain JSON scores below the JSON format.
/// </summary>
internal static class Json5Probe
{
    private const double Json5Only = 0.9;
    private const double PlainJson = 0.4;

    public static double Score(ReadOnlySpan<byte> sample)
    {
        try
        {
            return ScoreCore(FormatGuards.SkipUtf8Bom(sample));
        }
#pragma warning disable CA1031 // Probe must never throw; a failure means "not this format".
        catch (Exception)
#pragma warning restore CA1031
        {
            return 0;
        }
    }

    private static double ScoreCore(ReadOnlySpan<byte> s)
    {
        int signals = 0;
        int i = SkipTrivia(s, 0, ref signals);
        if (i >= s.Length || s[i] is not ((byte)'{' or (byte)'['))
        {
            return 0;
        }

        // Which containers are open: true for an object. Deeper than the buffer: treat as an array.
        Span<bool> objects = stackalloc bool[64];
        int depth = 0;
        bool expectKey = false;
        bool expectValue = true;
        while (i < s.Length)
        {
            i = SkipTrivia(s, i, ref signals);
            if (i >= s.Length)
            {
                break;
            }

            byte c = s[i];
            if (expectKey && c != (byte)'}')
            {
                if (c == (byte)'\'')
                {
                    signals++;
                }

                if (c is (byte)'"' or (byte)'\'')
                {
                    i = SkipString(s, i);
                }
                else if (IsIdentifierByte(c) && !IsDigit(c))
                {
                    while (i < s.Length && (IsIdentifierByte(s[i]) || s[i] >= 0x80))
                    {
                        i++;
                    }

                    signals++;
                }
                else
                {
                    return 0;
                }

                i = SkipTrivia(s, i, ref signals);
                if (i < s.Length && s[i] != (byte)':')
                {
                    return 0;
                }

                i++;
                expectKey = false;
                expectValue = true;
                continue;
            }

            switch (c)
            {
                case (byte)'{':
                case (byte)'[':
                    if (!expectValue)
                    {
                        return 0;
                    }

                    if (depth < objects.Length)
                    {
                        objects[depth] = c == (byte)'{';
                    }

                    depth++;
                    expectKey = c == (byte)'{';
                    expectValue = c == (byte)'[';
                    i++;
                    continue;
                case (byte)'}':
                case (byte)']':
                    if (depth == 0)
                    {
                        return 0;
                    }

                    depth--;
                    expectKey = false;
                    expectValue = false;
                    i++;
                    if (depth == 0)
                    {
                        // The document ended; anything but trivia after it is not JSON5.
                        i = SkipTrivia(s, i, ref signals);
                        return i < s.Length ? 0 : Result(signals);
                    }

                    continue;
                case (byte)',':
                    {
                        i++;
                        int after = SkipTrivia(s, i, ref signals);
                        if (after < s.Length && s[after] is (byte)'}' or (byte)']')
                        {
                            signals++;
                        }

                        bool inObject = depth - 1 < objects.Length && depth > 0 && objects[depth - 1];
                        expectKey = inObject;
                        expectValue = !inObject;
                        continue;
                    }

                case (byte)'"':
                case (byte)'\'':
                    if (!expectValue)
                    {
                        return 0;
                    }

                    signals += c == (byte)'\'' ? 1 : 0;
                    i = SkipString(s, i);
                    expectValue = false;
                    continue;
                default:
                    if (!expectValue)
                    {
                        return 0;
                    }

                    int start = i;
                    while (i < s.Length && (IsIdentifierByte(s[i]) || s[i] is (byte)'+' or (byte)'-' or (byte)'.'))
                    {
                        i++;
                    }

                    if (i == start)
                    {
                        return 0;
                    }

                    ReadOnlySpan<byte> word = s[start..i];
                    if (word.SequenceEqual("true"u8) || word.SequenceEqual("false"u8) || word.SequenceEqual("null"u8))
                    {
                        // plain JSON
                    }
                    else if (IsDigit(word[0]) || (word.Length > 1 && word[0] == (byte)'-' && IsDigit(word[1])))
                    {
                        if (word.Length > 1 && (word[1] | 0x20) == (byte)'x' || word[^1] == (byte)'.')
                        {
                            signals++;
                        }
                    }
                    else if (word[0] is (byte)'+' or (byte)'.' || word.IndexOf("Infinity"u8) >= 0 || word.IndexOf("NaN"u8) >= 0)
                    {
                        signals++;
                    }
                    else
                    {
                        return 0;
                    }

                    expectValue = false;
                    continue;
            }
        }

        // The sample was cut off inside the document: judge what was seen.
        return Result(signals);
    }

    private static double Result(int signals) => signals > 0 ? Json5Only : PlainJson;

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    private static bool IsIdentifierByte(byte c) => (uint)((c | 0x20) - 'a') <= 25 || IsDigit(c) || c is (byte)'$' or (byte)'_';

    private static int SkipString(ReadOnlySpan<byte> s, int i)
    {
        byte quote = s[i];
        i++;
        while (i < s.Length && s[i] != quote)
        {
            i += s[i] == (byte)'\\' ? 2 : 1;
        }

        return i + 1;
    }

    private static int SkipTrivia(ReadOnlySpan<byte> s, int i, ref int signals)
    {
        while (i < s.Length)
        {
            byte c = s[i];
            if (c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                i++;
            }
            else if (c == (byte)'/' && i + 1 < s.Length && s[i + 1] == (byte)'/')
            {
                signals++;
                int end = s[i..].IndexOf((byte)'\n');
                i = end < 0 ? s.Length : i + end + 1;
            }
            else if (c == (byte)'/' && i + 1 < s.Length && s[i + 1] == (byte)'*')
            {
                signals++;
                int end = s[(i + 2)..].IndexOf("*/"u8);
                i = end < 0 ? s.Length : i + 2 + end + 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }
}
