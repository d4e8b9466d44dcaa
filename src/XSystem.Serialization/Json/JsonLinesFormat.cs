using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Internal;
using XSystem.Serialization.Json;

[assembly: XSystem.Serialization.RegisterFormat(typeof(JsonLinesFormat))]

namespace XSystem.Serialization.Json;

/// <summary>
/// JSON Lines (also called NDJSON): one JSON value per line, read and written as a stream of records in constant memory.
/// </summary>
/// <remarks>
/// As a whole document, the tree is a <see cref="JsonArray"/> with one item per line; writing a tree whose root is not an
/// array writes it as a single line. Lines holding only white space are skipped. A bad line reports its line number.
/// <see cref="SerializerOptions.MaxBytes"/> limits each line when streaming and the whole input when parsing a document.
/// Thread safety: stateless; one instance serves all threads.
/// </remarks>
public sealed class JsonLinesFormat : IRecordFormat
{
    /// <inheritdoc />
    public string Name => "jsonl";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["jsonlines", "ndjson", "json-lines"];

    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".jsonl", ".ndjson"];

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["application/jsonl", "application/x-ndjson", "application/x-jsonlines"];

    /// <inheritdoc />
    public FormatCapabilities Capabilities => FormatCapabilities.Text | FormatCapabilities.Tree | FormatCapabilities.Records;

    /// <inheritdoc />
    public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, Name);
        data = FormatGuards.SkipUtf8Bom(data);
        var result = new JsonArray();
        long line = 0;
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> current = newline < 0 ? data : data[..newline];
            data = newline < 0 ? [] : data[(newline + 1)..];
            if (!IsBlank(current))
            {
                result.Add(JsonTreeReader.Parse(current, options, Name, line));
            }

            line++;
        }

        return result;
    }

    /// <inheritdoc />
    public void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        using var writer = new Utf8JsonWriter(output, LineWriterOptions(options));
        if (tree is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                WriteLine(item, writer, output, options);
            }
        }
        else
        {
            WriteLine(tree, writer, output, options);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JsonNode?> ReadRecordsAsync(Stream stream, SerializerOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        long line = 0;
        bool first = true;
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = read.Buffer;
                while (TryTakeLine(ref buffer, read.IsCompleted, out ReadOnlySequence<byte> lineBytes))
                {
                    if (lineBytes.Length > options.MaxBytes)
                    {
                        throw new SerializationLimitException(Name, "MaxBytes", options.MaxBytes, "set SerializerOptions.MaxBytes higher (it limits each line)", line + 1);
                    }

                    JsonNode? record = ParseLine(lineBytes, first, options, line, out bool blank);
                    first = false;
                    line++;
                    if (!blank)
                    {
                        yield return record;
                    }
                }

                if (buffer.Length > options.MaxBytes)
                {
                    throw new SerializationLimitException(Name, "MaxBytes", options.MaxBytes, "set SerializerOptions.MaxBytes higher (it limits each line)", line + 1);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask WriteRecordsAsync(Stream stream, IAsyncEnumerable<JsonNode?> records, SerializerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var writer = new Utf8JsonWriter(buffer, LineWriterOptions(options));
        await foreach (JsonNode? record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            WriteLine(record, writer, buffer, options);
            if (buffer.WrittenCount >= 32 * 1024)
            {
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        if (buffer.WrittenCount > 0)
        {
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public double Probe(ReadOnlySpan<byte> sample) => JsonProbe.Score(sample).JsonLines;

    private JsonNode? ParseLine(ReadOnlySequence<byte> lineBytes, bool first, SerializerOptions options, long line, out bool blank)
    {
        ReadOnlySpan<byte> span = lineBytes.IsSingleSegment ? lineBytes.FirstSpan : lineBytes.ToArray();
        if (first)
        {
            span = FormatGuards.SkipUtf8Bom(span);
        }

        blank = IsBlank(span);
        return blank ? null : JsonTreeReader.Parse(span, options, Name, line);
    }

    private static JsonWriterOptions LineWriterOptions(SerializerOptions options) => new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = options.MaxDepth + 1,
        SkipValidation = true,
    };

    private void WriteLine(JsonNode? item, Utf8JsonWriter writer, IBufferWriter<byte> output, SerializerOptions options)
    {
        JsonTreeWriter.Write(item, writer, options, Name);
        writer.Flush();
        writer.Reset();
        output.Write("\n"u8);
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, bool completed, out ReadOnlySequence<byte> line)
    {
        SequencePosition? newline = buffer.PositionOf((byte)'\n');
        if (newline is { } position)
        {
            line = buffer.Slice(0, position);
            buffer = buffer.Slice(buffer.GetPosition(1, position));
            return true;
        }

        if (completed && !buffer.IsEmpty)
        {
            line = buffer;
            buffer = buffer.Slice(buffer.End);
            return true;
        }

        line = default;
        return false;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
