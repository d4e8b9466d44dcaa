using System.Diagnostics.CodeAnalysis;

namespace XSystem.Terminal;

/// <summary>The border drawn around and between table cells.</summary>
/// <remarks>
/// On a console without Unicode, box-drawing borders (<see cref="Square"/>, <see cref="Rounded"/>, <see cref="Heavy"/>,
/// <see cref="Double"/>) fall back to <see cref="Ascii"/>.
/// Thread safety: an enum value is immutable.
/// </remarks>
public enum TableBorder
{
    /// <summary>No border; columns separated by a space.</summary>
    None = 0,

    /// <summary>ASCII characters: <c>+ - |</c>.</summary>
    Ascii = 1,

    /// <summary>Single-line box drawing with square corners.</summary>
    Square = 2,

    /// <summary>Single-line box drawing with rounded corners (the default).</summary>
    Rounded = 3,

    /// <summary>Heavy (thick) box drawing.</summary>
    Heavy = 4,

    /// <summary>Double-line box drawing.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The border style is called double everywhere (Spectre, box-drawing names).")]
    Double = 5,

    /// <summary>A GitHub-flavored Markdown table (alignment shown with <c>:</c> in the separator).</summary>
    Markdown = 6,
}
