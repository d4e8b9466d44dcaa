using System.Net.Http.Headers;
using System.Text;

namespace XSystem.Http;

/// <summary>
/// An in-memory <see cref="HttpMessageHandler"/> for tests: a route table (method + URL or pattern) answered by
/// scripted responses, a record of every request, and delays on the client's <see cref="TimeProvider"/>. A request
/// that matches no route fails with <see cref="MockTransportException"/> listing the request and the routes.
/// </summary>
/// <example>
/// <code>
/// var mock = new MockTransport();
/// mock.OnGet("/items").RespondSequence(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
/// using var client = new AdvancedHttpClient(new HttpClientOptions { BaseAddress = new Uri("https://api.test") }, mock);
/// </code>
/// </example>
/// <remarks>Thread safety: add routes before sending; sending and reading <see cref="Requests"/> are thread-safe.</remarks>
public sealed class MockTransport : HttpMessageHandler
{
    private readonly List<MockRoute> _routes = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _gate = new();
    private TimeProvider _time;
    private readonly bool _explicitClock;

    /// <summary>Creates an empty transport.</summary>
    /// <param name="timeProvider">Clock for response delays; default the clock of the client it is given to.</param>
    public MockTransport(TimeProvider? timeProvider = null)
    {
        _explicitClock = timeProvider is not null;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The routes, in matching order (first match wins).</summary>
    public IReadOnlyList<MockRoute> Routes
    {
        get
        {
            lock (_gate)
            {
                return [.. _routes];
            }
        }
    }

    /// <summary>Adds a route.</summary>
    /// <param name="method">The method, or <see langword="null"/> for any.</param>
    /// <param name="pattern">Absolute URL, path, or path with query; <c>*</c> is a wildcard.</param>
    /// <returns>The route, to script responses on.</returns>
    public MockRoute On(HttpMethod? method, string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var route = new MockRoute(method, pattern);
        lock (_gate)
        {
            _routes.Add(route);
        }

        return route;
    }

    /// <summary>Adds a GET route.</summary>
    /// <param name="pattern">Absolute URL, path, or path with query; <c>*</c> is a wildcard.</param>
    /// <returns>The route.</returns>
    public MockRoute OnGet(string pattern) => On(HttpMethod.Get, pattern);

    /// <summary>Adds a POST route.</summary>
    /// <param name="pattern">Absolute URL, path, or path with query; <c>*</c> is a wildcard.</param>
    /// <returns>The route.</returns>
    public MockRoute OnPost(string pattern) => On(HttpMethod.Post, pattern);

    /// <summary>Adds a route for any method.</summary>
    /// <param name="pattern">Absolute URL, path, or path with query; <c>*</c> is a wildcard.</param>
    /// <returns>The route.</returns>
    public MockRoute OnAny(string pattern) => On(null, pattern);

    internal void AttachClock(TimeProvider time)
    {
        if (!_explicitClock)
        {
            _time = time;
        }
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        Uri uri = request.RequestUri ?? throw new MockTransportException("The request has no URI.");
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, HeaderStringValues> header in request.Headers.NonValidated)
        {
            headers[header.Key] = string.Join(", ", header.Value);
        }

        if (request.Content is not null)
        {
            foreach (KeyValuePair<string, HeaderStringValues> header in request.Content.Headers.NonValidated)
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }
        }

        var recorded = new RecordedRequest(request.Method, uri, request.Version, headers, body);
        MockRoute? route;
        lock (_gate)
        {
            _requests.Add(recorded);
            route = _routes.Find(r => r.Matches(request.Method, uri));
        }

        if (route is null)
        {
            throw new MockTransportException(DescribeMiss(recorded));
        }

        MockResponse scripted = route.Next(recorded);
        if (scripted.Delay > TimeSpan.Zero)
        {
            await Task.Delay(scripted.Delay, _time, cancellationToken).ConfigureAwait(false);
        }

        if (scripted.Fail)
        {
            throw new HttpRequestException($"MockTransport: simulated connection failure for {recorded}.", new IOException("Connection reset (simulated)."));
        }

        HttpContent content = scripted.StallAfterBytes is { } stallAt
            ? new StreamContent(new StallingStream(scripted.Body, stallAt, abort: false))
            : scripted.AbortAfterBytes is { } abortAt
                ? new StreamContent(new StallingStream(scripted.Body, abortAt, abort: true))
                : new ReadOnlyMemoryContent(scripted.Body);
        if (scripted.ContentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(scripted.ContentType);
        }

        var response = new HttpResponseMessage(scripted.Status)
        {
            RequestMessage = request,
            Version = request.Version,
            Content = content,
        };
        foreach (KeyValuePair<string, string> header in scripted.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return response;
    }

    private string DescribeMiss(RecordedRequest request)
    {
        var text = new StringBuilder();
        text.Append("MockTransport has no route for ").Append(request.Method).Append(' ').Append(request.Uri).Append('.');
        List<MockRoute> routes;
        lock (_gate)
        {
            routes = [.. _routes];
        }

        if (routes.Count == 0)
        {
            text.Append(" No routes are configured; add one with On/OnGet/OnPost.");
        }
        else
        {
            text.Append(" Routes:");
            foreach (MockRoute route in routes)
            {
                text.AppendLine().Append("  ").Append(route);
            }
        }

        return text.ToString();
    }

    /// <summary>Serves a prefix of the body, then waits until the reader cancels, or fails like a reset connection.</summary>
    private sealed class StallingStream(ReadOnlyMemory<byte> body, int stallAt, bool abort) : Stream
    {
        private int _position;

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

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The mock stalling body supports asynchronous reads only.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int limit = Math.Min(stallAt, body.Length);
            if (_position < limit)
            {
                int n = Math.Min(buffer.Length, limit - _position);
                body.Span.Slice(_position, n).CopyTo(buffer.Span);
                _position += n;
                return n;
            }

            if (abort)
            {
                throw new IOException("MockTransport: the connection was reset in the middle of the body (simulated).");
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
