using System.Text;

namespace XSystem.IO;

/// <summary>
/// Limits and decoding settings for <see cref="SafeFile"/> reads. Each property is checked when it is set; reuse
/// one instance for many reads.
/// </summary>
/// <remarks>Thread safety: instances are immutable once initialised and safe to share between threads.</remarks>
public sealed class SafeReadOptions
{
    /// <summary>The default limit of <see cref="MaxBytes"/>: 100 MiB.</summary>
    public const long DefaultMaxBytes = 100L * 1024 * 1024;

    private readonly long _maxBytes = DefaultMaxBytes;
    private Encoding? _decoder; // the effective strict or replacing decoder for a forced Encoding, built once

    /// <summary>The defaults: 100 MiB limit, encoding from the byte order mark (UTF-8 without one), invalid bytes throw.</summary>
    public static SafeReadOptions Default { get; } = new();

    /// <summary>
    /// The largest file, in bytes, that may be read. Larger files throw <see cref="FileTooLargeException"/> before
    /// any byte is read; a file that grows past the limit while being read throws too. Zero or more; at most
    /// <see cref="Array.MaxLength"/>. Default: <see cref="DefaultMaxBytes"/> (100 MiB).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or larger than <see cref="Array.MaxLength"/>.</exception>
    public long MaxBytes
    {
        get => _maxBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxBytes));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Array.MaxLength, nameof(MaxBytes));
            _maxBytes = value;
        }
    }

    /// <summary>
    /// Forces the encoding of text reads. A byte order mark that matches this encoding is skipped; any other
    /// leading bytes are decoded as text. Default: <see langword="null"/>, which detects UTF-8, UTF-16 LE/BE and
    /// UTF-32 LE/BE from the byte order mark and uses UTF-8 when there is none.
    /// </summary>
    public Encoding? Encoding { get; init; }

    /// <summary>
    /// Whether invalid byte sequences become U+FFFD (the replacement character) instead of throwing
    /// <see cref="FileDecodingException"/>. Default: <see langword="false"/>.
    /// </summary>
    public bool ReplaceInvalid { get; init; }

    /// <summary>The forced encoding with the decoder fallback <see cref="ReplaceInvalid"/> asks for.</summary>
    internal Encoding? ForcedDecoder
    {
        get
        {
            if (Encoding is null)
            {
                return null;
            }

            if (_decoder is null)
            {
                var clone = (Encoding)Encoding.Clone();
                clone.DecoderFallback = ReplaceInvalid ? new DecoderReplacementFallback("\uFFFD") : DecoderFallback.ExceptionFallback;
                _decoder = clone; // benign race: every thread builds an equal decoder
            }

            return _decoder;
        }
    }
}
