using System.Net;
using System.Text.RegularExpressions;

namespace XSystem.Http;

/// <summary>
/// One route of a <see cref="MockTransport"/>: a method (or any) and a URL pattern, answered by a script of responses.
/// The n-th matching request gets the n-th response; the last one repeats.
/// </summary>
/// <remarks>Thread safety: configure before sending requests; matching and counting are thread-safe.</remarks>
public sealed class MockRoute
{
    private readonly List<Func<RecordedRequest, MockResponse>> _script = [];
    private readonly Regex? _regex;
    private readonly PatternKind _kind;
    private int _calls;

    internal MockRoute(HttpMethod? method, string pattern)
    {
        Method = method;
        Pattern = pattern;
        _kind = pattern.Contains("://", StringComparison.Ordinal) ? PatternKind.Absolute
            : pattern.Contains('?', StringComparison.Ordinal) ? PatternKind.PathAndQuery
            : PatternKind.Path;
        if (pattern.Contains('*', StringComparison.Ordinal))
        {
            _regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        }
    }

    private enum PatternKind
    {
        Absolute,
        Path,
        PathAndQuery,
    }

    /// <summary>The method matched, or <see langword="null"/> for any.</summary>
    public HttpMethod? Method { get; }

    /// <summary>
    /// The URL pattern: an absolute URL (<c>https://api.test/items</c>), a path (<c>/items</c>, query ignored), or a
    /// path with query; <c>*</c> matches any run of characters.
    /// </summary>
    public string Pattern { get; }

    /// <summary>How many requests this route has answered.</summary>
    public int CallCount => Volatile.Read(ref _calls);

    /// <summary>Appends a response to the script.</summary>
    /// <param name="response">The response.</param>
    /// <returns>This route, for chaining.</returns>
    public MockRoute Respond(MockResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        _script.Add(_ => response);
        return this;
    }

    /// <summary>Appends a response computed from the request.</summary>
    /// <param name="handler">Builds the response.</param>
    /// <returns>This route, for chaining.</returns>
    public MockRoute Respond(Func<RecordedRequest, MockResponse> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _script.Add(handler);
        return this;
    }

    /// <summary>Appends a response with a status and an optional text body.</summary>
    /// <param name="status">The status.</param>
    /// <param name="body">The text body, or <see langword="null"/>.</param>
    /// <returns>This route, for chaining.</returns>
    public MockRoute Respond(HttpStatusCode status, string? body = null) =>
        Respond(body is null ? new MockResponse(status) : MockResponse.Text(body, status));

    /// <summary>Appends several statuses in order, for example 503, 503, 200.</summary>
    /// <param name="statuses">The statuses.</param>
    /// <returns>This route, for chaining.</returns>
    public MockRoute RespondSequence(params HttpStatusCode[] statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (HttpStatusCode status in statuses)
        {
            Respond(status);
        }

        return this;
    }

    internal bool Matches(HttpMethod method, Uri uri)
    {
        if (Method is not null && Method != method)
        {
            return false;
        }

        string candidate = _kind switch
        {
            PatternKind.Absolute => uri.GetLeftPart(UriPartial.Query),
            PatternKind.PathAndQuery => uri.PathAndQuery,
            _ => uri.AbsolutePath,
        };
        return _regex is not null ? _regex.IsMatch(candidate) : string.Equals(candidate, Pattern, StringComparison.OrdinalIgnoreCase);
    }

    internal MockResponse Next(RecordedRequest request)
    {
        int index = Interlocked.Increment(ref _calls) - 1;
        if (_script.Count == 0)
        {
            return new MockResponse(HttpStatusCode.OK);
        }

        return _script[Math.Min(index, _script.Count - 1)](request);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Method?.Method ?? "*"} {Pattern} ({_script.Count} scripted, {CallCount} served)";
}
