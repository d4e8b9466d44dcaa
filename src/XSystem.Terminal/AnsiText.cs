using Spectre.Console;
using Spectre.Console.Rendering;
using SpectreStyle = Spectre.Console.Style;

namespace XSystem.Terminal;

/// <summary>Conversions to Spectre styles and escape-code rendering shared by the module.</summary>
internal static class AnsiText
{
    public static SpectreStyle ToSpectre(Color? color, Style style)
    {
        Decoration decoration = Decoration.None;
        if ((style & Style.Bold) != 0)
        {
            decoration |= Decoration.Bold;
        }

        if ((style & Style.Dim) != 0)
        {
            decoration |= Decoration.Dim;
        }

        if ((style & Style.Italic) != 0)
        {
            decoration |= Decoration.Italic;
        }

        if ((style & Style.Underline) != 0)
        {
            decoration |= Decoration.Underline;
        }

        if ((style & Style.Strikethrough) != 0)
        {
            decoration |= Decoration.Strikethrough;
        }

        if ((style & Style.Invert) != 0)
        {
            decoration |= Decoration.Invert;
        }

        return new SpectreStyle(color?.ToSpectre(), null, decoration);
    }

    /// <summary>Wraps text in SGR codes for the color system, or returns it unchanged when color is off.</summary>
    public static string Colorize(string text, Color color, Style style, TerminalCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!capabilities.ColorEnabled || text.Length == 0)
        {
            return text;
        }

        using var buffer = new StringWriter();
        var writer = new AnsiWriter(buffer, new AnsiCapabilities
        {
            Ansi = true,
            ColorSystem = TerminalConsoleFactory.ToSpectre(capabilities.ColorSystem),
        });
        writer.Write(text, ToSpectre(color, style), null!);
        return buffer.ToString();
    }

    /// <summary>
    /// Writes one line as-is (no markup parsing, no word wrapping). Styles are emitted only when the console has color;
    /// a console without color gets plain text.
    /// </summary>
    public static void WriteLine(IAnsiConsole console, string text, SpectreStyle style)
    {
        bool color = console.Profile.Capabilities.Ansi && console.Profile.Capabilities.ColorSystem != ColorSystem.NoColors;
        console.Write(new RawLine(text, color ? style : SpectreStyle.Plain, newLine: true));
    }

    /// <summary>A renderable that emits its text verbatim, unlike <see cref="Text"/> which wraps at the console width.</summary>
    private sealed class RawLine(string text, SpectreStyle style, bool newLine) : IRenderable
    {
        public Measurement Measure(RenderOptions options, int maxWidth) => new(1, Math.Max(1, text.Length));

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            string[] lines = text.ReplaceLineEndings("\n").Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > 0)
                {
                    yield return new Segment(lines[i], style);
                }

                if (i < lines.Length - 1 || newLine)
                {
                    yield return Segment.LineBreak;
                }
            }
        }
    }
}
