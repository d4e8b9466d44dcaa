namespace XSystem.Serialization;

/// <summary>
/// The one API for every format: serialize and deserialize typed values, parse and write trees, load and save
/// files (format chosen by extension, else by content; saves are atomic), convert between any two formats, and
/// stream records.
/// </summary>
/// <remarks>Thread safety: all members are thread-safe.</remarks>
public static partial class Serializer
{
}
