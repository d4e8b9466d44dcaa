namespace XSystem.Http;

/// <summary>A request seen by a <see cref="MockTransport"/>: method, URL, version, headers and body bytes.</summary>
/// <remarks>Thread safety: immutable.</remarks>
public sealed class RecordedRequest
{
    internal RecordedRequest(HttpMethod method, Uri uri, Version version, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Method = method;
        Uri = uri;
        Version = version;
        Headers = headers;
        Body = body;
    }

    /// <summary>The method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The absolute URL.</summary>
    public Uri Uri { get; }

    /// <summary>The requested HTTP version.</summary>
    public Version Version { get; }

    /// <summary>Request and content headers (case-insensitive names; several values joined with ", ").</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body bytes (empty when none).</summary>
    public byte[] Body { get; }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {Uri}";
}
