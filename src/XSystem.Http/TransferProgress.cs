namespace XSystem.Http;

/// <summary>Progress of a download or upload, reported through <see cref="IProgress{T}"/>.</summary>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct TransferProgress
{
    /// <summary>Creates a progress value.</summary>
    /// <param name="bytesTransferred">Bytes of the file present so far (including a resumed prefix).</param>
    /// <param name="totalBytes">Total size when known.</param>
    public TransferProgress(long bytesTransferred, long? totalBytes)
    {
        BytesTransferred = bytesTransferred;
        TotalBytes = totalBytes;
    }

    /// <summary>Bytes of the file present so far (including a resumed prefix).</summary>
    public long BytesTransferred { get; }

    /// <summary>Total size when the server announced it; otherwise <see langword="null"/>.</summary>
    public long? TotalBytes { get; }

    /// <summary>Completed fraction 0..1, or <see langword="null"/> when the total is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 ? Math.Clamp((double)BytesTransferred / TotalBytes.Value, 0, 1) : null;
}

/// <summary>Settings of <see cref="AdvancedHttpClient.DownloadFileAsync"/>.</summary>
/// <remarks>Thread safety: configure before the call; do not change it during the call.</remarks>
public sealed class DownloadOptions
{
    /// <summary>
    /// Expected SHA-256 of the file as hex (case-insensitive). When set, a mismatch deletes the partial file, leaves
    /// the target untouched and throws <see cref="DownloadChecksumException"/>. Default <see langword="null"/>.
    /// </summary>
    public string? ExpectedSha256 { get; set; }

    /// <summary>
    /// Whether an interrupted download is continued from its partial file (<c>path + ".partial"</c>) with a
    /// <c>Range</c> request guarded by <c>If-Range</c>, both within the call (up to <see cref="RetryOptions.MaxAttempts"/>)
    /// and on a later call. Default <see langword="true"/>.
    /// </summary>
    public bool Resume { get; set; } = true;

    /// <summary>Extra request headers. Default empty.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Result of <see cref="AdvancedHttpClient.DownloadFileAsync"/>.</summary>
/// <param name="Path">The full path of the written file.</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="Sha256">Its SHA-256 as lowercase hex.</param>
/// <param name="ResumedFrom">Offset the transfer was last resumed from, or 0 when it ran from the start.</param>
/// <param name="Version">The HTTP version of the last response.</param>
/// <remarks>Thread safety: immutable.</remarks>
public sealed record DownloadResult(string Path, long Length, string Sha256, long ResumedFrom, Version Version);
