namespace XSystem.Terminal;

/// <summary>How many colors a terminal can show.</summary>
/// <remarks>Thread safety: an enum value is immutable.</remarks>
public enum TerminalColorSystem
{
    /// <summary>No color: plain text only.</summary>
    None = 0,

    /// <summary>The 8 basic colors of a legacy Windows console.</summary>
    Legacy = 1,

    /// <summary>The 16 standard ANSI colors.</summary>
    Standard = 2,

    /// <summary>The 256-color xterm palette.</summary>
    EightBit = 3,

    /// <summary>24-bit RGB color.</summary>
    TrueColor = 4,
}
