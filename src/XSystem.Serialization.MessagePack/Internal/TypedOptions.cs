using System.Collections.Concurrent;
using global::MessagePack;
using global::MessagePack.Formatters;
using global::MessagePack.Resolvers;

namespace XSystem.Serialization.MessagePack.Internal;

/// <summary>
/// MessagePack-CSharp options for the typed path: the contractless resolver (plain classes work without attributes)
/// with <see cref="MessagePackSecurity.UntrustedData"/>; never the typeless resolver, so no input names a .NET type.
/// </summary>
internal static class TypedOptions
{
    private static readonly ConcurrentDictionary<int, (MessagePackSerializerOptions Read, MessagePackSerializerOptions Write)> ByDepth = new();

    private static readonly (MessagePackSerializerOptions Read, MessagePackSerializerOptions Write) Default = Create(SerializerOptions.DefaultMaxDepth);

    /// <summary>Options for reading: depth limited by <see cref="MessagePackSecurity.MaximumObjectGraphDepth"/>.</summary>
    public static MessagePackSerializerOptions ForRead(SerializerOptions options) => Get(options.MaxDepth).Read;

    /// <summary>Options for writing: the resolver counts nesting of reference types, so a cyclic object graph fails cleanly.</summary>
    public static MessagePackSerializerOptions ForWrite(SerializerOptions options) => Get(options.MaxDepth).Write;

    private static (MessagePackSerializerOptions Read, MessagePackSerializerOptions Write) Get(int maxDepth) =>
        maxDepth == SerializerOptions.DefaultMaxDepth ? Default : ByDepth.GetOrAdd(maxDepth, Create);

    private static (MessagePackSerializerOptions Read, MessagePackSerializerOptions Write) Create(int maxDepth)
    {
        MessagePackSecurity security = MessagePackSecurity.UntrustedData.WithMaximumObjectGraphDepth(maxDepth);
        MessagePackSerializerOptions read = ContractlessStandardResolver.Options.WithSecurity(security);
        MessagePackSerializerOptions write = read.WithResolver(new DepthGuardResolver(ContractlessStandardResolver.Instance, maxDepth));
        return (read, write);
    }

    /// <summary>
    /// Thrown (inside MessagePack-CSharp, which wraps it) when a value being serialized nests deeper than the limit.
    /// </summary>
    internal sealed class DepthExceededException : Exception
    {
        public DepthExceededException()
            : base("The object graph nests deeper than SerializerOptions.MaxDepth (a cycle?).")
        {
        }

        public DepthExceededException(string message)
            : base(message)
        {
        }

        public DepthExceededException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }

    /// <summary>Wraps the formatters of reference types so serialization counts nesting; MessagePack-CSharp's writer does not.</summary>
    private sealed class DepthGuardResolver : IFormatterResolver
    {
        private readonly IFormatterResolver _inner;
        private readonly int _maxDepth;
        private readonly ConcurrentDictionary<Type, object?> _formatters = new();

        public DepthGuardResolver(IFormatterResolver inner, int maxDepth)
        {
            _inner = inner;
            _maxDepth = maxDepth;
        }

        public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Get(this);

        private static class Cache<T>
        {
            public static IMessagePackFormatter<T>? Get(DepthGuardResolver resolver) =>
                (IMessagePackFormatter<T>?)resolver._formatters.GetOrAdd(typeof(T), static (_, r) => Create(r), resolver);

            private static object? Create(DepthGuardResolver resolver)
            {
                IMessagePackFormatter<T>? inner = resolver._inner.GetFormatter<T>();
                if (inner is null || typeof(T).IsValueType || typeof(T) == typeof(string) || typeof(T) == typeof(byte[]))
                {
                    return inner;
                }

                return new DepthGuardFormatter<T>(inner, resolver._maxDepth);
            }
        }
    }

    private sealed class DepthGuardFormatter<T> : IMessagePackFormatter<T>
    {
        private readonly IMessagePackFormatter<T> _inner;
        private readonly int _maxDepth;

        public DepthGuardFormatter(IMessagePackFormatter<T> inner, int maxDepth)
        {
            _inner = inner;
            _maxDepth = maxDepth;
        }

        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNil();
                return;
            }

            ref int depth = ref DepthCounter.Value;
            try
            {
                if (++depth > _maxDepth)
                {
                    throw new DepthExceededException();
                }

                _inner.Serialize(ref writer, value, options);
            }
            finally
            {
                depth--;
            }
        }

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => _inner.Deserialize(ref reader, options);
    }

    /// <summary>The nesting depth of the serialization running on this thread (shared by every guarded type).</summary>
    private static class DepthCounter
    {
        [ThreadStatic]
        private static int t_value;

        public static ref int Value => ref t_value;
    }
}
