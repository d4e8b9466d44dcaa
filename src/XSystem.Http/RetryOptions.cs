using System.Net;

namespace XSystem.Http;

/// <summary>
/// Retry settings of an <see cref="AdvancedHttpClient"/>: how many attempts, how long to wait between them and which
/// failures are retried. Validated once when the client is created.
/// </summary>
/// <remarks>
/// Retried failures: connection errors (<see cref="HttpRequestException"/>, <see cref="IOException"/>), attempt,
/// connect and read-idle timeouts (<see cref="HttpTimeoutException"/>), and the statuses in <see cref="RetryOnStatus"/>.
/// Methods that are not idempotent (POST, PATCH, CONNECT) are never retried unless <see cref="RetryNonIdempotent"/>
/// is set or the request opts in with <see cref="AdvancedHttpClient.AllowRetryKey"/>. A request whose body cannot be
/// replayed (a non-seekable stream) is never retried.
/// <para>Thread safety: configure before passing to the client; do not change it afterwards.</para>
/// </remarks>
public sealed class RetryOptions
{
    /// <summary>A retry configuration that makes exactly one attempt.</summary>
    public static RetryOptions None => new() { MaxAttempts = 1 };

    /// <summary>Total number of attempts including the first one. Default 3; 1 disables retries.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; later retries back off exponentially with jitter. Default 1 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of any computed backoff delay. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the backoff delays are randomized (decorrelated jitter). Default <see langword="true"/>.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// Whether a <c>Retry-After</c> response header (delta seconds or an HTTP date) sets the delay before the next
    /// attempt. Default <see langword="true"/>.
    /// </summary>
    public bool HonorRetryAfter { get; set; } = true;

    /// <summary>The largest <c>Retry-After</c> delay that is honoured; longer requests are capped to it. Default 60 s.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether POST, PATCH and CONNECT requests are retried too. Default <see langword="false"/>: a non-idempotent
    /// request may have reached the server, so repeating it could apply it twice.
    /// </summary>
    public bool RetryNonIdempotent { get; set; }

    /// <summary>Response statuses that cause a retry. Default 408, 429, 500, 502, 503, 504.</summary>
    public ISet<HttpStatusCode> RetryOnStatus { get; set; } = new HashSet<HttpStatusCode>
    {
        HttpStatusCode.RequestTimeout,
        HttpStatusCode.TooManyRequests,
        HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable,
        HttpStatusCode.GatewayTimeout,
    };

    /// <summary>Optional circuit breaker that fails fast after repeated failures. Default <see langword="null"/> (off).</summary>
    public CircuitBreakerOptions? CircuitBreaker { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxAttempts, 100, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero, nameof(BaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, BaseDelay, nameof(MaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryAfter, TimeSpan.Zero, nameof(MaxRetryAfter));
        ArgumentNullException.ThrowIfNull(RetryOnStatus, nameof(RetryOnStatus));
        CircuitBreaker?.Validate();
    }
}

/// <summary>
/// Circuit breaker settings (Polly's circuit breaker): when the failure ratio within <see cref="SamplingDuration"/>
/// reaches <see cref="FailureRatio"/> over at least <see cref="MinimumThroughput"/> attempts, further attempts fail
/// fast with Polly's <c>BrokenCircuitException</c> for <see cref="BreakDuration"/>.
/// </summary>
/// <remarks>Thread safety: configure before passing to the client; do not change it afterwards.</remarks>
public sealed class CircuitBreakerOptions
{
    /// <summary>Failure ratio (0..1] that opens the circuit. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Minimum number of attempts in the sampling window before the circuit may open. Default 10.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>Length of the sampling window. Default 30 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before a trial attempt. Default 15 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FailureRatio, 0, nameof(FailureRatio));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FailureRatio, 1, nameof(FailureRatio));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumThroughput, 2, nameof(MinimumThroughput));
        ArgumentOutOfRangeException.ThrowIfLessThan(SamplingDuration, TimeSpan.FromMilliseconds(500), nameof(SamplingDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(BreakDuration, TimeSpan.FromMilliseconds(500), nameof(BreakDuration));
    }
}
