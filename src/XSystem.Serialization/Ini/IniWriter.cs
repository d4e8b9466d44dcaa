using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>Writes a two-level tree as INI: top-level scalars first, then one section per top-level object.</summary>
internal static class IniWriter
{
    private const string Format = IniFormat.FormatName;

    public static string Write(JsonNode? tree, IniOptions ini)
    {
        if (tree is not JsonObject root)
        {
            string what = tree switch
            {
                null => "null",
                JsonArray => "an array",
                _ => "a scalar",
            };
            throw new SerializationException(Format, $"an INI document is an object of keys and sections, but the tree is {what}", path: "$");
        }

        var text = new StringBuilder();
        CheckCaseCollisions(root, ini);
        foreach (var (key, value) in root)
        {
            if (value is not JsonObject)
            {
                WriteEntry(text, root, key, value, ini);
            }
        }

        foreach (var (key, value) in root)
        {
            if (value is not JsonObject section)
            {
                continue;
            }

            CheckSectionName(key, section, ini);
            CheckCaseCollisions(section, ini);
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append('[').Append(key).Append("]\n");
            foreach (var (entryKey, entryValue) in section)
            {
                if (entryValue is JsonObject nested)
                {
                    throw new SerializationException(
                        Format,
                        "INI holds two levels (keys and sections of keys); this object is nested deeper. Flatten it or choose a format such as TOML or JSON",
                        path: nested.GetPath());
                }

                WriteEntry(text, section, entryKey, entryValue, ini);
            }
        }

        return text.ToString();
    }

    private static void WriteEntry(StringBuilder text, JsonObject parent, string key, JsonNode? value, IniOptions ini)
    {
        CheckKey(parent, key);
        switch (value)
        {
            case null:
                if (!ini.AllowKeysWithoutValue)
                {
                    throw new SerializationException(
                        Format,
                        $"INI cannot hold null (key '{key}'); remove the key, or set IniOptions.AllowKeysWithoutValue to write it as a bare key",
                        path: PathOf(parent, key));
                }

                text.Append(key).Append('\n');
                break;
            case JsonArray array:
                if (ini.DuplicateKeys != IniDuplicateKeys.Array)
                {
                    throw new SerializationException(
                        Format,
                        "INI cannot hold a list unless IniOptions.DuplicateKeys is Array (then a list is written as repeated keys)",
                        path: array.GetPath());
                }

                if (array.Count < 2)
                {
                    throw new SerializationException(
                        Format,
                        $"a list of {array.Count} item(s) cannot be written as repeated keys so that it reads back as a list; it needs at least two",
                        path: array.GetPath());
                }

                foreach (JsonNode? item in array)
                {
                    if (item is not JsonValue scalar)
                    {
                        throw new SerializationException(
                            Format,
                            "a list written as repeated keys may hold only strings, numbers and booleans",
                            path: item?.GetPath() ?? array.GetPath());
                    }

                    text.Append(key).Append(" = ").Append(Quote(TreeScalars.ToText(scalar))).Append('\n');
                }

                break;
            case JsonValue scalar:
                text.Append(key).Append(" = ").Append(Quote(TreeScalars.ToText(scalar))).Append('\n');
                break;
        }
    }

    private static void CheckKey(JsonObject parent, string key)
    {
        string? problem = null;
        if (key.Length == 0)
        {
            problem = "an empty key";
        }
        else if (char.IsWhiteSpace(key[0]) || char.IsWhiteSpace(key[^1]))
        {
            problem = "leading or trailing white space";
        }
        else if (key[0] is '[' or ';' or '#')
        {
            problem = $"a key may not start with '{key[0]}'";
        }
        else if (key.AsSpan().IndexOfAny("=:\r\n") >= 0)
        {
            problem = "'=', ':' or a line break";
        }

        if (problem is not null)
        {
            throw new SerializationException(Format, $"the key '{key}' cannot be written in INI ({problem})", path: PathOf(parent, key));
        }
    }

    private static void CheckSectionName(string name, JsonObject section, IniOptions ini)
    {
        bool bad = name.Length == 0
            || char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1])
            || name.AsSpan().IndexOfAny('\r', '\n') >= 0
            || (ini.InlineComments && name.AsSpan().IndexOfAny(';', '#') >= 0);
        if (bad)
        {
            throw new SerializationException(
                Format,
                $"'{name}' cannot be an INI section name (empty, padded with white space, or holding a line break{(ini.InlineComments ? ", ';' or '#'" : string.Empty)})",
                path: section.GetPath());
        }
    }

    private static void CheckCaseCollisions(JsonObject obj, IniOptions ini)
    {
        if (ini.KeyCase == IniKeyCase.Preserve)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, _) in obj)
        {
            if (!seen.Add(key))
            {
                throw new SerializationException(
                    Format,
                    $"the keys differ only in case, which IniOptions.KeyCase = {ini.KeyCase} cannot read back apart",
                    path: PathOf(obj, key));
            }
        }
    }

    /// <summary>The value as written: bare when it reads back exactly, else double-quoted with escapes.</summary>
    internal static string Quote(string value)
    {
        if (!NeedsQuotes(value))
        {
            return value;
        }

        var quoted = new StringBuilder(value.Length + 2).Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '\\': quoted.Append("\\\\"); break;
                case '"': quoted.Append("\\\""); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    bool lone = char.IsSurrogate(c)
                        && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(value[i - 1]));
                    if (char.IsControl(c) || lone)
                    {
                        quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        quoted.Append(c);
                    }

                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    private static bool NeedsQuotes(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]) || value[0] is '"' or '\'')
        {
            return true;
        }

        foreach (char c in value)
        {
            if (c is ';' or '#' || char.IsControl(c) || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string PathOf(JsonObject parent, string key) =>
        Json5Writer.IsIdentifierName(key) ? $"{parent.GetPath()}.{key}" : $"{parent.GetPath()}['{key}']";
}
