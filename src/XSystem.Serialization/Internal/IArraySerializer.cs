namespace XSystem.Serialization.Internal;

/// <summary>
/// A typed format whose library produces a right-sized array more cheaply than writing to a buffer writer (for
/// example MessagePack-CSharp's own scratch buffer). <see cref="Serializer.Serialize{T}(T, IFormat, SerializerOptions?)"/>
/// uses it when a format offers it; the bytes must be those <see cref="ITypedFormat.Serialize{T}"/> would write.
/// </summary>
internal interface IArraySerializer
{
    /// <summary>Serializes <paramref name="value"/> to a new array.</summary>
    /// <typeparam name="T">The declared type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">Limits and settings.</param>
    /// <returns>The encoded bytes, in an array of exactly their length.</returns>
    byte[] SerializeToArray<T>(T value, SerializerOptions options);
}
