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
        private const int MinGrowth = 4096;
        private const string ContentLengthHeader = "Content-Length";

        private readonly AdvancedHttpClient _client;
        private readonly CancellationToken _caller;
        private readonly long _totalDeadline;
        private CancellationTokenSource? _cts;
        private CancellationTokenRegistration _parentRegistration;
        private long _attemptDeadline;
        private HttpTimeoutKind _armed;
        private CancellationTokenSource? _totalCts;
        private CancellationTokenRegistration _totalRegistration;
        private byte[] _buffer = [];
        private int _length;
        private HttpMethod? _method;
        private Uri? _uri;

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

            if (deadline == long.MaxValue && !(buffered && client._readIdleTimeout != Timeout.InfiniteTimeSpan))
            {
                return parent;
            }

            TimeSpan delay = deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : client.ToTimeSpan(deadline - now);
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
        /// limit, and replaces the content with a buffered copy that keeps the original content headers.
        /// </summary>
        public async ValueTask BufferBodyAsync(HttpResponseMessage response, HttpRequestMessage request, CancellationToken token)
        {
            HttpContent original = response.Content;
            long? declared = original.Headers.ContentLength;
            _buffer = declared is > 0 and <= int.MaxValue && declared.Value <= Array.MaxLength ? new byte[declared.Value] : [];
            _length = 0;
            _method = request.Method;
            _uri = request.RequestUri;
            ArmReadIdle();
            await original.CopyToAsync(this, token).ConfigureAwait(false);
            var buffered = new ByteArrayContent(_buffer, 0, _length);
            foreach (KeyValuePair<string, HeaderStringValues> header in original.Headers.NonValidated)
            {
                if (!string.Equals(header.Key, ContentLengthHeader, StringComparison.OrdinalIgnoreCase))
                {
                    buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            _buffer = [];
            response.Content = buffered;
            original.Dispose();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_armed == HttpTimeoutKind.ReadIdle)
            {
                ArmReadIdle();
            }

            int needed = _length + buffer.Length;
            if (needed > _buffer.Length)
            {
                Grow(buffer.Length);
            }

            buffer.CopyTo(_buffer.AsSpan(_length));
            _length += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                EndAttempt();
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
            if (_cts is not { } cts || client._readIdleTimeout == Timeout.InfiniteTimeSpan || cts.IsCancellationRequested)
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

        private void Grow(int adding)
        {
            long needed = (long)_length + adding;
            if (needed > Array.MaxLength)
            {
                throw new HttpRequestException(
                    HttpRequestError.ConfigurationLimitExceeded,
                    $"The body of {_method} {_uri} is larger than {Array.MaxLength} bytes and cannot be buffered. Stream it instead (HttpCompletionOption.ResponseHeadersRead or GetStreamAsync).");
            }

            long size = Math.Max(Math.Max(needed, (long)_buffer.Length * 2), MinGrowth);
            byte[] grown = new byte[Math.Min(size, Array.MaxLength)];
            _buffer.AsSpan(0, _length).CopyTo(grown);
            _buffer = grown;
        }
    }
}
