namespace XSystem.Http;

/// <summary>Which limit of an <see cref="AdvancedHttpClient"/> expired.</summary>
public enum HttpTimeoutKind
{
    /// <summary>Opening the connection took longer than <see cref="HttpClientOptions.ConnectTimeout"/>.</summary>
    Connect,

    /// <summary>One attempt took longer than <see cref="HttpClientOptions.AttemptTimeout"/>.</summary>
    Attempt,

    /// <summary>The whole request took longer than <see cref="HttpClientOptions.TotalTimeout"/>.</summary>
    Total,

    /// <summary>A body read got no data within <see cref="HttpClientOptions.ReadIdleTimeout"/>.</summary>
    ReadIdle,
}

/// <summary>
/// An HTTP request or body read exceeded one of the client's time limits. Distinct from cancellation by the caller,
/// which surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class HttpTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public HttpTimeoutException()
        : this("An HTTP request timed out.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public HttpTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying exception.</param>
    public HttpTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal HttpTimeoutException(HttpTimeoutKind kind, HttpMethod? method, Uri? requestUri, TimeSpan limit, Exception? innerException)
        : base(Describe(kind, method, requestUri, limit), innerException)
    {
        Kind = kind;
        Method = method;
        RequestUri = requestUri;
        Limit = limit;
    }

    /// <summary>Which limit expired.</summary>
    public HttpTimeoutKind Kind { get; }

    /// <summary>The request method, when known.</summary>
    public HttpMethod? Method { get; }

    /// <summary>The request URL, when known.</summary>
    public Uri? RequestUri { get; }

    /// <summary>The limit that expired.</summary>
    public TimeSpan Limit { get; }

    private static string Describe(HttpTimeoutKind kind, HttpMethod? method, Uri? uri, TimeSpan limit)
    {
        string what = kind switch
        {
            HttpTimeoutKind.Connect => $"Connecting for {method} {uri} took longer than the connect timeout ({limit.TotalSeconds:0.###} s). Check that the host is reachable or raise HttpClientOptions.ConnectTimeout.",
            HttpTimeoutKind.Attempt => $"{method} {uri} got no complete response within the attempt timeout ({limit.TotalSeconds:0.###} s). Raise HttpClientOptions.AttemptTimeout, or stream the body (ResponseHeadersRead) so that only the read-idle timeout applies to it.",
            HttpTimeoutKind.Total => $"{method} {uri} did not finish within the total timeout ({limit.TotalSeconds:0.###} s), retries and redirects included. Raise HttpClientOptions.TotalTimeout.",
            _ => $"Reading the body of {method} {uri} stalled: no data arrived for {limit.TotalSeconds:0.###} s (read-idle timeout). The server or network stopped sending; retry, or raise HttpClientOptions.ReadIdleTimeout.",
        };
        return what;
    }
}
