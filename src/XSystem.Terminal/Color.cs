using System.Globalization;

namespace XSystem.Terminal;

/// <summary>
/// A terminal color: one of the 16 standard ANSI colors (see <see cref="Colors"/>) or any 24-bit RGB value.
/// </summary>
/// <remarks>
/// Standard colors are emitted as their ANSI palette entry (SGR 30-37 and 90-97), so they follow the user's
/// terminal theme. RGB colors are emitted as true color where the terminal supports it and are mapped to the
/// nearest 256-color or 16-color palette entry otherwise. Use <see cref="ToSpectre"/> to pass a color to
/// Spectre.Console APIs.
/// Thread safety: immutable value type; safe to share between threads.
/// </remarks>
public readonly struct Color : IEquatable<Color>
{
    private readonly sbyte _index; // 0..15 for a standard ANSI color, -1 for an RGB-only color; default(Color) is black (index 0)

    private Color(byte r, byte g, byte b, int index)
    {
        R = r;
        G = g;
        B = b;
        _index = (sbyte)index;
    }

    /// <summary>The red component, 0 to 255.</summary>
    public byte R { get; }

    /// <summary>The green component, 0 to 255.</summary>
    public byte G { get; }

    /// <summary>The blue component, 0 to 255.</summary>
    public byte B { get; }

    /// <summary>The ANSI palette number (0 to 15) of a standard color, or <see langword="null"/> for an RGB color.</summary>
    public int? AnsiIndex => _index >= 0 ? _index : null;

    /// <summary>True when this is one of the 16 standard ANSI colors, which follow the terminal's theme.</summary>
    public bool IsStandard => _index >= 0;

    /// <summary>Creates a 24-bit color from its components.</summary>
    /// <param name="r">Red, 0 to 255.</param>
    /// <param name="g">Green, 0 to 255.</param>
    /// <param name="b">Blue, 0 to 255.</param>
    /// <returns>The color.</returns>
    public static Color FromRgb(byte r, byte g, byte b) => new(r, g, b, -1);

    /// <summary>Parses a hex color such as <c>"#ff8800"</c>, <c>"ff8800"</c> or <c>"#f80"</c>.</summary>
    /// <param name="hex">The hex text, with or without the leading <c>#</c>.</param>
    /// <returns>The color.</returns>
    /// <exception cref="FormatException">The text is not a 3- or 6-digit hex color.</exception>
    public static Color FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryFromHex(hex, out Color color))
        {
            throw new FormatException(TerminalMessages.InvalidHexColor(hex));
        }

        return color;
    }

    /// <summary>Parses a hex color like <see cref="FromHex"/>, returning false instead of throwing.</summary>
    /// <param name="hex">The hex text, with or without the leading <c>#</c>.</param>
    /// <param name="color">The color when the result is true; otherwise <c>default</c>.</param>
    /// <returns>True when <paramref name="hex"/> is a 3- or 6-digit hex color.</returns>
    public static bool TryFromHex(string? hex, out Color color)
    {
        color = default;
        if (string.IsNullOrWhiteSpace(hex))
        {
            return false;
        }

        ReadOnlySpan<char> span = hex.AsSpan().Trim();
        if (span.StartsWith("#"))
        {
            span = span[1..];
        }

        if (span.Length == 3)
        {
            Span<char> wide = stackalloc char[6];
            for (int i = 0; i < 3; i++)
            {
                wide[2 * i] = span[i];
                wide[(2 * i) + 1] = span[i];
            }

            return TryParseSix(wide, out color);
        }

        return span.Length == 6 && TryParseSix(span, out color);
    }

    /// <summary>Returns the color as <c>"#rrggbb"</c> (lower case).</summary>
    /// <returns>The hex text.</returns>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <summary>Converts to the equivalent Spectre.Console color (a palette entry for standard colors).</summary>
    /// <returns>The Spectre.Console color.</returns>
    public Spectre.Console.Color ToSpectre() => _index >= 0 ? (Spectre.Console.Color)_index : new Spectre.Console.Color(R, G, B);

    /// <summary>Returns the standard color's name (for example <c>"BrightRed"</c>) or the hex form of an RGB color.</summary>
    /// <returns>The name or hex text.</returns>
    public override string ToString() => _index >= 0 ? Colors.NameOf(_index) : ToHex();

    /// <inheritdoc />
    public bool Equals(Color other) => R == other.R && G == other.G && B == other.B && _index == other._index;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Color other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(R, G, B, _index);

    /// <summary>Compares two colors for equality (a standard color never equals an RGB color).</summary>
    /// <param name="left">The first color.</param>
    /// <param name="right">The second color.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(Color left, Color right) => left.Equals(right);

    /// <summary>Compares two colors for inequality.</summary>
    /// <param name="left">The first color.</param>
    /// <param name="right">The second color.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(Color left, Color right) => !left.Equals(right);

    internal static Color Standard(int index, byte r, byte g, byte b) => new(r, g, b, index);

    private static bool TryParseSix(ReadOnlySpan<char> span, out Color color)
    {
        color = default;
        if (!int.TryParse(span, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value))
        {
            return false;
        }

        color = FromRgb((byte)(value >> 16), (byte)(value >> 8), (byte)value);
        return true;
    }
}
