using System.Buffers;
using System.Text.Json.Nodes;
using XSystem.Serialization;
using XSystem.Serialization.Internal;

[assembly: RegisterFormat(typeof(PickleFormat))]

namespace XSystem.Serialization;

/// <summary>
/// Python's pickle, restricted to plain data: reads protocols 0 to 5 and writes protocol 4, with XSystem's own pickle machine
/// that never imports or calls anything. Built in.
/// </summary>
/// <remarks>
/// <para>Reading accepts None, bool, int (any size), float, str, bytes, bytearray, list, tuple, dict, set, frozenset and an
/// allow-list of globals: <c>datetime.datetime/date/time/timedelta/timezone</c>, <c>decimal.Decimal</c>,
/// <c>collections.OrderedDict</c>, and the helpers CPython uses for bytes and sets in protocols 0 to 3
/// (<c>_codecs.encode</c>, <c>builtins.bytes/bytearray/set/frozenset</c>). Any other global (<c>os.system</c>,
/// <c>builtins.eval</c>, application classes ...) throws <see cref="UnsafePickleException"/> naming it.</para>
/// <para>Mapping: int -> <see cref="long"/> or <see cref="System.Numerics.BigInteger"/>; float -> <see cref="double"/>;
/// bytes and bytearray -> <c>byte[]</c>; tuple, set and frozenset -> arrays; dict keys other than str -> compact JSON text
/// (<c>1</c>, <c>2.5</c>, <c>true</c>, <c>null</c>, <c>[1,"a"]</c>); naive datetime -> <see cref="DateTime"/>, aware ->
/// <see cref="DateTimeOffset"/>; date -> <see cref="DateOnly"/>; time -> <see cref="TimeOnly"/>; timedelta ->
/// <see cref="TimeSpan"/>; Decimal -> <see cref="decimal"/> (its text when .NET cannot hold it exactly); Python 2 str ->
/// string decoded as Latin-1. Shared references are copied; cycles are rejected.</para>
/// <para>Writing produces protocol 4 with frames; dates, times, durations and decimals become the same globals, so they
/// round-trip, and CPython loads the output with <c>pickle.load</c>.</para>
/// Thread safety: stateless; one instance serves every caller.
/// </remarks>
public sealed class PickleFormat : IFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "pickle";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["pkl"];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".pkl", ".pickle"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["application/x-python-pickle"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Tree;

    /// <inheritdoc />
    /// <exception cref="UnsafePickleException">The pickle names a global that is not on the allow-list.</exception>
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, FormatName);
        try
        {
            return PickleReader.Parse(data, options);
        }
        catch (Exception ex) when (ex is ArgumentException or OverflowException or InvalidOperationException or IndexOutOfRangeException)
        {
            // A safety net: the reader validates its input, so reaching this means a case it missed; still a clean error.
            throw new SerializationException(FormatName, "the pickle is malformed: " + ex.Message, innerException: ex);
        }
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckTreeDepth(tree, options, FormatName);
        PickleWriter.Write(tree, output);
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample) => PickleProbe.Score(sample);
}
