namespace XSystem.IO;

/// <summary>Settings for <see cref="PathGuard"/>. Validated once, when the guard is constructed.</summary>
/// <remarks>Thread safety: set the properties before passing the options to <see cref="PathGuard"/>; the guard
/// copies them, so later changes have no effect on it.</remarks>
public sealed class PathGuardOptions
{
    /// <summary>The default for <see cref="MaxPathLength"/>: 4096 bytes (Linux <c>PATH_MAX</c>).</summary>
    public const int DefaultMaxPathLength = 4096;

    /// <summary>The default for <see cref="MaxComponentLength"/>: 255 bytes (<c>NAME_MAX</c> of ext4, XFS, APFS, NTFS).</summary>
    public const int DefaultMaxComponentLength = 255;

    /// <summary>
    /// Whether names must be valid on every operating system. Default: <see langword="true"/>.
    /// </summary>
    /// <remarks>
    /// When on, the Windows rules apply on every OS: reserved device names (<c>CON</c>, <c>PRN</c>, <c>AUX</c>,
    /// <c>NUL</c>, <c>COM0</c>-<c>COM9</c>, <c>LPT0</c>-<c>LPT9</c>, <c>COM¹</c>-<c>COM³</c>, <c>LPT¹</c>-<c>LPT³</c>,
    /// <c>CONIN$</c>, <c>CONOUT$</c>, also with an extension such as <c>nul.txt</c>) are rejected, a colon
    /// (alternate data stream syntax such as <c>a.txt:zone</c>) is rejected, names ending in a dot or a space are
    /// rejected, the characters <c>&lt; &gt; " | ? *</c> are rejected, and a backslash is a directory separator
    /// (so <c>..\..\etc</c> is a traversal). On Windows these rules always apply, whatever this setting says.
    /// When off on Linux or macOS, a backslash and the characters above are ordinary name characters.
    /// </remarks>
    public bool PortableNames { get; set; } = true;

    /// <summary>
    /// The longest accepted path, in UTF-8 bytes, for both the input and the resolved absolute path.
    /// Default: <see cref="DefaultMaxPathLength"/> (4096). Must be at least 1.
    /// </summary>
    public int MaxPathLength { get; set; } = DefaultMaxPathLength;

    /// <summary>
    /// The longest accepted single name (file or directory), in UTF-8 bytes.
    /// Default: <see cref="DefaultMaxComponentLength"/> (255). Must be at least 1.
    /// </summary>
    public int MaxComponentLength { get; set; } = DefaultMaxComponentLength;
}
