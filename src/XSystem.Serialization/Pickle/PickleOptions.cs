namespace XSystem.Serialization;

/// <summary>Settings for <see cref="PickleFormat"/>; pass them in <see cref="SerializerOptions.FormatOptions"/>.</summary>
/// <remarks>Thread safety: immutable after construction; share one instance freely.</remarks>
public sealed class PickleOptions : FormatOptions
{
    /// <summary>The default of <see cref="MaxItems"/>: 10,000,000.</summary>
    public const long DefaultMaxItems = 10_000_000;

    private readonly long _maxItems = DefaultMaxItems;

    /// <summary>
    /// The most values a pickle may produce while it is read. Counted are every value the pickle machine pushes (including
    /// MARKs and memo entries) and every node of the resulting tree, where a value shared through the memo counts once
    /// per place it appears. Bounds memory on hostile input (for example a list referring to itself a million times over).
    /// Default 10,000,000. A breach throws <see cref="SerializationLimitException"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxItems
    {
        get => _maxItems;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxItems = value;
        }
    }
}
