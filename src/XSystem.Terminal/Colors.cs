namespace XSystem.Terminal;

/// <summary>The 16 standard ANSI colors by name, plus name parsing.</summary>
/// <remarks>
/// The RGB values are the common xterm defaults and only matter when a color is converted to RGB; on the
/// terminal each standard color is drawn from the user's palette.
/// Thread safety: all members are immutable or stateless and safe to use from any thread.
/// </remarks>
public static class Colors
{
    private static readonly string[] Names =
    [
        "Black", "Red", "Green", "Yellow", "Blue", "Magenta", "Cyan", "White",
        "BrightBlack", "BrightRed", "BrightGreen", "BrightYellow", "BrightBlue", "BrightMagenta", "BrightCyan", "BrightWhite",
    ];

    /// <summary>Black, ANSI 30.</summary>
    public static Color Black { get; } = Color.Standard(0, 0, 0, 0);

    /// <summary>Red, ANSI 31.</summary>
    public static Color Red { get; } = Color.Standard(1, 128, 0, 0);

    /// <summary>Green, ANSI 32.</summary>
    public static Color Green { get; } = Color.Standard(2, 0, 128, 0);

    /// <summary>Yellow, ANSI 33.</summary>
    public static Color Yellow { get; } = Color.Standard(3, 128, 128, 0);

    /// <summary>Blue, ANSI 34.</summary>
    public static Color Blue { get; } = Color.Standard(4, 0, 0, 128);

    /// <summary>Magenta, ANSI 35.</summary>
    public static Color Magenta { get; } = Color.Standard(5, 128, 0, 128);

    /// <summary>Cyan, ANSI 36.</summary>
    public static Color Cyan { get; } = Color.Standard(6, 0, 128, 128);

    /// <summary>White (light gray on most themes), ANSI 37.</summary>
    public static Color White { get; } = Color.Standard(7, 192, 192, 192);

    /// <summary>Bright black (gray), ANSI 90.</summary>
    public static Color BrightBlack { get; } = Color.Standard(8, 128, 128, 128);

    /// <summary>Bright red, ANSI 91.</summary>
    public static Color BrightRed { get; } = Color.Standard(9, 255, 0, 0);

    /// <summary>Bright green, ANSI 92.</summary>
    public static Color BrightGreen { get; } = Color.Standard(10, 0, 255, 0);

    /// <summary>Bright yellow, ANSI 93.</summary>
    public static Color BrightYellow { get; } = Color.Standard(11, 255, 255, 0);

    /// <summary>Bright blue, ANSI 94.</summary>
    public static Color BrightBlue { get; } = Color.Standard(12, 0, 0, 255);

    /// <summary>Bright magenta, ANSI 95.</summary>
    public static Color BrightMagenta { get; } = Color.Standard(13, 255, 0, 255);

    /// <summary>Bright cyan, ANSI 96.</summary>
    public static Color BrightCyan { get; } = Color.Standard(14, 0, 255, 255);

    /// <summary>Bright white, ANSI 97.</summary>
    public static Color BrightWhite { get; } = Color.Standard(15, 255, 255, 255);

    /// <summary>Gray; the same color as <see cref="BrightBlack"/>.</summary>
    public static Color Gray => BrightBlack;

    /// <summary>All 16 standard colors in palette order (0 to 15).</summary>
    public static IReadOnlyList<Color> All { get; } =
    [
        Black, Red, Green, Yellow, Blue, Magenta, Cyan, White,
        BrightBlack, BrightRed, BrightGreen, BrightYellow, BrightBlue, BrightMagenta, BrightCyan, BrightWhite,
    ];

    /// <summary>
    /// Parses a color name or hex value: <c>"red"</c>, <c>"BrightRed"</c>, <c>"bright_red"</c>, <c>"bright-red"</c>,
    /// <c>"gray"</c>/<c>"grey"</c>, <c>"#ff8800"</c>. Names are case-insensitive.
    /// </summary>
    /// <param name="name">The name or hex text.</param>
    /// <returns>The color.</returns>
    /// <exception cref="FormatException">The text names no color.</exception>
    public static Color Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TryParse(name, out Color color))
        {
            throw new FormatException(TerminalMessages.UnknownColor(name));
        }

        return color;
    }

    /// <summary>Parses a color like <see cref="Parse"/>, returning false instead of throwing.</summary>
    /// <param name="name">The name or hex text.</param>
    /// <param name="color">The color when the result is true; otherwise <c>default</c>.</param>
    /// <returns>True when <paramref name="name"/> names a color.</returns>
    public static bool TryParse(string? name, out Color color)
    {
        color = default;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        string trimmed = name.Trim();
        if (trimmed.StartsWith('#'))
        {
            return Color.TryFromHex(trimmed, out color);
        }

        string compact = trimmed.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (compact.Equals("gray", StringComparison.OrdinalIgnoreCase) || compact.Equals("grey", StringComparison.OrdinalIgnoreCase))
        {
            color = Gray;
            return true;
        }

        for (int i = 0; i < Names.Length; i++)
        {
            if (compact.Equals(Names[i], StringComparison.OrdinalIgnoreCase))
            {
                color = All[i];
                return true;
            }
        }

        return Color.TryFromHex(trimmed, out color);
    }

    internal static string NameOf(int index) => Names[index];
}
