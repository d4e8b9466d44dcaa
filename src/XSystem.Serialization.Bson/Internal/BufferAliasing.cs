using System.Collections.Concurrent;
using System.Reflection;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization.Attributes;

namespace XSystem.Serialization.Bson.Internal;

/// <summary>
/// Tells whether a deserialized value of a type may keep reading from the input buffer after the call returns:
/// <see cref="RawBsonDocument"/>, <see cref="RawBsonArray"/>, <see cref="LazyBsonDocument"/> and
/// <see cref="LazyBsonArray"/> hold a slice of it, and a custom serializer (<c>[BsonSerializer]</c>) might. Such types
/// get a buffer of their own; every other type reads from a pooled buffer that is reused after the call.
/// </summary>
internal static class BufferAliasing
{
    private static readonly ConcurrentDictionary<Type, bool> Known = new();

    public static bool MayAlias(Type type) => Known.GetOrAdd(type, static t => Check(t, []));

    private static bool Check(Type type, HashSet<Type> seen)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(byte[]) || !seen.Add(type))
        {
            return false;
        }

        if (typeof(RawBsonDocument).IsAssignableFrom(type) || typeof(RawBsonArray).IsAssignableFrom(type)
            || typeof(LazyBsonDocument).IsAssignableFrom(type) || typeof(LazyBsonArray).IsAssignableFrom(type)
            || typeof(IByteBuffer).IsAssignableFrom(type) || type.IsDefined(typeof(BsonSerializerAttribute), inherit: true))
        {
            return true;
        }

        if (type.HasElementType && Check(type.GetElementType()!, seen))
        {
            return true;
        }

        if (type.IsGenericType && type.GetGenericArguments().Any(argument => Check(argument, seen)))
        {
            return true;
        }

        if (type.Namespace is { } ns && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal)))
        {
            return false; // framework types: their generic arguments were checked above
        }

        const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (PropertyInfo property in type.GetProperties(Members))
        {
            if (property.IsDefined(typeof(BsonSerializerAttribute), inherit: true) || Check(property.PropertyType, seen))
            {
                return true;
            }
        }

        for (Type? current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (FieldInfo field in current.GetFields(Members | BindingFlags.DeclaredOnly))
            {
                if (field.IsDefined(typeof(BsonSerializerAttribute), inherit: true) || Check(field.FieldType, seen))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
