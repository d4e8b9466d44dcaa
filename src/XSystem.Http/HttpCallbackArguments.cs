using System.Net;

namespace XSystem.Http;

/// <summary>Argument of <see cref="HttpClientOptions.OnRequest"/>: an attempt is about to be sent.</summary>
/// <remarks>Thread safety: immutable. Do not keep the request beyond the callback.</remarks>
public readonly struct HttpRequestArguments
{
    internal HttpRequestArguments(HttpRequestMessage request, int attempt, int redirect)
    {
        Request = request;
        Attempt = attempt;
        Redirect = redirect;
    }

    /// <summary>The request message of this attempt (headers may still be changed).</summary>
    public HttpRequestMessage Request { get; }

    /// <summary>Attempt number within the current hop, starting at 1.</summary>
    public int Attempt { get; }

    /// <summary>Number of redirects followed so far for this logical request.</summary>
    public int Redirect { get; }
}

/// <summary>Argument of <see cref="HttpClientOptions.OnResponse"/>: an attempt produced a response.</summary>
/// <remarks>Thread safety: immutable. Do not read or dispose the content in the callback.</remarks>
public readonly struct HttpResponseArguments
{
    internal HttpResponseArguments(HttpResponseMessage response, int attempt, TimeSpan elapsed)
    {
        Response = response;
        Attempt = attempt;
        Elapsed = elapsed;
    }

    /// <summary>The response (headers available; the body may not have been read yet).</summary>
    public HttpResponseMessage Response { get; }

    /// <summary>Attempt number within the current hop, starting at 1.</summary>
    public int Attempt { get; }

    /// <summary>Time from sending the attempt to receiving the response headers.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The response status.</summary>
    public HttpStatusCode StatusCode => Response.StatusCode;
}

/// <summary>Argument of <see cref="HttpClientOptions.OnRetry"/>: an attempt failed and will be retried.</summary>
/// <remarks>Thread safety: immutable.</remarks>
public readonly struct HttpRetryArguments
{
    internal HttpRetryArguments(HttpMethod method, Uri? requestUri, int attempt, TimeSpan delay, HttpStatusCode? status, Exception? exception)
    {
        Method = method;
        RequestUri = requestUri;
        Attempt = attempt;
        Delay = delay;
        StatusCode = status;
        Exception = exception;
    }

    /// <summary>The request method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The request URL.</summary>
    public Uri? RequestUri { get; }

    /// <summary>Number of the attempt that failed, starting at 1.</summary>
    public int Attempt { get; }

    /// <summary>Delay before the next attempt (from backoff or <c>Retry-After</c>).</summary>
    public TimeSpan Delay { get; }

    /// <summary>The status that caused the retry, or <see langword="null"/> when an exception did.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The exception that caused the retry, or <see langword="null"/> when a status did.</summary>
    public Exception? Exception { get; }
}
