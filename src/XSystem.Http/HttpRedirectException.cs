namespace XSystem.Http;

/// <summary>
/// A redirect could not be followed: too many redirects, a downgrade from HTTPS to HTTP, a missing or invalid
/// <c>Location</c>, or a 307/308 whose request body cannot be sent again.
/// </summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class HttpRedirectException : HttpRequestException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public HttpRedirectException()
        : this("A redirect could not be followed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public HttpRedirectException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying exception.</param>
    public HttpRedirectException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
