using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using XSystem.Http.Internal;

namespace XSystem.Http;

/// <summary>
/// An HTTP client on <see cref="SocketsHttpHandler"/> and Polly.Core: HTTP/2 by default (HTTP/1.1 fallback), connect,
/// attempt, total and read-idle timeouts, retries with backoff and <c>Retry-After</c>, safe redirects, streaming,
/// resumable downloads with checksum, hooks, and a pluggable transport (<see cref="MockTransport"/> for tests).
/// </summary>
/// <remarks>
/// Create one client and reuse it: it owns a connection pool. Relative URLs resolve against
/// <see cref="HttpClientOptions.BaseAddress"/>.
/// <para>Thread safety: all members are safe to call concurrently, except <see cref="Dispose"/>.</para>
/// </remarks>
public sealed partial class AdvancedHttpClient : IDisposable, IAsyncDisposable
{
    /// <summary>
    /// Request option that lets one non-idempotent request (POST, PATCH) be retried:
    /// <c>request.Options.Set(AdvancedHttpClient.AllowRetryKey, true)</c>.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> AllowRetryKey = new("XSystem.Http.AllowRetry");

    private static readonly ResiliencePropertyKey<AttemptState> StateKey = new("XSystem.Http.AttemptState");

    private readonly HttpMessageInvoker _invoker;
    private readonly HttpClientOptions _options;
    private readonly RetryOptions _retry;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage>? _pipeline;
    private readonly KeyValuePair<string, string>[] _defaultHeaders;
    private readonly Version _version;
    private readonly HttpVersionPolicy _versionPolicy;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeSpan _totalTimeout;
    private readonly TimeSpan _readIdleTimeout;
    private readonly double _timestampsPerTick;
    private readonly bool _readIdleCanExpireFirst;
    private int _disposed;

    /// <summary>Creates a client.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults. Validated here.</param>
    /// <param name="transport">
    /// The handler that sends requests, for example a <see cref="MockTransport"/>; <see langword="null"/> for a
    /// <see cref="SocketsHttpHandler"/> built from <paramref name="options"/>. A given transport is not disposed by the
    /// client, and the connection, proxy, TLS, cookie and decompression options do not apply to it.
    /// </param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public AdvancedHttpClient(HttpClientOptions? options = null, HttpMessageHandler? transport = null)
    {
        options ??= new HttpClientOptions();
        options.Validate();
        _options = options;
        _retry = options.Retry;
        _time = options.TimeProvider;
        _attemptTimeout = options.AttemptTimeout;
        _totalTimeout = options.TotalTimeout;
        _readIdleTimeout = options.ReadIdleTimeout;
        _timestampsPerTick = (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond;
        _readIdleCanExpireFirst = _readIdleTimeout != Timeout.InfiniteTimeSpan && (_attemptTimeout == Timeout.InfiniteTimeSpan || _readIdleTimeout < _attemptTimeout);
        _version = options.Http2Only ? HttpVersion.Version20 : options.Version;
        _versionPolicy = options.Http2Only ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower;
        _defaultHeaders = [.. options.DefaultHeaders];
        _invoker = transport is null
            ? new HttpMessageInvoker(CreateHandler(options), disposeHandler: true)
            : new HttpMessageInvoker(transport, disposeHandler: false);
        if (transport is MockTransport mock)
        {
            mock.AttachClock(_time);
        }

        _pipeline = BuildPipeline();
    }

    /// <summary>The options this client was created with.</summary>
    public HttpClientOptions Options => _options;

    /// <summary>Sends a request and buffers the response body (bounded by the attempt and read-idle timeouts).</summary>
    /// <param name="request">The request; a relative URI resolves against the base address.</param>
    /// <param name="cancellationToken">Cancels the whole request, retries and redirects included.</param>
    /// <returns>The final response, after redirects and retries. Its status is not checked; see <see cref="HttpResponseExtensions.EnsureSuccessAsync"/>.</returns>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>Sends a request.</summary>
    /// <param name="request">
    /// The request; a relative URI resolves against the base address. When it still carries the message defaults
    /// (version 1.1, <see cref="HttpVersionPolicy.RequestVersionOrLower"/>), the client's version settings apply.
    /// </param>
    /// <param name="completionOption">
    /// <see cref="HttpCompletionOption.ResponseContentRead"/> buffers the body within the attempt (and retries a failed
    /// body read); <see cref="HttpCompletionOption.ResponseHeadersRead"/> returns after the headers, and the body
    /// stream enforces the read-idle timeout.
    /// </param>
    /// <param name="cancellationToken">Cancels the whole request, retries and redirects included.</param>
    /// <returns>The final response, after redirects and retries.</returns>
    /// <exception cref="HttpTimeoutException">A connect, attempt, total or read-idle limit expired on the last attempt.</exception>
    /// <exception cref="HttpRequestException">The request failed on the last attempt (connection refused, reset ...).</exception>
    /// <exception cref="HttpRedirectException">A redirect could not be followed safely.</exception>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completionOption, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Prepare(request);

        using Activity? activity = HttpTelemetry.Source.HasListeners() ? StartActivity(request) : null;
        using var scope = new RequestScope(this, cancellationToken);
        try
        {
            bool retryable = IsRetryable(request);
            HttpResponseMessage? first = null;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
            if (_retry.CircuitBreaker is null)
            {
                // Fast path: the first attempt runs here, outside Polly, on one cancellation source for the attempt and
                // total limits. A redirect, a retryable status or a transient failure continues on the slow path, whose
                // pipeline replays the outcome (delay, hooks, retries).
                if (retryable)
                {
                    try
                    {
                        first = await AttemptAsync(scope, request, completionOption, 1, 0, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransientFailure(Outcome.FromException<HttpResponseMessage>(ex)))
                    {
                        failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
                    }
                }
                else
                {
                    first = await AttemptAsync(scope, request, completionOption, 1, 0, cancellationToken).ConfigureAwait(false);
                }

                if (first is not null && !IsFollowableRedirect(first) && !(retryable && _retry.RetryOnStatus.Contains(first.StatusCode)))
                {
                    if (activity is not null)
                    {
                        TagResponse(activity, first, 0);
                    }

                    return first;
                }
            }

            return await SendSlowAsync(scope, request, completionOption, retryable, first, failure, activity).ConfigureAwait(false);
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex is HttpTimeoutException { Kind: HttpTimeoutKind.Total } ? "total timeout" : ex.Message);
            activity.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
    }

    /// <summary>Disposes the connection pool (not a transport passed to the constructor).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _invoker.Dispose();
        }
    }

    /// <summary>Disposes the connection pool (not a transport passed to the constructor).</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static Activity? StartActivity(HttpRequestMessage request)
    {
        Activity? activity = HttpTelemetry.Source.StartActivity($"HTTP {request.Method.Method}", ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("http.request.method", request.Method.Method);
            activity.SetTag("url.full", request.RequestUri?.GetLeftPart(UriPartial.Path));
        }

        return activity;
    }

    private void Prepare(HttpRequestMessage request)
    {
        Uri? uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            if (_options.BaseAddress is null)
            {
                throw new InvalidOperationException($"The request URI '{uri}' is relative and HttpClientOptions.BaseAddress is not set. Pass an absolute URL or set a base address.");
            }

            request.RequestUri = uri is null ? _options.BaseAddress : new Uri(_options.BaseAddress, uri);
        }

        if (request.Version == HttpVersion.Version11 && request.VersionPolicy == HttpVersionPolicy.RequestVersionOrLower)
        {
            request.Version = _version;
            request.VersionPolicy = _versionPolicy;
        }

        foreach (KeyValuePair<string, string> header in _defaultHeaders)
        {
            if (!request.Headers.NonValidated.Contains(header.Key))
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }

    /// <summary>
    /// Everything after the first attempt: retries through the pipeline, redirects, and the total timeout across them
    /// (a separate source, created here, armed with the remaining total time).
    /// </summary>
    private async Task<HttpResponseMessage> SendSlowAsync(
        RequestScope scope,
        HttpRequestMessage request,
        HttpCompletionOption completion,
        bool retryable,
        HttpResponseMessage? first,
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure,
        Activity? activity)
    {
        CancellationToken token = scope.BeginSlowPath();
        try
        {
            HttpRequestMessage current = request;
            int redirects = 0;
            HttpResponseMessage response;
            if (failure is not null || (first is not null && retryable && _retry.RetryOnStatus.Contains(first.StatusCode)))
            {
                var state = new AttemptState(this, scope, request, completion, 0, retryable) { Attempt = 1, PendingResponse = first, PendingException = failure };
                response = await RunPipelineAsync(state, token).ConfigureAwait(false);
            }
            else
            {
                // The first attempt answered with a redirect, or (circuit breaker) no attempt was made yet.
                response = first ?? await SendHopAsync(scope, current, completion, 0, token).ConfigureAwait(false);
            }

            while (true)
            {
                if (!IsFollowableRedirect(response))
                {
                    if (activity is not null)
                    {
                        TagResponse(activity, response, redirects);
                    }

                    return response;
                }

                try
                {
                    if (redirects >= _options.MaxRedirects)
                    {
                        throw new HttpRedirectException($"{request.Method} {request.RequestUri} was redirected more than {_options.MaxRedirects} times (last Location: {response.Headers.Location}). Check for a redirect loop or raise HttpClientOptions.MaxRedirects.");
                    }

                    current = CreateRedirect(current, response);
                }
                finally
                {
                    response.Dispose();
                }

                redirects++;
                HttpTelemetry.Redirects.Add(1);
                response = await SendHopAsync(scope, current, completion, redirects, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (scope.TotalExpired && !scope.CallerCancelled)
        {
            throw new HttpTimeoutException(HttpTimeoutKind.Total, request.Method, request.RequestUri, _totalTimeout, ex);
        }
    }

    private static void TagResponse(Activity activity, HttpResponseMessage response, int redirects)
    {
        activity.SetTag("http.response.status_code", (int)response.StatusCode);
        activity.SetTag("network.protocol.version", response.Version.ToString());
        activity.SetTag("xsystem.http.redirects", redirects);
        if ((int)response.StatusCode >= 400)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    private async ValueTask<HttpResponseMessage> SendHopAsync(RequestScope scope, HttpRequestMessage request, HttpCompletionOption completion, int redirects, CancellationToken token)
    {
        var state = new AttemptState(this, scope, request, completion, redirects, IsRetryable(request));
        if (_pipeline is null || (!state.Retryable && _retry.CircuitBreaker is null))
        {
            return await AttemptAsync(scope, request, completion, ++state.Attempt, redirects, token).ConfigureAwait(false);
        }

        if (state.Retryable && _retry.CircuitBreaker is null)
        {
            // The first attempt of a redirect hop also runs outside Polly; a transient failure is replayed by the pipeline.
            try
            {
                HttpResponseMessage first = await AttemptAsync(scope, request, completion, ++state.Attempt, redirects, token).ConfigureAwait(false);
                if (!_retry.RetryOnStatus.Contains(first.StatusCode))
                {
                    return first;
                }

                state.PendingResponse = first;
            }
            catch (Exception ex) when (!token.IsCancellationRequested && IsTransientFailure(Outcome.FromException<HttpResponseMessage>(ex)))
            {
                state.PendingException = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
            }
        }

        return await RunPipelineAsync(state, token).ConfigureAwait(false);
    }

    private async ValueTask<HttpResponseMessage> RunPipelineAsync(AttemptState state, CancellationToken token)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(token);
        try
        {
            context.Properties.Set(StateKey, state);
            return await _pipeline!.ExecuteAsync(
                static (ctx, s) => s.TakePending(out ValueTask<HttpResponseMessage> replay)
                    ? replay
                    : s.Client.AttemptAsync(s.Scope, s.Request, s.Completion, ++s.Attempt, s.Redirects, ctx.CancellationToken),
                context,
                state).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One attempt: sends, then (buffered) reads the body, all under one cancellation source armed for the nearest
    /// limit. A firing of that source becomes an <see cref="HttpTimeoutException"/> of the limit it was armed for.
    /// </summary>
    private async ValueTask<HttpResponseMessage> AttemptAsync(RequestScope scope, HttpRequestMessage request, HttpCompletionOption completion, int attempt, int redirects, CancellationToken parent)
    {
        HttpRequestMessage message = attempt == 1 ? request : CloneRequest(request, request.RequestUri!);
        _options.OnRequest?.Invoke(new HttpRequestArguments(message, attempt, redirects));

        bool buffered = completion == HttpCompletionOption.ResponseContentRead;
        CancellationToken token = scope.BeginAttempt(buffered, parent);
        long started = _options.OnResponse is null ? 0 : _time.GetTimestamp();
        HttpResponseMessage? response = null;
        try
        {
            response = await _invoker.SendAsync(message, token).ConfigureAwait(false);
            bool redirect = IsFollowableRedirect(response);
            if (!buffered && !redirect && _readIdleTimeout != Timeout.InfiniteTimeSpan)
            {
                response.Content = new ReadIdleTimeoutContent(response.Content, _readIdleTimeout, _time, message.Method, message.RequestUri);
            }

            _options.OnResponse?.Invoke(new HttpResponseArguments(response, attempt, _time.GetElapsedTime(started)));
            if (buffered && !redirect)
            {
                // When the read-idle limit can never expire before the attempt (or total) deadline the source is armed
                // for, the body is buffered as is; otherwise through the scope, which re-arms the source per chunk.
                await (_readIdleCanExpireFirst ? scope.BufferBodyAsync(response, token) : response.Content.LoadIntoBufferAsync(token)).ConfigureAwait(false);
            }

            HttpResponseMessage result = response;
            response = null;
            return result;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException && scope.AttemptCancelled && !parent.IsCancellationRequested)
        {
            HttpTimeoutKind kind = scope.ArmedKind;
            throw new HttpTimeoutException(kind, message.Method, message.RequestUri, scope.LimitOf(kind), ex);
        }
        catch (OperationCanceledException ex) when (ex.InnerException is TimeoutException && !parent.IsCancellationRequested)
        {
            throw new HttpTimeoutException(HttpTimeoutKind.Connect, message.Method, message.RequestUri, _options.ConnectTimeout, ex);
        }
        finally
        {
            response?.Dispose();
            scope.EndAttempt();
        }
    }

    /// <summary>Converts a duration to <see cref="TimeProvider"/> timestamp units.</summary>
    private long ToTimestamp(TimeSpan duration) => (long)(duration.Ticks * _timestampsPerTick);

    /// <summary>Converts a timestamp difference back to a duration; a negative difference becomes zero.</summary>
    private TimeSpan ToTimeSpan(long timestamps) => timestamps <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)(timestamps / _timestampsPerTick));

    private bool IsFollowableRedirect(HttpResponseMessage response) =>
        _options.FollowRedirects
        && response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
        && response.Headers.Location is not null;

    private bool IsRetryable(HttpRequestMessage request)
    {
        if (_retry.MaxAttempts <= 1)
        {
            return false;
        }

        bool idempotent = request.Method != HttpMethod.Post && request.Method != HttpMethod.Patch && request.Method != HttpMethod.Connect;
        if (!idempotent && !_retry.RetryNonIdempotent && !(request.Options.TryGetValue(AllowRetryKey, out bool allowed) && allowed))
        {
            return false;
        }

        return IsReplayable(request.Content);
    }

    internal static bool IsReplayable(HttpContent? content) => content switch
    {
        null => true,
        UploadContent upload => upload.CanReplay,
        MultipartContent multipart => multipart.All(IsReplayable),
        StreamContent => false,
        _ => true,
    };

    private static HttpRequestMessage CloneRequest(HttpRequestMessage source, Uri uri)
    {
        var clone = new HttpRequestMessage(source.Method, uri)
        {
            Version = source.Version,
            VersionPolicy = source.VersionPolicy,
            Content = source.Content,
        };
        foreach (KeyValuePair<string, HeaderStringValues> header in source.Headers.NonValidated)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var options = (IDictionary<string, object?>)clone.Options;
        foreach (KeyValuePair<string, object?> option in source.Options)
        {
            options[option.Key] = option.Value;
        }

        return clone;
    }

    private static HttpRequestMessage CreateRedirect(HttpRequestMessage current, HttpResponseMessage response)
    {
        Uri from = current.RequestUri!;
        Uri location = response.Headers.Location!;
        if (!location.IsAbsoluteUri)
        {
            location = new Uri(from, location);
        }

        if (location.Scheme != Uri.UriSchemeHttp && location.Scheme != Uri.UriSchemeHttps)
        {
            throw new HttpRedirectException($"{current.Method} {from} redirected to '{location}', which is not an http or https URL; it was not followed.");
        }

        if (from.Scheme == Uri.UriSchemeHttps && location.Scheme == Uri.UriSchemeHttp)
        {
            throw new HttpRedirectException($"{current.Method} {from} redirected from HTTPS to plain HTTP ({location}); the downgrade was refused. Request the HTTP URL explicitly if that is intended.");
        }

        HttpStatusCode status = response.StatusCode;
        bool toGet = status == HttpStatusCode.SeeOther
            ? current.Method != HttpMethod.Head
            : status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found && current.Method == HttpMethod.Post;
        if (!toGet && current.Content is not null && !IsReplayable(current.Content))
        {
            throw new HttpRedirectException($"{current.Method} {from} answered {(int)status} to {location}, which requires sending the body again, but the body is a non-seekable stream. Send a seekable or buffered body to follow it.");
        }

        HttpRequestMessage next = CloneRequest(current, location);
        if (toGet)
        {
            next.Method = HttpMethod.Get;
            next.Content = null;
        }

        if (!IsSameOrigin(from, location))
        {
            next.Headers.Authorization = null;
            next.Headers.Remove("Cookie");
        }

        return next;
    }

    private static bool IsSameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static SocketsHttpHandler CreateHandler(HttpClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = options.ConnectTimeout,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            AutomaticDecompression = options.AutomaticDecompression ? DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli : DecompressionMethods.None,
            UseProxy = options.UseProxy,
            UseCookies = options.UseCookies,
            EnableMultipleHttp2Connections = false,
        };
        if (options.Proxy is not null)
        {
            handler.Proxy = options.Proxy;
        }

        if (options.UseCookies)
        {
            handler.CookieContainer = new CookieContainer();
        }

        if (options.ClientCertificates is { Count: > 0 })
        {
            handler.SslOptions.ClientCertificates = options.ClientCertificates;
        }

        if (options.TrustedServerCertificates.Count > 0 || options.ServerCertificateValidation is not null)
        {
            byte[][] pinned = [.. options.TrustedServerCertificates.Select(static c => c.GetCertHash(HashAlgorithmName.SHA256))];
            RemoteCertificateValidationCallback? custom = options.ServerCertificateValidation;
            handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null)
                {
                    byte[] hash = certificate.GetCertHash(HashAlgorithmName.SHA256);
                    if (pinned.Any(p => p.AsSpan().SequenceEqual(hash)))
                    {
                        errors = SslPolicyErrors.None;
                    }
                }

                return custom is null ? errors == SslPolicyErrors.None : custom(sender, certificate, chain, errors);
            };
        }

        return handler;
    }

    private ResiliencePipeline<HttpResponseMessage>? BuildPipeline()
    {
        if (_retry.MaxAttempts <= 1 && _retry.CircuitBreaker is null)
        {
            return null;
        }

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        if (_retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _retry.MaxAttempts - 1,
                Delay = _retry.BaseDelay,
                MaxDelay = null,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(ComputeDelay(args.Outcome, args.AttemptNumber)),
                OnRetry = args =>
                {
                    HandleRetry(args);
                    return default;
                },
            });
        }

        if (_retry.CircuitBreaker is { } breaker)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = args => new ValueTask<bool>(IsTransientFailure(args.Outcome)),
            });
        }

        return builder.Build();
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context) =>
        context.Properties.TryGetValue(StateKey, out AttemptState? state)
        && state.Retryable
        && !context.CancellationToken.IsCancellationRequested
        && IsTransientFailure(outcome);

    private bool IsTransientFailure(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => outcome.Result is { } response && _retry.RetryOnStatus.Contains(response.StatusCode),
        HttpRedirectException or BrokenCircuitException or HttpTimeoutException { Kind: HttpTimeoutKind.Total } => false,
        HttpTimeoutException or HttpRequestException or IOException => true,
        _ => false,
    };

    private TimeSpan ComputeDelay(Outcome<HttpResponseMessage> outcome, int attemptNumber)
    {
        if (_retry.HonorRetryAfter && outcome.Result?.Headers.RetryAfter is { } retryAfter)
        {
            TimeSpan? wait = retryAfter.Delta ?? (retryAfter.Date - _time.GetUtcNow());
            if (wait is { } w)
            {
                return w < TimeSpan.Zero ? TimeSpan.Zero : (w > _retry.MaxRetryAfter ? _retry.MaxRetryAfter : w);
            }
        }

        return Backoff(_retry, attemptNumber);
    }

    internal static TimeSpan Backoff(RetryOptions retry, int attemptNumber)
    {
        double ticks = retry.BaseDelay.Ticks * Math.Pow(2, Math.Min(attemptNumber, 30));
        double max = retry.MaxDelay.Ticks;
        if (ticks > max)
        {
            ticks = max;
        }

        if (retry.UseJitter)
        {
            // Equal jitter: half fixed, half random, so delays stay spread but never collapse to zero.
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
            ticks = (ticks / 2) + (Random.Shared.NextDouble() * ticks / 2);
#pragma warning restore CA5394
        }

        return TimeSpan.FromTicks((long)ticks);
    }

    private void HandleRetry(OnRetryArguments<HttpResponseMessage> args)
    {
        HttpResponseMessage? failed = args.Outcome.Result;
        Exception? exception = args.Outcome.Exception;
        args.Context.Properties.TryGetValue(StateKey, out AttemptState? state);
        HttpMethod method = state?.Request.Method ?? HttpMethod.Get;
        HttpTelemetry.Retries.Add(
            1,
            new KeyValuePair<string, object?>("http.request.method", method.Method),
            new KeyValuePair<string, object?>("xsystem.http.retry_reason", failed is not null ? ((int)failed.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : exception?.GetType().Name));
        Activity.Current?.AddEvent(new ActivityEvent("retry"));
        _options.OnRetry?.Invoke(new HttpRetryArguments(method, state?.Request.RequestUri, args.AttemptNumber + 1, args.RetryDelay, failed?.StatusCode, exception));
        failed?.Dispose();
    }

    private sealed class AttemptState(AdvancedHttpClient client, RequestScope scope, HttpRequestMessage request, HttpCompletionOption completion, int redirects, bool retryable)
    {
        public AdvancedHttpClient Client { get; } = client;

        public RequestScope Scope { get; } = scope;

        public HttpRequestMessage Request { get; } = request;

        public HttpCompletionOption Completion { get; } = completion;

        public int Redirects { get; } = redirects;

        public bool Retryable { get; } = retryable;

        public int Attempt { get; set; }

        public HttpResponseMessage? PendingResponse { get; set; }

        public System.Runtime.ExceptionServices.ExceptionDispatchInfo? PendingException { get; set; }

        /// <summary>Returns the outcome of an attempt made before the pipeline ran, once.</summary>
        public bool TakePending(out ValueTask<HttpResponseMessage> replay)
        {
            if (PendingResponse is { } response)
            {
                PendingResponse = null;
                replay = new ValueTask<HttpResponseMessage>(response);
                return true;
            }

            if (PendingException is { } exception)
            {
                PendingException = null;
                replay = ValueTask.FromException<HttpResponseMessage>(exception.SourceException);
                return true;
            }

            replay = default;
            return false;
        }
    }
}
