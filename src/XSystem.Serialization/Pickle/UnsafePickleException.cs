using System.Globalization;

namespace XSystem.Serialization;

/// <summary>
/// A pickle names a global (a Python function or class) that is not on the plain-data allow-list of
/// <see cref="PickleFormat"/>, such as <c>os.system</c>, <c>builtins.eval</c> or an application class. Loading such a pickle
/// with Python's <c>pickle.load</c> could run arbitrary code; XSystem rejects it before anything else happens (nothing is
/// imported or called, ever).
/// </summary>
/// <remarks>
/// <see cref="GlobalName"/> says what the pickle refers to (<c>module.name</c>). If the file comes from a trusted source and
/// really holds objects, load it in Python and convert it to plain data (JSON, MessagePack ...) there.
/// Thread safety: immutable once thrown.
/// </remarks>
public sealed class UnsafePickleException : SerializationException
{
    /// <summary>Creates the exception for a global that is not allowed.</summary>
    /// <param name="globalName">The global as <c>module.name</c>, for example <c>posix.system</c>.</param>
    /// <param name="offset">The byte offset of the opcode that names it, when known.</param>
    public UnsafePickleException(string globalName, long? offset)
        : base(PickleFormat.FormatName, Compose(globalName, offset))
    {
        GlobalName = globalName;
        Offset = offset;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public UnsafePickleException()
        : this("(unknown)", (long?)null)
    {
    }

    /// <summary>Creates the exception with a ready-made message.</summary>
    /// <param name="message">The whole message.</param>
    public UnsafePickleException(string message)
        : base(message)
    {
        GlobalName = string.Empty;
    }

    /// <summary>Creates the exception with a ready-made message and a cause.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="innerException">The cause.</param>
    public UnsafePickleException(string message, Exception? innerException)
        : base(message, innerException)
    {
        GlobalName = string.Empty;
    }

    /// <summary>The global the pickle refers to, as <c>module.name</c> (for example <c>builtins.eval</c>); empty when not known.</summary>
    public string GlobalName { get; }

    /// <summary>The byte offset of the opcode that names the global, when known.</summary>
    public long? Offset { get; }

    private static string Compose(string globalName, long? offset) =>
        $"the pickle refers to '{globalName}'"
        + (offset is { } at ? string.Create(CultureInfo.InvariantCulture, $" (at byte offset {at})") : string.Empty)
        + ", which is not on the allow-list of plain-data types (builtins set/frozenset/bytes/bytearray, _codecs.encode, "
        + "collections.OrderedDict, datetime.datetime/date/time/timedelta/timezone, decimal.Decimal); unpickling it could run "
        + "arbitrary code, so the input is rejected and nothing was executed. Only plain-data pickles are read; convert trusted "
        + "object pickles to plain data in Python first";
}
