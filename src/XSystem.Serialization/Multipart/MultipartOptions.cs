namespace XSystem.Serialization;

/// <summary>
/// Settings and limits for <c>multipart/form-data</c> (see <see cref="MultipartFormat"/>). Pass an instance in
/// <see cref="SerializerOptions.FormatOptions"/>, or straight to <see cref="MultipartFormat.ReadPartsAsync"/>.
/// </summary>
/// <remarks>Thread safety: immutable once built; share one instance freely.</remarks>
public sealed class MultipartOptions : FormatOptions
{
    /// <summary>The default for <see cref="MaxPartBytes"/>: 100 MiB.</summary>
    public const long DefaultMaxPartBytes = 100L * 1024 * 1024;

    /// <summary>The default for <see cref="MaxBodyBytes"/>: 1 GiB.</summary>
    public const long DefaultMaxBodyBytes = 1L * 1024 * 1024 * 1024;

    private readonly string? _boundary;
    private readonly long _maxPartBytes = DefaultMaxPartBytes;
    private readonly long _maxBodyBytes = DefaultMaxBodyBytes;
    private readonly long _maxParts = 1_000_000;
    private readonly int _maxHeaderCount = 16;
    private readonly int _maxHeaderLineLength = 8 * 1024;

    /// <summary>
    /// The boundary (without the leading <c>--</c>), usually taken from the request's
    /// <c>Content-Type: multipart/form-data; boundary=...</c>. Default null: the reader takes it from the body's first line
    /// (so the body may not start with a preamble) and the writer picks a random one. When set, the reader requires it (a
    /// preamble before the first boundary is then skipped) and the writer uses it, throwing if a part's content holds it.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty, longer than 70 characters or holds characters RFC 2046 does not allow.</exception>
    public string? Boundary
    {
        get => _boundary;
        init
        {
            if (value is not null)
            {
                Internal.MultipartHeaders.ValidateBoundary(value, nameof(value));
            }

            _boundary = value;
        }
    }

    /// <summary>
    /// Whether names use the bracket convention (<c>user[name]</c>, <c>files[]</c>) as with <see cref="FormOptions.BracketNesting"/>.
    /// Default false: names are taken literally.
    /// </summary>
    public bool BracketNesting { get; init; }

    /// <summary>The largest content of one part, in bytes. Default 100 MiB. Larger parts throw <see cref="SerializationLimitException"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MaxPartBytes
    {
        get => _maxPartBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxPartBytes = value;
        }
    }

    /// <summary>
    /// The largest body <see cref="MultipartFormat.ReadPartsAsync"/> reads, in bytes. Default 1 GiB.
    /// (<see cref="MultipartFormat.Parse"/> holds the whole body in memory and uses <see cref="SerializerOptions.MaxBytes"/> instead.)
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxBodyBytes
    {
        get => _maxBodyBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxBodyBytes = value;
        }
    }

    /// <summary>The most parts a body may hold. Default 1,000,000 (for HTTP request bodies a much lower value suits).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxParts
    {
        get => _maxParts;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxParts = value;
        }
    }

    /// <summary>The most header lines one part may have. Default 16.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxHeaderCount
    {
        get => _maxHeaderCount;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxHeaderCount = value;
        }
    }

    /// <summary>The longest header line, in bytes (also bounds the boundary line and its padding). Default 8 KiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 80 or more than 1 MiB.</exception>
    public int MaxHeaderLineLength
    {
        get => _maxHeaderLineLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 80);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024 * 1024);
            _maxHeaderLineLength = value;
        }
    }
}
