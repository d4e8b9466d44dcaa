namespace XSystem.Http.Internal;

/// <summary>
/// Wraps a response body stream so that every read must complete within the idle limit. One cancellation source per
/// stream, re-armed on every read (no allocation per read unless the caller's token can be cancelled).
/// </summary>
internal sealed class ReadIdleTimeoutStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idle;
    private readonly HttpMethod? _method;
    private readonly Uri? _uri;
    private readonly CancellationTokenSource _idleCts;
    private readonly IDisposable? _owner;
    private int _disposed;

    public ReadIdleTimeoutStream(Stream inner, TimeSpan idle, TimeProvider timeProvider, HttpMethod? method, Uri? uri, IDisposable? owner = null)
    {
        _inner = inner;
        _idle = idle;
        _method = method;
        _uri = uri;
        _owner = owner;
        _idleCts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Synchronous reads cannot be interrupted portably; bound them by disposing the source on expiry.
        ThrowIfTimedOut();
        using CancellationTokenRegistration reg = _idleCts.Token.UnsafeRegister(static s => ((Stream)s!).Dispose(), _inner);
        _idleCts.CancelAfter(_idle);
        try
        {
            return _inner.Read(buffer);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException && _idleCts.IsCancellationRequested)
        {
            throw TimedOut(ex);
        }
        finally
        {
            Disarm();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfTimedOut();
        cancellationToken.ThrowIfCancellationRequested();
        CancellationTokenRegistration reg = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _idleCts)
            : default;
        try
        {
            _idleCts.CancelAfter(_idle);
            return await _inner.ReadAsync(buffer, _idleCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException && _idleCts.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw TimedOut(ex);
        }
        finally
        {
            await reg.DisposeAsync().ConfigureAwait(false);
            Disarm();
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _inner.Dispose();
            _idleCts.Dispose();
            _owner?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Disarm()
    {
        if (!_idleCts.IsCancellationRequested)
        {
            _idleCts.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    private void ThrowIfTimedOut()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_idleCts.IsCancellationRequested)
        {
            throw TimedOut(null);
        }
    }

    private HttpTimeoutException TimedOut(Exception? inner) => new(HttpTimeoutKind.ReadIdle, _method, _uri, _idle, inner);
}

/// <summary>Response content whose stream enforces the read-idle timeout. Headers are those of the wrapped content.</summary>
internal sealed class ReadIdleTimeoutContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly TimeSpan _idle;
    private readonly TimeProvider _timeProvider;
    private readonly HttpMethod? _method;
    private readonly Uri? _uri;

    public ReadIdleTimeoutContent(HttpContent inner, TimeSpan idle, TimeProvider timeProvider, HttpMethod? method, Uri? uri)
    {
        _inner = inner;
        _idle = idle;
        _timeProvider = timeProvider;
        _method = method;
        _uri = uri;
        foreach (KeyValuePair<string, System.Net.Http.Headers.HeaderStringValues> header in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        Stream source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        Stream inner = await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new ReadIdleTimeoutStream(inner, _idle, _timeProvider, _method, _uri);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
