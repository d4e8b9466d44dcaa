namespace XSystem.Serialization.Internal;

/// <summary>
/// Content detection for form URL encoding: one line of <c>name=value</c> pairs joined by <c>&amp;</c>, made only of the
/// characters a form encoder emits (letters, digits, <c>*-._~+%</c>, <c>%XX</c> escapes) plus the few that hand-written query
/// strings use. Several pairs score high; a single <c>key=value</c> scores below the detection threshold because INI, env
/// files and properties look the same.
/// </summary>
internal static class FormProbe
{
    public static double Score(ReadOnlySpan<byte> sample)
    {
        sample = FormatGuards.SkipUtf8Bom(sample);
        if (sample.EndsWith("\r\n"u8))
        {
            sample = sample[..^2];
        }
        else if (sample.EndsWith("\n"u8))
        {
            sample = sample[..^1];
        }

        if (sample.IsEmpty)
        {
            return 0;
        }

        int pairs = 0, sequences = 0;
        bool escapes = false, sequenceHasEquals = false, sequenceEmpty = true;
        for (int i = 0; i < sample.Length; i++)
        {
            byte b = sample[i];
            switch (b)
            {
                case (byte)'&':
                    if (!sequenceEmpty)
                    {
                        sequences++;
                        pairs += sequenceHasEquals ? 1 : 0;
                    }

                    sequenceHasEquals = false;
                    sequenceEmpty = true;
                    continue;
                case (byte)'=':
                    if (sequenceEmpty)
                    {
                        return 0; // a pair without a name: possible, but not worth claiming
                    }

                    sequenceHasEquals = true;
                    continue;
                case (byte)'%':
                    if (i + 2 < sample.Length)
                    {
                        if (!char.IsAsciiHexDigit((char)sample[i + 1]) || !char.IsAsciiHexDigit((char)sample[i + 2]))
                        {
                            return 0;
                        }

                        i += 2;
                    }

                    escapes = true;
                    break;
                case (byte)'+':
                    escapes = true;
                    break;
                default:
                    if (!char.IsAsciiLetterOrDigit((char)b) && "*-._~[]!'(),;:/?@$"u8.IndexOf(b) < 0)
                    {
                        return 0;
                    }

                    break;
            }

            sequenceEmpty = false;
        }

        if (!sequenceEmpty)
        {
            sequences++;
            pairs += sequenceHasEquals ? 1 : 0;
        }

        if (pairs == 0)
        {
            return 0;
        }

        if (sequences == 1)
        {
            return 0.25;
        }

        double score = escapes ? 0.9 : 0.8;
        return pairs == sequences ? score : score - 0.2;
    }
}
