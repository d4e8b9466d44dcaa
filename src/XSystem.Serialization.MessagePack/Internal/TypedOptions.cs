using System.Buffers;
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
    private static readonly ConcurrentDictionary<int, MessagePackSerializerOptions> ReadByDepth = new();

    private static readonly MessagePackSerializerOptions DefaultRead = CreateRead(SerializerOptions.DefaultMaxDepth);

    /// <summary>Options for writing: the resolver counts nesting of reference types, so a cyclic object graph fails cleanly.</summary>
    public static MessagePackSerializerOptions Write { get; } =
        ContractlessStandardResolver.Options.WithResolver(DepthGuardResolver.Instance);

    /// <summary>
    /// The write options for <typeparamref name="T"/>: when no object graph of the type can cycle or nest beyond its
    /// declarations (<see cref="BoundedTypes"/>), the depth guard would wrap nothing anywhere in the graph, so the plain
    /// contractless options serve and the resolver lookups cost what the library's own do.
    /// </summary>
    private static MessagePackSerializerOptions WriteFor<T>() => BoundedWrite<T>.Options;

    /// <summary>Options for reading: depth limited by <see cref="MessagePackSecurity.MaximumObjectGraphDepth"/>.</summary>
    public static MessagePackSerializerOptions ForRead(SerializerOptions options) =>
        options.MaxDepth == SerializerOptions.DefaultMaxDepth ? DefaultRead : ReadByDepth.GetOrAdd(options.MaxDepth, CreateRead);

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadScratch;

    /// <summary>
    /// Runs a serialization with the nesting limit of <paramref name="options"/> in force on this thread. The bytes go
    /// to a reusable per-thread buffer first and reach <paramref name="output"/> in one write, so the output grows once.
    /// </summary>
    public static void Serialize<T>(IBufferWriter<byte> output, T value, SerializerOptions options)
    {
        using DepthScope depth = DepthScope.Enter(options.MaxDepth);
        ArrayBufferWriter<byte> scratch = _threadScratch ?? new ArrayBufferWriter<byte>(1024);
        _threadScratch = null; // a nested call on this thread gets its own buffer
        try
        {
            scratch.ResetWrittenCount();
            MessagePackSerializer.Serialize(scratch, value, WriteFor<T>());
            // One GetSpan with the exact size: the output grows at most once.
            ReadOnlySpan<byte> written = scratch.WrittenSpan;
            written.CopyTo(output.GetSpan(written.Length));
            output.Advance(written.Length);
        }
        finally
        {
            if (scratch.Capacity <= 1024 * 1024)
            {
                _threadScratch = scratch;
            }
        }
    }

    /// <summary>Serializes to a new array through MessagePack-CSharp's array path, with the nesting limit in force.</summary>
    public static byte[] SerializeToArray<T>(T value, SerializerOptions options)
    {
        using DepthScope depth = DepthScope.Enter(options.MaxDepth);
        return MessagePackSerializer.Serialize(value, WriteFor<T>());
    }

    /// <summary>Puts a nesting limit in force on this thread for one serialization and restores the outer one after.</summary>
    private readonly ref struct DepthScope
    {
        private readonly DepthState _saved;

        private DepthScope(DepthState saved) => _saved = saved;

        public static DepthScope Enter(int maxDepth)
        {
            ref DepthState state = ref DepthState.Current;
            var scope = new DepthScope(state);
            state = new DepthState { Depth = 0, MaxDepth = maxDepth };
            return scope;
        }

        public void Dispose() => DepthState.Current = _saved;
    }

    private static class BoundedWrite<T>
    {
        public static readonly MessagePackSerializerOptions Options =
            BoundedTypes.IsBounded(typeof(T)) ? ContractlessStandardResolver.Options : Write;
    }

    private static MessagePackSerializerOptions CreateRead(int maxDepth) =>
        ContractlessStandardResolver.Options.WithSecurity(MessagePackSecurity.UntrustedData.WithMaximumObjectGraphDepth(maxDepth));

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

    /// <summary>The nesting of the serialization running on this thread and its limit.</summary>
    private struct DepthState
    {
        [ThreadStatic]
        private static DepthState _threadCurrent;

        public int Depth;
        public int MaxDepth;

        public static ref DepthState Current => ref _threadCurrent;
    }

    /// <summary>
    /// Wraps the contractless formatters of reference types so serialization counts nesting (MessagePack-CSharp's
    /// writer does not). Formatters are cached per type in static generic fields, as the library's own resolvers do.
    /// </summary>
    private sealed class DepthGuardResolver : IFormatterResolver
    {
        public static readonly DepthGuardResolver Instance = new();

        public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

        private static class Cache<T>
        {
            public static readonly IMessagePackFormatter<T>? Formatter = Create();

            private static IMessagePackFormatter<T>? Create()
            {
                IMessagePackFormatter<T>? inner = ContractlessStandardResolver.Instance.GetFormatter<T>();
                if (inner is null || typeof(T).IsValueType || typeof(T) == typeof(string) || typeof(T) == typeof(byte[]))
                {
                    return inner;
                }

                // A type whose members can never lead back to itself (or to object/interfaces) cannot form a cycle
                // or nest deeper than its declarations: no guard, no per-object cost.
                if (BoundedTypes.IsBounded(typeof(T)))
                {
                    return inner;
                }

                return new DepthGuardFormatter<T>(inner);
            }
        }
    }

    private sealed class DepthGuardFormatter<T> : IMessagePackFormatter<T>
    {
        private readonly IMessagePackFormatter<T> _inner;

        public DepthGuardFormatter(IMessagePackFormatter<T> inner) => _inner = inner;

        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNil();
                return;
            }

            ref DepthState state = ref DepthState.Current;
            int max = state.MaxDepth == 0 ? SerializerOptions.DefaultMaxDepth : state.MaxDepth;
            if (++state.Depth > max)
            {
                state.Depth--;
                throw new DepthExceededException();
            }

            _inner.Serialize(ref writer, value, options);
            state.Depth--;
        }

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => _inner.Deserialize(ref reader, options);
    }
}
