namespace XSystem;

/// <summary>
/// The base of every XSystem-specific error that has no more specific BCL exception to derive from.
/// </summary>
/// <remarks>
/// Where a BCL type fits better (<see cref="IOException"/>, <see cref="FormatException"/>,
/// <see cref="System.Security.Cryptography.CryptographicException"/> ...), XSystem throws a sealed
/// subtype of that type instead, so existing <c>catch</c> blocks keep working.
/// Thread safety: instances are immutable once thrown.
/// </remarks>
public class XSystemException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public XSystemException()
        : base("An XSystem operation failed.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    public XSystemException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and the exception that caused it.</summary>
    /// <param name="message">What was wrong, where, and what to do.</param>
    /// <param name="innerException">The underlying error.</param>
    public XSystemException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
