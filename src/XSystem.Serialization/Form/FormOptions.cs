namespace XSystem.Serialization;

/// <summary>
/// Settings for <c>application/x-www-form-urlencoded</c> (see <see cref="FormUrlEncodedFormat"/>). Pass an instance in
/// <see cref="SerializerOptions.FormatOptions"/>.
/// </summary>
/// <remarks>Thread safety: immutable once built; share one instance freely.</remarks>
public sealed class FormOptions : FormatOptions
{
    /// <summary>The default for <see cref="MaxPairs"/>: 1,000,000.</summary>
    public const long DefaultMaxPairs = 1_000_000;

    private readonly long _maxPairs = DefaultMaxPairs;

    /// <summary>
    /// Whether names use the bracket convention of PHP, Rails and the <c>qs</c> package: on read <c>a[b]=1</c> gives
    /// <c>{"a": {"b": "1"}}</c> and <c>a[]=1&amp;a[]=2</c> gives <c>{"a": ["1", "2"]}</c>; on write arrays become <c>name[]</c>
    /// (so one-item arrays survive) and names holding brackets throw. Default false: names are read literally (WHATWG), so
    /// <c>a[b]=1</c> reads as <c>{"a[b]": "1"}</c>, and arrays are written as plain repeated names. Either way the writer
    /// writes nested objects as bracket names (<c>a[b]</c>).
    /// </summary>
    public bool BracketNesting { get; init; }

    /// <summary>
    /// The most name/value pairs a document may hold; more throw <see cref="SerializationLimitException"/>. Default 1,000,000.
    /// It bounds the size of the tree (about 100 bytes per pair), not hashing cost: .NET string hashing is randomized, so
    /// colliding keys cannot be forced. For HTTP request bodies a much lower value suits (ASP.NET Core uses 1,024).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxPairs
    {
        get => _maxPairs;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxPairs = value;
        }
    }
}
