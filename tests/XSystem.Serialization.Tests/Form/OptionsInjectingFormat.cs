using System.Buffers;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Tests.Form;

/// <summary>
/// Runs a format with extra per-format options added to whatever options the caller passes, so the contract suite (which
/// always passes default options) can run against a non-default configuration such as bracket nesting.
/// </summary>
internal sealed class OptionsInjectingFormat(IFormat inner, FormatOptions extra) : IFormat
{
    public string Name => inner.Name;

    public IReadOnlyList<string> Aliases => inner.Aliases;

    public IReadOnlyList<string> Extensions => inner.Extensions;

    public IReadOnlyList<string> MediaTypes => inner.MediaTypes;

    public FormatCapabilities Capabilities => inner.Capabilities;

    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options) => inner.Parse(data, With(options));

    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options) => inner.Write(tree, output, With(options));

    public double Probe(ReadOnlySpan<byte> sample) => inner.Probe(sample);

    private SerializerOptions With(SerializerOptions options) => new()
    {
        MaxBytes = options.MaxBytes,
        MaxDepth = options.MaxDepth,
        Indent = options.Indent,
        JsonSerializerOptions = options.JsonSerializerOptions,
        FormatOptions = [.. options.FormatOptions.Where(o => o.GetType() != extra.GetType()), extra],
    };
}
