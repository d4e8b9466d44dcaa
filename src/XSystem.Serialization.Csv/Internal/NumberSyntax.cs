namespace XSystem.Serialization.Csv.Internal;

internal enum NumberKind
{
    None,
    Integer,
    Real,
}

/// <summary>Recognises the JSON number grammar (<c>-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?</c>) without allocating.</summary>
internal static class NumberSyntax
{
    public static NumberKind Classify(ReadOnlySpan<char> text)
    {
        int i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            return NumberKind.None;
        }

        if (text[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        bool real = false;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!Digits(text, ref i))
            {
                return NumberKind.None;
            }

            real = true;
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }

            if (!Digits(text, ref i))
            {
                return NumberKind.None;
            }

            real = true;
        }

        if (i != text.Length)
        {
            return NumberKind.None;
        }

        return real ? NumberKind.Real : NumberKind.Integer;
    }

    private static bool Digits(ReadOnlySpan<char> text, ref int i)
    {
        int start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i > start;
    }
}
