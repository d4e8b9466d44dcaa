using System.Net.Http.Headers;

namespace XSystem.Http;

public sealed partial class AdvancedHttpClient
{
    /// <summary>
    /// The timing state of one <see cref="SendAsync(HttpRequestMessage, HttpCompletionOption, CancellationToken)"/> call:
    /// one cancellation source per attempt, armed with the nearest of the attempt deadline, the total deadline and (while
    /// a buffered body is read) the read-idle deadline, remembering which limit it was armed for. A separate total-timeout
    /// source exists only once a retry or a redirect needs one. The scope is also the stream a buffered body is copied
    /// into, so the common request allocates one object for both jobs.
    /// </summary>
    /// <remarks>Used by one request at a time; not thread-safe.</remarks>
    private sealed class RequestScope : Stream
    {
        private readonly AdvancedHttpClient _client;
        private readonly CancellationToken _caller;
        private readonly long _totalDeadline;
        private CancellationTokenSource? _cts;
        private CancellationTokenRegistration _parentRegistration;
        private long _attemptDeadline;
        private HttpTimeoutKind _armed;
        private CancellationTokenSource? _totalCts;
        private CancellationTokenRegistration _totalRegistration;
        private Stream _target = Null;

        public RequestScope(AdvancedHttpClient client, CancellationToken caller)
        {
            _client = client;
            _caller = caller;
            _totalDeadline = client._totalTimeout == Timeout.InfiniteTimeSpan
                ? long.MaxValue
                : client._time.GetTimestamp() + client.ToTimestamp(client._totalTimeout);
        }

        /// <summary>Whether the current attempt's source fired (a limit expired or the parent token was cancelled).</summary>
        public bool AttemptCancelled => _cts is { IsCancellationRequested: true };

        /// <summary>Whether the caller cancelled the request.</summary>
        public bool CallerCancelled => _caller.IsCancellationRequested;

        /// <summary>Whether the total-timeout source (slow path) fired.</summary>
        public bool TotalExpired => _totalCts is { IsCancellationRequested: true };

        /// <summary>The limit the current attempt's source was last armed for.</summary>
        public HttpTimeoutKind ArmedKind => _armed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>
        /// Returns the token for the rest of the request after the first attempt: a total-timeout source armed with the
        /// remaining total time (linked to the caller's token) when a total timeout is set, else the caller's token.
        /// </summary>
        public CancellationToken BeginSlowPath()
        {
            if (_totalDeadline == long.MaxValue)
            {
                return _caller;
            }

            if (_totalCts is null)
            {
                long remaining = _totalDeadline - _client._time.GetTimestamp();
                _totalCts = new CancellationTokenSource(_client.ToTimeSpan(remaining), _client._time);
                if (_caller.CanBeCanceled)
                {
                    _totalRegistration = _caller.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _totalCts);
                }
            }

            return _totalCts.Token;
        }

        /// <summary>Starts an attempt: arms one source with the nearer of the attempt and total deadlines.</summary>
        /// <param name="buffered">Whether the body will be buffered within the attempt (read-idle limit applies).</param>
        /// <param name="parent">The caller's token (first attempt) or the total-timeout token (slow path).</param>
        /// <returns>The token for the attempt.</returns>
        public CancellationToken BeginAttempt(bool buffered, CancellationToken parent)
        {
            AdvancedHttpClient client = _client;
            TimeSpan delay;
            if (_totalDeadline == long.MaxValue && !(buffered && client._readIdleCanExpireFirst))
            {
                // Only the attempt limit can fire: no deadlines to track (timestamps are not free on every platform).
                _armed = HttpTimeoutKind.Attempt;
                if (client._attemptTimeout == Timeout.InfiniteTimeSpan)
                {
                    return parent;
                }

                delay = client._attemptTimeout;
            }
            else
            {
                long now = client._time.GetTimestamp();
                _attemptDeadline = client._attemptTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue : now + client.ToTimestamp(client._attemptTimeout);
                long deadline;
                if (_attemptDeadline <= _totalDeadline)
                {
                    deadline = _attemptDeadline;
                    _armed = HttpTimeoutKind.Attempt;
                }
                else
                {
                    deadline = _totalDeadline;
                    _armed = HttpTimeoutKind.Total;
                }

                delay = deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : client.ToTimeSpan(deadline - now);
            }

            var cts = new CancellationTokenSource(delay, client._time);
            if (parent.CanBeCanceled)
            {
                _parentRegistration = parent.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), cts);
            }

            _cts = cts;
            return cts.Token;
        }

        /// <summary>Ends the attempt: releases its source.</summary>
        public void EndAttempt()
        {
            _parentRegistration.Dispose();
            _parentRegistration = default;
            _cts?.Dispose();
            _cts = null;
        }

        /// <summary>The configured value of a limit, for the exception.</summary>
        public TimeSpan LimitOf(HttpTimeoutKind kind) => kind switch
        {
            HttpTimeoutKind.Attempt => _client._attemptTimeout,
            HttpTimeoutKind.Total => _client._totalTimeout,
            HttpTimeoutKind.ReadIdle => _client._readIdleTimeout,
            _ => _client._options.ConnectTimeout,
        };

        /// <summary>
        /// Reads the whole body of <paramref name="response"/> within the attempt, every read bounded by the read-idle
        /// limit: the content is replaced by one that buffers the original through this scope (which re-arms the
        /// source on every chunk) and keeps the original content headers.
        /// </summary>
        public Task BufferBodyAsync(HttpResponseMessage response, CancellationToken token)
        {
            var content = new BufferingContent(response.Content, this);
            response.Content = content;
            ArmReadIdle();
            return content.LoadIntoBufferAsync(token);
        }

        /// <summary>Copies <paramref name="source"/> into <paramref name="target"/> through this scope.</summary>
        public Task CopyBodyAsync(HttpContent source, Stream target, CancellationToken token)
        {
            _target = target;
            return source.CopyToAsync(this, token);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_armed == HttpTimeoutKind.ReadIdle)
            {
                ArmReadIdle();
            }

            _target.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_armed == HttpTimeoutKind.ReadIdle)
            {
                ArmReadIdle();
            }

            return _target.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => _target.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _target.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                EndAttempt();
                _target = Null;
                _totalRegistration.Dispose();
                _totalCts?.Dispose();
                _totalCts = null;
            }

            base.Dispose(disposing);
        }

        /// <summary>
        /// Arms the source with the read-idle limit when that expires before the attempt and total deadlines; once the
        /// nearer of those is closer than a full idle period, arms it for that one instead and stops re-arming.
        /// </summary>
        private void ArmReadIdle()
        {
            AdvancedHttpClient client = _client;
            if (!client._readIdleCanExpireFirst || _cts is not { } cts || cts.IsCancellationRequested)
            {
                return;
            }

            long now = client._time.GetTimestamp();
            long idleDeadline = now + client.ToTimestamp(client._readIdleTimeout);
            long limit = Math.Min(_attemptDeadline, _totalDeadline);
            if (idleDeadline < limit)
            {
                _armed = HttpTimeoutKind.ReadIdle;
                cts.CancelAfter(client._readIdleTimeout);
            }
            else if (_armed == HttpTimeoutKind.ReadIdle)
            {
                _armed = _attemptDeadline <= _totalDeadline ? HttpTimeoutKind.Attempt : HttpTimeoutKind.Total;
                cts.CancelAfter(client.ToTimeSpan(limit - now));
            }
        }
    }

    /// <summary>
    /// Response content that buffers its original content through a <see cref="RequestScope"/> (which enforces the
    /// read-idle limit per chunk) into the standard <see cref="HttpContent"/> buffer. Headers are those of the original
    /// content.
    /// </summary>
    private sealed class BufferingContent : HttpContent
    {
        private readonly HttpContent _inner;
        private RequestScope? _scope;

        public BufferingContent(HttpContent inner, RequestScope scope)
        {
            _inner = inner;
            _scope = scope;
            // All headers, Content-Length included: a HEAD response declares a length but has no body.
            foreach (KeyValuePair<string, HeaderStringValues> header in inner.Headers.NonValidated)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            // The first serialization is the buffering one; a later one (only if buffering was skipped) copies directly.
            RequestScope? scope = _scope;
            _scope = null;
            return scope is null ? _inner.CopyToAsync(stream, cancellationToken) : scope.CopyBodyAsync(_inner, stream, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            if (_inner.Headers.ContentLength is { } known)
            {
                length = known;
                return true;
            }

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
}
