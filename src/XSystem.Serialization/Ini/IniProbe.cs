using System.Text;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Content detection for INI: every line a section header, a comment or a key with a separator. Bare (unquoted, untyped)
/// values, <c>;</c> comments and sections raise the score; TOML-looking values (quoted strings, arrays, inline tables,
/// <c>[[tables]]</c>) and YAML-looking <c>key: value</c> lines lower it.
/// </summary>
internal static class IniProbe
{
    private static readonly System.Buffers.SearchValues<char> KeyBreakers = System.Buffers.SearchValues.Create("{}[]\"'<>,");

    public static double Score(ReadOnlySpan<byte> sample)
    {
        sample = FormatGuards.SkipUtf8Bom(sample);
        if (sample.IsEmpty)
        {
            return 0;
        }

        string text = Encoding.UTF8.GetString(sample);
        string[] lines = text.Split('\n');
        int entries = 0, sections = 0, iniSignals = 0, tomlSignals = 0, colonLines = 0, bad = 0;
        for (int n = 0; n < lines.Length; n++)
        {
            ReadOnlySpan<char> line = lines[n].AsSpan().Trim();
            bool last = n == lines.Length - 1;
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (line[0] == ';')
            {
                iniSignals++;
                continue;
            }

            if (line[0] == '[')
            {
                if (line.StartsWith("[["))
                {
                    tomlSignals++;
                }
                else if (line[^1] == ']' && line.Length > 2)
                {
                    sections++;
                    if (line.IndexOfAny('"', '\'') >= 0)
                    {
                        tomlSignals++;
                    }
                }
                else if (!last)
                {
                    bad++;
                }

                continue;
            }

            int separator = line.IndexOfAny('=', ':');
            if (separator <= 0)
            {
                bad += last ? 0 : 1;
                continue;
            }

            ReadOnlySpan<char> key = line[..separator].Trim();
            if (key.IsEmpty || key.IndexOfAny(KeyBreakers) >= 0 || key[0] == '-')
            {
                bad++;
                continue;
            }

            entries++;
            if (line[separator] == ':')
            {
                colonLines++;
                continue;
            }

            ReadOnlySpan<char> value = line[(separator + 1)..].Trim();
            if (value.IsEmpty)
            {
                iniSignals++;
            }
            else if (value[0] is '"' or '\'' or '[' or '{' || char.IsAsciiDigit(value[0]) || value[0] is '-' or '+'
                || value.SequenceEqual("true") || value.SequenceEqual("false"))
            {
                tomlSignals++;
            }
            else
            {
                iniSignals++;
            }
        }

        if (bad > 0 || entries + sections == 0)
        {
            return 0;
        }

        if (colonLines == entries && sections == 0)
        {
            return 0.2; // looks more like YAML
        }

        if (iniSignals == 0)
        {
            return tomlSignals > 0 ? 0.35 : 0.5;
        }

        return iniSignals >= tomlSignals ? (sections > 0 ? 0.85 : 0.75) : 0.55;
    }
}
