using System.Collections.Concurrent;
using System.Reflection;
using global::MessagePack;

namespace XSystem.Serialization.MessagePack.Internal;

/// <summary>
/// Tells whether every object graph of a type is finite and shallow by construction: no member can lead back to the
/// type itself, to <see cref="object"/>, or to an interface or abstract type whose runtime value is unknown.
/// MessagePack-CSharp picks formatters by declared type, so for such a type no input object can nest deeper than the
/// type declarations do, and the serialization depth guard can be left out.
/// </summary>
internal static class BoundedTypes
{
    private static readonly ConcurrentDictionary<Type, bool> Known = new();

    private static readonly HashSet<Type> Leaves =
    [
        typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(Guid),
        typeof(DateOnly), typeof(TimeOnly), typeof(byte[]), typeof(System.Numerics.BigInteger), typeof(Uri), typeof(Version),
    ];

    private static readonly HashSet<Type> Sequences =
    [
        typeof(List<>), typeof(IList<>), typeof(IReadOnlyList<>), typeof(ICollection<>), typeof(IReadOnlyCollection<>),
        typeof(IEnumerable<>), typeof(HashSet<>), typeof(ISet<>), typeof(Dictionary<,>), typeof(IDictionary<,>),
        typeof(IReadOnlyDictionary<,>), typeof(SortedDictionary<,>), typeof(Nullable<>), typeof(KeyValuePair<,>),
    ];

    public static bool IsBounded(Type type) => Known.GetOrAdd(type, static t => Check(t, []));

    private static bool Check(Type type, HashSet<Type> path)
    {
        if (type.IsPrimitive || type.IsEnum || Leaves.Contains(type))
        {
            return true;
        }

        if (type.IsArray)
        {
            return type.GetArrayRank() == 1 && Check(type.GetElementType()!, path);
        }

        if (type.IsGenericType && Sequences.Contains(type.GetGenericTypeDefinition()))
        {
            return type.GetGenericArguments().All(argument => Check(argument, path));
        }

        if (type == typeof(object) || type.IsInterface || type.IsAbstract || type.IsPointer || type.IsByRef
            || HasCustomFormatter(type) || !path.Add(type))
        {
            // Unknown runtime values, a formatter we cannot see into, or a type that can contain itself.
            return false;
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (HasCustomFormatter(property))
            {
                return false;
            }
        }

        for (Type? current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
        {
            foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (HasCustomFormatter(field) || !Check(field.FieldType, path))
                {
                    return false;
                }
            }
        }

        path.Remove(type);
        return true;
    }

    private static bool HasCustomFormatter(MemberInfo member) => member.IsDefined(typeof(MessagePackFormatterAttribute), inherit: true);
}
