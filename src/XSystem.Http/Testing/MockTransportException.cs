namespace XSystem.Http;

/// <summary>A <see cref="MockTransport"/> received a request that no route matches. The message lists the request and every route.</summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class MockTransportException : InvalidOperationException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public MockTransportException()
        : this("No MockTransport route matches the request.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public MockTransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying exception.</param>
    public MockTransportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
