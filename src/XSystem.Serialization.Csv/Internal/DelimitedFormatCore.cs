using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using XSystem.Serialization.Json;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>The work behind <see cref="CsvFormat"/> and <see cref="TsvFormat"/>, parameterised by <see cref="Dialect"/>.</summary>
internal static class DelimitedFormatCore
{
    /// <summary>Streamed output is handed to the stream in chunks of about this size.</summary>
    private const int FlushThreshold = 64 * 1024;

    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options, Dialect dialect)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        new DelimitedWriter(output, options, dialect).WriteDocument(tree);
    }

    public static async ValueTask WriteRecordsAsync(
        Stream stream,
        IAsyncEnumerable<JsonNode?> records,
        SerializerOptions options,
        Dialect dialect,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        var writer = new DelimitedWriter(buffer, options, dialect);
        bool hasHeader = writer.Options.HasHeader;
        bool checkDepth = writer.Options.NestedAsJson;
        string[]? columns = null;
        long index = 0;
        await foreach (JsonNode? record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            string path = "$[" + index.ToString(CultureInfo.InvariantCulture) + "]";
            if (checkDepth)
            {
                XSystem.Serialization.Internal.FormatGuards.CheckTreeDepth(record, options, dialect.Name);
            }

            switch (record)
            {
                case JsonObject obj:
                    if (columns is null)
                    {
                        columns = [.. obj.Select(p => p.Key)];
                        if (columns.Length == 0)
                        {
                            throw new SerializationException(dialect.Name, "the first record has no keys, so there are no columns to write", path: path);
                        }

                        if (hasHeader)
                        {
                            writer.WriteHeader(columns);
                        }
                    }

                    writer.WriteObjectRow(obj, columns, path, strict: true);
                    break;
                case JsonArray array when !hasHeader:
                    writer.WriteArrayRow(array, path);
                    break;
                default:
                    throw writer.NotARow(record, path);
            }

            index++;
            if (buffer.WrittenCount >= FlushThreshold)
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

    /// <summary>Writes typed records straight from metadata getters; types that are not plain objects go through the tree.</summary>
    public static ValueTask WriteTypedAsync<T>(
        Stream stream,
        IAsyncEnumerable<T> records,
        SerializerOptions options,
        Dialect dialect,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        JsonSerializerOptions json = JsonFormat.EffectiveJsonOptions(options);
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        var writer = new DelimitedWriter(buffer, options, dialect);
        TypedRowWriter<T>? typed = TypedRowWriter<T>.TryCreate(writer, dialect.Name, json);
        return typed is null
            ? WriteRecordsAsync(stream, AsNodes(records, json, dialect.Name, cancellationToken), options, dialect, cancellationToken)
            : WriteTypedCoreAsync(stream, records, typed, writer, buffer, cancellationToken);
    }

    private static async ValueTask WriteTypedCoreAsync<T>(
        Stream stream,
        IAsyncEnumerable<T> records,
        TypedRowWriter<T> typed,
        DelimitedWriter writer,
        ArrayBufferWriter<byte> buffer,
        CancellationToken cancellationToken)
    {
        using TypedRowWriter<T> owned = typed;
        long index = 0;
        await foreach (T record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (index == 0 && writer.Options.HasHeader)
            {
                typed.WriteHeader();
            }

            typed.WriteRow(record, index);
            index++;
            if (buffer.WrittenCount >= FlushThreshold)
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

    private static async IAsyncEnumerable<JsonNode?> AsNodes<T>(
        IAsyncEnumerable<T> records,
        JsonSerializerOptions json,
        string format,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (T record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            JsonNode? node;
            try
            {
                node = record as JsonNode ?? JsonSerializer.SerializeToNode(record, json);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
                throw new SerializationException(format, ex.Message, innerException: ex);
            }

            yield return node;
        }
    }

    public static IAsyncEnumerable<JsonNode?> ReadRecordsAsync(
        Stream stream,
        SerializerOptions options,
        Dialect dialect,
        CancellationToken cancellationToken) =>
        DelimitedReader.ReadRecordsAsync(stream, options, dialect, cancellationToken);

    /// <summary>The confidence that a sample is CSV (<paramref name="tsv"/> false) or TSV (true).</summary>
    public static double Probe(ReadOnlySpan<byte> sample, bool tsv)
    {
        if (sample.IsEmpty)
        {
            return 0;
        }

        sample = XSystem.Serialization.Internal.FormatGuards.SkipUtf8Bom(sample);
        if (sample.IsEmpty || !LooksLikeText(sample))
        {
            return 0;
        }

        DelimiterGuess guess = DelimiterDetector.Analyze(sample, sampleMayBeCut: true);
        if (guess.LooksStructured)
        {
            return 0.05;
        }

        if (guess.Records == 0)
        {
            return 0;
        }

        bool tabWins = guess.Delimiter == '\t';
        if (tsv)
        {
            if (!guess.TabConsistent)
            {
                return 0;
            }

            return tabWins ? Confidence(guess.Records, 0.65) : 0.3;
        }

        if (!guess.Consistent)
        {
            return guess.FieldsPerRecord > 1 ? 0.1 : 0;
        }

        // Tab-separated content is TSV first; CSV can still read it (delimiter detection), so it scores lower.
        return tabWins ? 0.35 : Confidence(guess.Records, 0.6);
    }

    private static double Confidence(int records, double single) =>
        records == 1 ? 0.35 : Math.Min(0.95, single + (0.1 * Math.Min(records - 1, 3)));

    /// <summary>Valid UTF-8 (a cut-off last character allowed) without NUL or other control characters besides tab and line breaks.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> sample)
    {
        foreach (byte b in sample)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        for (int cut = 0; cut <= 3 && cut < sample.Length; cut++)
        {
            if (System.Text.Unicode.Utf8.IsValid(sample[..^cut]))
            {
                return true;
            }
        }

        return false;
    }
}
