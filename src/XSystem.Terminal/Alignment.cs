namespace XSystem.Terminal;

/// <summary>Horizontal alignment of a table column.</summary>
/// <remarks>Thread safety: an enum value is immutable.</remarks>
public enum Alignment
{
    /// <summary>Left-aligned (the default).</summary>
    Left = 0,

    /// <summary>Centered.</summary>
    Center = 1,

    /// <summary>Right-aligned (numbers).</summary>
    Right = 2,
}
