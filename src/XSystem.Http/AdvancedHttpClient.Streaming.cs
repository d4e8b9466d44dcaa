using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using XSystem.Http.Internal;

namespace XSystem.Http;

public sealed partial class AdvancedHttpClient
{
    private const int ChunkSize = 81920;

    /// <summary>
    /// GETs <paramref name="url"/> and yields the body in chunks as they arrive (status checked first). Each chunk is
    /// valid only until the next one is requested; copy it to keep it. Every read is bounded by the read-idle timeout.
    /// </summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <returns>The body chunks.</returns>
    /// <exception cref="HttpStatusException">The status is not 2xx.</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> StreamAsync(string url, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(Create(HttpMethod.Get, url, null), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await response.EnsureSuccessAsync(cancellationToken).ConfigureAwait(false);
        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    int read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        yield break;
                    }

                    yield return buffer.AsMemory(0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// GETs <paramref name="url"/> and returns the body as a stream (status checked first). Disposing the stream
    /// releases the response. Reads are bounded by the read-idle timeout.
    /// </summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the request until the headers arrive.</param>
    /// <returns>The body stream.</returns>
    /// <exception cref="HttpStatusException">The status is not 2xx.</exception>
    public async Task<Stream> GetStreamAsync(string url, CancellationToken cancellationToken = default)
    {
        HttpResponseMessage response = await SendAsync(Create(HttpMethod.Get, url, null), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await response.EnsureSuccessAsync(cancellationToken).ConfigureAwait(false);
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new OwningStream(body, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="path"/>. Data goes to <c>path + ".partial"</c>; when the
    /// transfer completes (and the SHA-256 matches, if given) the partial file is flushed to disk and renamed over the
    /// target in one atomic step, so the target is either the old file or the complete new one. An interrupted transfer
    /// continues from the partial file with <c>Range</c> + <c>If-Range</c> when the server sent a strong ETag or a
    /// Last-Modified date and supports ranges, within this call (up to <see cref="RetryOptions.MaxAttempts"/>
    /// transfers) and on a later call.
    /// </summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="path">The target file.</param>
    /// <param name="progress">Receives progress after every chunk; <see langword="null"/> for none.</param>
    /// <param name="options">Checksum and resume settings; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the transfer; the partial file is kept for a later resume.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="HttpStatusException">The server answered with a non-2xx status.</exception>
    /// <exception cref="DownloadChecksumException">The content did not match <see cref="DownloadOptions.ExpectedSha256"/>.</exception>
    public async Task<DownloadResult> DownloadFileAsync(string url, string path, IProgress<TransferProgress>? progress = null, DownloadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        Guard.NotNullOrEmptyPath(path);
        options ??= new DownloadOptions();
        string? expected = options.ExpectedSha256?.Trim().ToLowerInvariant();
        if (expected is not null && (expected.Length != 64 || !expected.All(Uri.IsHexDigit)))
        {
            throw new ArgumentException($"ExpectedSha256 must be 64 hex digits, got '{options.ExpectedSha256}'.", nameof(options));
        }

        string fullPath = Path.GetFullPath(path);
        string partial = fullPath + ".partial";
        string meta = fullPath + ".partial.validator";
        int maxTransfers = options.Resume ? _retry.MaxAttempts : 1;
        long resumedFrom = 0;
        for (int transfer = 1; ; transfer++)
        {
            try
            {
                (long offset, Version version) = await TransferAsync(url, partial, meta, options, progress, cancellationToken).ConfigureAwait(false);
                resumedFrom = offset;
                return await FinishDownloadAsync(url, fullPath, partial, meta, expected, resumedFrom, version, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (transfer < maxTransfers && !cancellationToken.IsCancellationRequested && ex is IOException or HttpRequestException or TimeoutException && ex is not DownloadChecksumException and not HttpStatusException && File.Exists(meta))
            {
                await Task.Delay(Backoff(_retry, transfer - 1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(long Offset, Version Version)> TransferAsync(string url, string partial, string meta, DownloadOptions options, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        long existing = 0;
        string? validator = null;
        if (options.Resume && File.Exists(partial) && File.Exists(meta))
        {
            existing = new FileInfo(partial).Length;
            validator = (await File.ReadAllTextAsync(meta, cancellationToken).ConfigureAwait(false)).Trim();
        }

        HttpRequestMessage request = Create(HttpMethod.Get, url, null);
        foreach (KeyValuePair<string, string> header in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (existing > 0 && !string.IsNullOrEmpty(validator))
        {
            request.Headers.Range = new RangeHeaderValue(existing, null);
            request.Headers.TryAddWithoutValidation("If-Range", validator);
        }
        else
        {
            existing = 0;
        }

        using HttpResponseMessage response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The partial file no longer fits the resource: start over on the next transfer.
            File.Delete(partial);
            File.Delete(meta);
            throw new IOException($"The server rejected resuming {request.RequestUri} at byte {existing} (416); the partial file was discarded and the download restarts.");
        }

        await response.EnsureSuccessAsync(cancellationToken).ConfigureAwait(false);
        long offset = 0;
        if (response.StatusCode == HttpStatusCode.PartialContent && existing > 0)
        {
            ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
            if (range?.From != existing)
            {
                throw new IOException($"The server answered a resume of {request.RequestUri} at byte {existing} with range '{range}'. The partial file was kept; retry the download.");
            }

            offset = existing;
        }

        string? newValidator = response.Headers.ETag is { IsWeak: false } etag ? etag.ToString()
            : response.Content.Headers.LastModified is { } modified ? modified.ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : null;
        if (offset == 0)
        {
            if (options.Resume && newValidator is not null && response.Headers.AcceptRanges.Contains("bytes"))
            {
                await File.WriteAllTextAsync(meta, newValidator, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                File.Delete(meta);
            }
        }

        long? total = response.Content.Headers.ContentLength is { } length ? length + offset : null;
        var file = new FileStream(partial, offset == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                try
                {
                    long written = offset;
                    progress?.Report(new TransferProgress(written, total));
                    while (true)
                    {
                        int read = await body.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        written += read;
                        progress?.Report(new TransferProgress(written, total));
                    }

                    if (total is { } expectedTotal && written != expectedTotal)
                    {
                        throw new IOException($"The download of {request.RequestUri} ended after {written} of {expectedTotal} bytes. The partial file was kept; retry to resume.");
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }

        return (offset, response.Version);
    }

    private static async Task<DownloadResult> FinishDownloadAsync(string url, string fullPath, string partial, string meta, string? expected, long resumedFrom, Version version, CancellationToken cancellationToken)
    {
        string actual;
        long length;
        var read = new FileStream(partial, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (read.ConfigureAwait(false))
        {
            length = read.Length;
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, cancellationToken).ConfigureAwait(false));
        }

        if (expected is not null && !string.Equals(expected, actual, StringComparison.Ordinal))
        {
            File.Delete(partial);
            File.Delete(meta);
            throw new DownloadChecksumException(fullPath, Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? uri : null, expected, actual);
        }

        File.Move(partial, fullPath, overwrite: true);
        File.Delete(meta);
        return new DownloadResult(fullPath, length, actual, resumedFrom, version);
    }

    /// <summary>A body stream that disposes its response with it.</summary>
    private sealed class OwningStream(Stream inner, HttpResponseMessage owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
