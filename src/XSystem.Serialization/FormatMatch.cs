namespace XSystem.Serialization;

/// <summary>The result of content detection: a format and how sure the detector is.</summary>
/// <param name="Format">The detected format.</param>
/// <param name="Confidence">From 0 (a guess) to 1 (certain).</param>
public readonly record struct FormatMatch(IFormat Format, double Confidence);
