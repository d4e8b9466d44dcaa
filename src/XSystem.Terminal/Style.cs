namespace XSystem.Terminal;

/// <summary>Text decorations that <see cref="Term.Colorize"/> and the other helpers can apply. Combine them with <c>|</c>.</summary>
/// <remarks>
/// Terminals differ in what they render: <see cref="Italic"/>, <see cref="Strikethrough"/> and <see cref="Dim"/> are
/// ignored by some. When color is disabled (see <see cref="TerminalCapabilities.ColorEnabled"/>) no decoration is emitted.
/// Thread safety: an enum value is immutable.
/// </remarks>
[Flags]
public enum Style
{
    /// <summary>No decoration.</summary>
    None = 0,

    /// <summary>Bold (bright) text, SGR 1.</summary>
    Bold = 1,

    /// <summary>Dim (faint) text, SGR 2.</summary>
    Dim = 2,

    /// <summary>Italic text, SGR 3.</summary>
    Italic = 4,

    /// <summary>Underlined text, SGR 4.</summary>
    Underline = 8,

    /// <summary>Struck-through text, SGR 9.</summary>
    Strikethrough = 16,

    /// <summary>Foreground and background swapped, SGR 7.</summary>
    Invert = 32,
}
