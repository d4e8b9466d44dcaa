using System.Net;
using System.Text;

namespace XSystem.Http;

/// <summary>
/// A scripted response of a <see cref="MockTransport"/> route: status, headers, body, an optional delay before the
/// headers (on the client's <see cref="TimeProvider"/>), a body that stalls, or a simulated connection failure.
/// </summary>
/// <remarks>Thread safety: immutable once handed to a route; a route may serve it many times.</remarks>
public sealed class MockResponse
{
    /// <summary>Creates a response with the given status and no body.</summary>
    /// <param name="status">The status.</param>
    public MockResponse(HttpStatusCode status = HttpStatusCode.OK)
    {
        Status = status;
    }

    /// <summary>The status. Default 200.</summary>
    public HttpStatusCode Status { get; init; }

    /// <summary>Response and content headers. Default empty.</summary>
    public IDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The body. Default empty.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Content-Type of the body, when any. Default <see langword="null"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Delay before the response is returned, measured on the client's clock. Default zero.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>When set, the body sends this many bytes and then stalls until the reader gives up. Default <see langword="null"/>.</summary>
    public int? StallAfterBytes { get; init; }

    /// <summary>
    /// When set, the body sends this many bytes and then fails with an <see cref="IOException"/> (a connection reset in
    /// the middle of the body). Default <see langword="null"/>.
    /// </summary>
    public int? AbortAfterBytes { get; init; }

    /// <summary>When set, the transport throws an <see cref="HttpRequestException"/> instead of answering (a connection failure). Default <see langword="false"/>.</summary>
    public bool Fail { get; init; }

    /// <summary>A response with a text body.</summary>
    /// <param name="text">The body text (UTF-8).</param>
    /// <param name="status">The status; default 200.</param>
    /// <param name="contentType">The Content-Type; default <c>text/plain; charset=utf-8</c>.</param>
    /// <returns>The response.</returns>
    public static MockResponse Text(string text, HttpStatusCode status = HttpStatusCode.OK, string contentType = "text/plain; charset=utf-8") =>
        new(status) { Body = Encoding.UTF8.GetBytes(text), ContentType = contentType };

    /// <summary>A response with a JSON body given as text.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="status">The status; default 200.</param>
    /// <returns>The response.</returns>
    public static MockResponse Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        Text(json, status, "application/json; charset=utf-8");

    /// <summary>A response with a binary body.</summary>
    /// <param name="body">The body.</param>
    /// <param name="status">The status; default 200.</param>
    /// <returns>The response.</returns>
    public static MockResponse Bytes(ReadOnlyMemory<byte> body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Body = body, ContentType = "application/octet-stream" };

    /// <summary>A simulated connection failure: the transport throws <see cref="HttpRequestException"/>.</summary>
    /// <returns>The response.</returns>
    public static MockResponse ConnectionFailure() => new() { Fail = true };

    /// <summary>A redirect to <paramref name="location"/>.</summary>
    /// <param name="location">The Location header.</param>
    /// <param name="status">The status; default 302.</param>
    /// <returns>The response.</returns>
    public static MockResponse Redirect(string location, HttpStatusCode status = HttpStatusCode.Found) =>
        new(status) { Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Location"] = location } };

    /// <summary>Returns a copy with an added header.</summary>
    /// <param name="name">Header name.</param>
    /// <param name="value">Header value.</param>
    /// <returns>The copy.</returns>
    public MockResponse WithHeader(string name, string value)
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return new MockResponse(Status)
        {
            Headers = headers,
            Body = Body,
            ContentType = ContentType,
            Delay = Delay,
            StallAfterBytes = StallAfterBytes,
            AbortAfterBytes = AbortAfterBytes,
            Fail = Fail,
        };
    }
}
