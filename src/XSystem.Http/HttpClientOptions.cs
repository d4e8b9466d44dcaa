using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace XSystem.Http;

/// <summary>
/// Settings of an <see cref="AdvancedHttpClient"/>. Defaults are chosen so that a stalled server never hangs a caller:
/// connect 10 s, 30 s per attempt until the response (headers, or the whole body when buffered), 30 s of silence
/// while reading a body, no overall limit, 3 attempts.
/// </summary>
/// <remarks>Thread safety: configure before passing to the client, which copies what it needs; do not change it afterwards.</remarks>
public sealed class HttpClientOptions
{
    /// <summary>Base address that relative URLs are resolved against. Default <see langword="null"/>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Headers added to every request that does not set them itself. Default empty.</summary>
    public IDictionary<string, string> DefaultHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// HTTP version requested. Default HTTP/2, with fallback to HTTP/1.1 (<see cref="HttpVersionPolicy.RequestVersionOrLower"/>):
    /// over TLS the version is negotiated with ALPN; plain <c>http://</c> uses HTTP/1.1 unless <see cref="Http2Only"/> is set.
    /// </summary>
    public Version Version { get; set; } = HttpVersion.Version20;

    /// <summary>
    /// Use HTTP/2 only (<see cref="HttpVersionPolicy.RequestVersionExact"/>): with prior knowledge over plain
    /// <c>http://</c> (h2c) and without fallback over TLS. Default <see langword="false"/>.
    /// </summary>
    public bool Http2Only { get; set; }

    /// <summary>Time allowed to open a connection (TCP and TLS). Default 10 s. Only applies to the built-in transport.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time allowed per attempt until the response is available: its headers, plus its body when the call buffers it
    /// (<see cref="HttpCompletionOption.ResponseContentRead"/>). Default 30 s; <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time allowed for a whole logical request, including retries, their delays and redirects, until the call returns.
    /// Default <see cref="Timeout.InfiniteTimeSpan"/> (off): long downloads are bounded by <see cref="ReadIdleTimeout"/> instead.
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Longest silence allowed while reading a response body: each read of the body stream must return data within it
    /// or fails with <see cref="HttpTimeoutException"/> (<see cref="HttpTimeoutKind.ReadIdle"/>). Default 30 s;
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan ReadIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Maximum connections per server (HTTP/1.1; HTTP/2 multiplexes on one connection). Default <see cref="int.MaxValue"/>.</summary>
    public int MaxConnectionsPerServer { get; set; } = int.MaxValue;

    /// <summary>How long a pooled connection may live, so DNS changes are picked up. Default 5 minutes.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether redirects (301, 302, 303, 307, 308) are followed. Default <see langword="true"/>.</summary>
    public bool FollowRedirects { get; set; } = true;

    /// <summary>Maximum number of redirects followed for one request. Default 10.</summary>
    public int MaxRedirects { get; set; } = 10;

    /// <summary>Whether gzip, deflate and brotli responses are decompressed transparently. Default <see langword="true"/>.</summary>
    public bool AutomaticDecompression { get; set; } = true;

    /// <summary>Whether a proxy is used at all. Default <see langword="true"/>.</summary>
    public bool UseProxy { get; set; } = true;

    /// <summary>
    /// Explicit proxy. Default <see langword="null"/>: the environment decides (<c>HTTP_PROXY</c>, <c>HTTPS_PROXY</c>,
    /// <c>ALL_PROXY</c>, <c>NO_PROXY</c>), as with <see cref="HttpClient.DefaultProxy"/>.
    /// </summary>
    public IWebProxy? Proxy { get; set; }

    /// <summary>Whether cookies set by servers are stored and sent back (per client). Default <see langword="true"/>.</summary>
    public bool UseCookies { get; set; } = true;

    /// <summary>Client certificates offered for TLS client authentication. Default <see langword="null"/>.</summary>
    public X509CertificateCollection? ClientCertificates { get; set; }

    /// <summary>
    /// Server certificates trusted in addition to the system store, matched exactly (by SHA-256 thumbprint): use it
    /// for a self-signed development or test server. Validation stays on for every other certificate. Default empty.
    /// </summary>
    public X509Certificate2Collection TrustedServerCertificates { get; } = [];

    /// <summary>
    /// Optional custom server certificate check, called after the built-in one; it receives the errors found so far
    /// and returns whether to accept. Default <see langword="null"/>.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>Retry settings. Default: 3 attempts, 1 s base delay, 30 s maximum delay; see <see cref="RetryOptions"/>.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>
    /// Settings of the typed helpers (<c>GetJsonAsync</c>, <c>GetAsAsync</c>, <c>PostJsonAsync</c> ...). Default: web
    /// conventions like System.Net.Http.Json (<see cref="System.Text.Json.JsonSerializerDefaults.Web"/>: camelCase names,
    /// case-insensitive binding), compact output, the Serializer's size and depth limits.
    /// </summary>
    public XSystem.Serialization.SerializerOptions Serializer { get; set; } = new()
    {
        JsonSerializerOptions = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web),
        Indent = false,
    };

    /// <summary>Clock used for retry delays, timeouts and mock delays. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Called before every attempt is sent (including retries and redirects). Default <see langword="null"/>.</summary>
    public Action<HttpRequestArguments>? OnRequest { get; set; }

    /// <summary>Called after every attempt that produced a response. Default <see langword="null"/>.</summary>
    public Action<HttpResponseArguments>? OnResponse { get; set; }

    /// <summary>Called before every retry, after the delay is known. Default <see langword="null"/>.</summary>
    public Action<HttpRetryArguments>? OnRetry { get; set; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Version, nameof(Version));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(Retry, nameof(Retry));
        ArgumentNullException.ThrowIfNull(Serializer, nameof(Serializer));
        Guard.NonNegativeTimeout(ConnectTimeout, paramName: nameof(ConnectTimeout));
        Guard.NonNegativeTimeout(AttemptTimeout, paramName: nameof(AttemptTimeout));
        Guard.NonNegativeTimeout(TotalTimeout, paramName: nameof(TotalTimeout));
        Guard.NonNegativeTimeout(ReadIdleTimeout, paramName: nameof(ReadIdleTimeout));
        Guard.NonNegativeTimeout(PooledConnectionLifetime, paramName: nameof(PooledConnectionLifetime));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnectionsPerServer, 1, nameof(MaxConnectionsPerServer));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRedirects, nameof(MaxRedirects));
        if (BaseAddress is { IsAbsoluteUri: false })
        {
            throw new ArgumentException($"BaseAddress must be an absolute URI, got '{BaseAddress}'.", nameof(BaseAddress));
        }

        Retry.Validate();
    }
}
