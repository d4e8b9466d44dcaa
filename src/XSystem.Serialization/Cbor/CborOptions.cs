namespace XSystem.Serialization;

/// <summary>
/// CBOR settings. Pass an instance in <see cref="SerializerOptions.FormatOptions"/>.
/// </summary>
/// <remarks>Thread safety: immutable once built; share one instance freely.</remarks>
public sealed class CborOptions : FormatOptions
{
    /// <summary>
    /// Whether the writer emits the RFC 8949 §4.2.1 core deterministic encoding: preferred (shortest) serialization of
    /// integers, floats and lengths, definite lengths only, and map keys sorted by the bytewise lexicographic order of their
    /// encodings. Two equal trees then always give identical bytes (for hashing and signing). Default false: keys stay in
    /// the tree's order (the other rules hold either way, because the writer always uses the preferred serialization and
    /// definite lengths).
    /// </summary>
    public bool Deterministic { get; init; }

    /// <summary>
    /// Whether the reader checks the input in <see cref="System.Formats.Cbor.CborConformanceMode.Strict"/> mode: duplicate
    /// map keys, invalid UTF-8 in text strings, and simple values that are not encoded in their shortest form or use the
    /// reserved values 24-31 are rejected. Default true, the safe choice for untrusted input. Set false to read what a sloppy
    /// encoder wrote (<see cref="System.Formats.Cbor.CborConformanceMode.Lax"/>: invalid UTF-8 becomes U+FFFD); duplicate keys are
    /// rejected either way, because the tree cannot hold them.
    /// </summary>
    public bool Strict { get; init; } = true;
}
