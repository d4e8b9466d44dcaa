using System.Net;

namespace XSystem.Http;

/// <summary>
/// A response had a status outside 2xx. Carries the status, the request method and URL and a bounded excerpt of the
/// body (at most <see cref="MaxExcerptBytes"/> bytes, decoded as text when the content is textual).
/// </summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class HttpStatusException : HttpRequestException
{
    /// <summary>The largest body excerpt kept, in bytes (1 KiB).</summary>
    public const int MaxExcerptBytes = 1024;

    /// <summary>Creates the exception with a generic message.</summary>
    public HttpStatusException()
        : this("The HTTP response status does not indicate success.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public HttpStatusException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying exception.</param>
    public HttpStatusException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal HttpStatusException(HttpStatusCode status, string? reasonPhrase, HttpMethod? method, Uri? requestUri, string? bodyExcerpt)
        : base(Describe(status, reasonPhrase, method, requestUri, bodyExcerpt), inner: null, statusCode: status)
    {
        Status = status;
        ReasonPhrase = reasonPhrase;
        Method = method;
        RequestUri = requestUri;
        BodyExcerpt = bodyExcerpt;
    }

    /// <summary>The response status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The reason phrase sent by the server (HTTP/1.1 only), if any.</summary>
    public string? ReasonPhrase { get; }

    /// <summary>The request method.</summary>
    public HttpMethod? Method { get; }

    /// <summary>The URL of the request that produced the response (after redirects).</summary>
    public Uri? RequestUri { get; }

    /// <summary>The start of the response body (text, or a hex preview for binary content); <see langword="null"/> when empty.</summary>
    public string? BodyExcerpt { get; }

    private static string Describe(HttpStatusCode status, string? reason, HttpMethod? method, Uri? uri, string? body)
    {
        string text = $"{method} {uri} returned {(int)status} {reason ?? status.ToString()}.";
        return string.IsNullOrEmpty(body) ? text : $"{text} Body: {body}";
    }
}
