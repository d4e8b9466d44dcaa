using System.Text;

namespace XSystem.Serialization.Sqlite.Internal;

/// <summary>Helpers for building SQL text safely: identifiers are always quoted, values are never inlined.</summary>
internal static class SqlText
{
    /// <summary>
    /// Quotes an identifier the SQL-standard way SQLite honours: in double quotes, each embedded double quote doubled.
    /// The caller has already rejected NUL characters, which SQLite would treat as the end of the statement.
    /// </summary>
    public static string Quote(string identifier)
    {
        var builder = new StringBuilder(identifier.Length + 2);
        builder.Append('"');
        foreach (char c in identifier)
        {
            if (c == '"')
            {
                builder.Append('"');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    /// <summary>True when the text holds a surrogate without its partner, which UTF-8 cannot encode.</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>SQLite compares identifiers case-insensitively for ASCII letters only; this folds the same way.</summary>
    public static string FoldAsciiCase(string identifier)
    {
        bool needs = false;
        foreach (char c in identifier)
        {
            if (c is >= 'A' and <= 'Z')
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return identifier;
        }

        return string.Create(identifier.Length, identifier, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
        });
    }
}
