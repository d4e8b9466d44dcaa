using System.Reflection;
using System.Text.Json.Nodes;
using XSystem.Serialization.Internal;
using XSystem.Serialization.Json;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>
/// The typed path for whole documents. A list or array of records (<c>List&lt;T&gt;</c>, <c>T[]</c>, and the
/// collection interfaces a list implements) is filled row by row through <see cref="TypedRowMapper{T}"/>, exactly as
/// <see cref="DelimitedReader.ReadTypedAsync{T}"/> maps a stream; anything else (other target types, records that are
/// not objects, input without a header) goes through the tree as before.
/// </summary>
internal static class TypedDocumentReader
{
    private delegate T? ReadDocument<T>(ReadOnlySpan<byte> data, SerializerOptions options, Dialect dialect, out bool handled);

    private static readonly Type[] ListShapes =
    [
        typeof(List<>), typeof(IEnumerable<>), typeof(IList<>), typeof(ICollection<>), typeof(IReadOnlyList<>), typeof(IReadOnlyCollection<>),
    ];

    public static T? Deserialize<T>(ReadOnlySpan<byte> data, SerializerOptions options, Dialect dialect, IFormat format)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Plan<T>.Read is { } read && options.GetFormatOptions<CsvOptions>().HasHeader)
        {
            T? value = read(data, options, dialect, out bool handled);
            if (handled)
            {
                return value;
            }
        }

        return Serializer.FromTree<T>(DelimitedReader.Parse(data, options, dialect), options, format);
    }

    /// <summary>Fills a list with one record per row; not handled (the caller takes the tree) when the records are not objects.</summary>
    private static List<TItem?>? ReadList<TItem>(ReadOnlySpan<byte> data, SerializerOptions options, Dialect dialect, out bool handled)
    {
        FormatGuards.CheckSize(data.Length, options, dialect.Name);
        CsvOptions csv = options.GetFormatOptions<CsvOptions>();
        using var mapper = new TypedRowMapper<TItem>(dialect.Name, csv, JsonFormat.EffectiveJsonOptions(options));
        handled = mapper.MapsObjects;
        if (!handled)
        {
            return null;
        }

        var records = new List<TItem?>();
        DelimitedReader.ReadTyped(FormatGuards.SkipUtf8Bom(data), csv, dialect, mapper, records);
        return records;
    }

    private static TItem?[]? ReadArray<TItem>(ReadOnlySpan<byte> data, SerializerOptions options, Dialect dialect, out bool handled) =>
        ReadList<TItem>(data, options, dialect, out handled)?.ToArray();

    /// <summary>The reader for <typeparamref name="T"/>, found once: null unless it is a list or array of some record type.</summary>
    private static class Plan<T>
    {
        public static readonly ReadDocument<T>? Read = Create();

        private static ReadDocument<T>? Create()
        {
            Type type = typeof(T);
            Type? element = type.IsSZArray ? type.GetElementType()
                : type.IsGenericType && Array.IndexOf(ListShapes, type.GetGenericTypeDefinition()) >= 0 ? type.GetGenericArguments()[0]
                : null;
            if (element is null || element == typeof(object) || typeof(JsonNode).IsAssignableFrom(element) || element.IsPointer || element.IsByRefLike)
            {
                return null;
            }

            MethodInfo method = typeof(TypedDocumentReader)
                .GetMethod(type.IsSZArray ? nameof(ReadArray) : nameof(ReadList), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(element);
            return method.CreateDelegate<ReadDocument<T>>();
        }
    }
}
