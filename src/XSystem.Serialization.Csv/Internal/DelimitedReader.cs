using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using nietras.SeparatedValues;
using XSystem.Serialization.Internal;
using XSystem.Serialization.Json;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>Reads CSV and TSV through Sep into the tree, whole documents and streamed records.</summary>
internal static class DelimitedReader
{
    /// <summary>How much of the start of the input delimiter detection looks at.</summary>
    internal const int DetectionSampleBytes = 64 * 1024;

    /// <summary>Sep refuses rows longer than this many characters.</summary>
    private const int SepMaxRowChars = 16 * 1024 * 1024;

    /// <summary>Compact JSON; only what JSON requires is escaped (the text never reaches a browser), nothing validated twice.</summary>
    private static readonly JsonWriterOptions JsonWriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static JsonArray Parse(ReadOnlySpan<byte> data, SerializerOptions options, Dialect dialect)
    {
        ArgumentNullException.ThrowIfNull(options);
        FormatGuards.CheckSize(data.Length, options, dialect.Name);
        data = FormatGuards.SkipUtf8Bom(data);
        if (data.IsEmpty)
        {
            return [];
        }

        CsvOptions csv = options.GetFormatOptions<CsvOptions>();
        char delimiter = dialect.FixedDelimiter ?? csv.Delimiter
            ?? DelimiterDetector.Detect(data[..Math.Min(data.Length, DetectionSampleBytes)], sampleMayBeCut: data.Length > DetectionSampleBytes);
        string text = Decode(data, dialect.Name);
        var converter = new RowConverter(dialect.Name, csv);

        // Rows go to JSON text first and System.Text.Json parses it into a lazily built tree: far cheaper than a
        // node per cell, and nodes appear only where the caller looks.
        var json = new ArrayBufferWriter<byte>(Math.Max(256, data.Length + (data.Length / 4)));
        try
        {
            using var writer = new Utf8JsonWriter(json, JsonWriterOptions);
            writer.WriteStartArray();
            using SepReader reader = ReaderOptions(csv, delimiter).FromText(text);
            foreach (SepReader.Row row in reader)
            {
                converter.WriteRow(row, writer);
            }

            writer.WriteEndArray();
            writer.Flush();
        }
        catch (Exception ex) when (IsParserError(ex))
        {
            throw Wrap(ex, dialect.Name);
        }

        return JsonNode.Parse(json.WrittenSpan)!.AsArray();
    }

    /// <summary>
    /// Maps every row of a whole document (BOM already skipped) into <paramref name="records"/>: the synchronous twin of
    /// <see cref="ReadTypedAsync{T}"/>. The bytes are read in place and decoded a buffer at a time (not into one large string), and rows
    /// are checked for an unclosed quote only once the input has run dry (see <see cref="TypedRowMapper{T}.CheckQuotesFromEndOf"/>).
    /// </summary>
    public static void ReadTyped<T>(ReadOnlySpan<byte> data, CsvOptions csv, Dialect dialect, TypedRowMapper<T> mapper, List<T?> records)
    {
        if (data.IsEmpty)
        {
            return;
        }

        char delimiter = dialect.FixedDelimiter ?? csv.Delimiter
            ?? DelimiterDetector.Detect(data[..Math.Min(data.Length, DetectionSampleBytes)], sampleMayBeCut: data.Length > DetectionSampleBytes);
        try
        {
            unsafe
            {
                // The caller's span is read in place (it stays pinned for the read), decoded a buffer at a time.
                fixed (byte* start = data)
                {
                    // The whole document is within MaxBytes already, so no record can exceed it: the stream only reports the end.
                    using var bytes = new UnmanagedMemoryStream(start, data.Length);
                    var source = new RecordLimitStream(bytes, long.MaxValue, dialect.Name);
                    mapper.CheckQuotesFromEndOf(source);
                    using var text = new StrictUtf8Reader(source);
                    using SepReader reader = ReaderOptions(csv, delimiter).From(text);
                    foreach (SepReader.Row row in reader)
                    {
                        if (mapper.TryMap(row, out T? value))
                        {
                            records.Add(value);
                        }
                    }
                }
            }
        }
        catch (InvalidUtf8Exception)
        {
            // Decode reports where the invalid byte is.
            Decode(data, dialect.Name);
            throw;
        }
        catch (Exception ex) when (IsParserError(ex))
        {
            throw Wrap(ex, dialect.Name);
        }
    }

    public static async IAsyncEnumerable<JsonNode?> ReadRecordsAsync(
        Stream stream,
        SerializerOptions options,
        Dialect dialect,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        CsvOptions csv = options.GetFormatOptions<CsvOptions>();
        var guarded = new RecordLimitStream(stream, options.MaxBytes, dialect.Name);
        ReadOnlyMemory<byte> head = await guarded.PeekAsync(DetectionSampleBytes, cancellationToken).ConfigureAwait(false);
        char delimiter = dialect.FixedDelimiter ?? csv.Delimiter
            ?? DelimiterDetector.Detect(head.Span, sampleMayBeCut: head.Length >= DetectionSampleBytes - 3);
        using var text = new StrictUtf8Reader(guarded, guarded.SkippedBytes);
        SepReader reader = await OpenAsync(ReaderOptions(csv, delimiter), text, dialect.Name, cancellationToken).ConfigureAwait(false);
        try
        {
            var converter = new RowConverter(dialect.Name, csv);
            while (await MoveNextAsync(reader, dialect.Name, cancellationToken).ConfigureAwait(false))
            {
                // Sep checks the token only when it reads more input; rows already buffered come without a check.
                cancellationToken.ThrowIfCancellationRequested();
                JsonNode? node = Convert(converter, reader, dialect.Name);
                if (node is not null)
                {
                    yield return node;
                }
            }
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>
    /// Copies rows to JSON Lines through <see cref="RowConverter.WriteRow"/>: the same JSON the record path produces,
    /// without a <see cref="JsonObject"/> per row.
    /// </summary>
    public static async ValueTask WriteJsonLinesAsync(Stream input, Stream output, SerializerOptions options, Dialect dialect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        CsvOptions csv = options.GetFormatOptions<CsvOptions>();
        var guarded = new RecordLimitStream(input, options.MaxBytes, dialect.Name);
        ReadOnlyMemory<byte> head = await guarded.PeekAsync(DetectionSampleBytes, cancellationToken).ConfigureAwait(false);
        char delimiter = dialect.FixedDelimiter ?? csv.Delimiter
            ?? DelimiterDetector.Detect(head.Span, sampleMayBeCut: head.Length >= DetectionSampleBytes - 3);
        using var text = new StrictUtf8Reader(guarded, guarded.SkippedBytes);
        using SepReader reader = await OpenAsync(ReaderOptions(csv, delimiter), text, dialect.Name, cancellationToken).ConfigureAwait(false);
        var converter = new RowConverter(dialect.Name, csv);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var writer = new Utf8JsonWriter(buffer, JsonWriterOptions);
        while (await MoveNextAsync(reader, dialect.Name, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!WriteRow(converter, reader, writer, dialect.Name))
            {
                continue;
            }

            writer.Flush();
            writer.Reset();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= 32 * 1024)
            {
                await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        if (buffer.WrittenCount > 0)
        {
            await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool WriteRow(RowConverter converter, SepReader reader, Utf8JsonWriter writer, string format)
    {
        try
        {
            return converter.WriteRow(reader.Current, writer);
        }
        catch (Exception ex) when (IsParserError(ex))
        {
            throw Wrap(ex, format);
        }
    }

    /// <summary>Streams rows straight into <typeparamref name="T"/> (see <see cref="TypedRowMapper{T}"/>); no tree is built.</summary>
    public static IAsyncEnumerable<T?> ReadTypedAsync<T>(
        Stream stream,
        SerializerOptions options,
        Dialect dialect,
        bool forceJson,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        return new TypedRecords<T>(stream, options, dialect, forceJson, cancellationToken);
    }

    /// <summary>
    /// The typed record stream, written out by hand rather than as an <c>async</c> iterator. Rows are mapped a batch at
    /// a time in one tight loop while Sep has them buffered (its <c>MoveNextAsync</c> completes synchronously);
    /// <c>MoveNextAsync</c> then hands out the batch with no state machine and no mapping call. Only reading more
    /// input awaits. An error met while filling a batch is held back until the rows before it have been handed out,
    /// so the caller sees exactly the records it saw one row at a time. A memory stream skips the batch: its rows are
    /// read on Sep's synchronous path and mapped one per <c>MoveNextAsync</c>.
    /// </summary>
    private sealed class TypedRecords<T>(Stream stream, SerializerOptions options, Dialect dialect, bool forceJson, CancellationToken readToken)
        : IAsyncEnumerable<T?>
    {
        public IAsyncEnumerator<T?> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            new Enumerator(stream, options, dialect, forceJson, readToken, cancellationToken);

        private sealed class Enumerator : IAsyncEnumerator<T?>
        {
            /// <summary>Rows mapped per batch: enough to amortise the per-batch work, few enough to keep the batch in cache.</summary>
            private const int BatchSize = 64;

            private readonly Stream _stream;
            private readonly SerializerOptions _options;
            private readonly Dialect _dialect;
            private readonly CsvOptions _csv;
            private readonly CancellationTokenSource? _linked;
            private readonly CancellationToken _cancellationToken;
            private readonly TypedRowMapper<T> _mapper;
            private readonly T?[] _batch = new T?[BatchSize];
            private readonly bool _inMemory;
            private int _batchIndex;
            private int _batchCount;
            private ValueTask<bool>? _pending;
            private ExceptionDispatchInfo? _deferred;
            private StrictUtf8Reader? _text;
            private SepReader? _reader;
            private SepReader? _inMemoryReader;
            private bool _ended;
            private bool _done;

            public Enumerator(Stream stream, SerializerOptions options, Dialect dialect, bool forceJson, CancellationToken first, CancellationToken second)
            {
                _stream = stream;
                _inMemory = stream.GetType() == typeof(MemoryStream) || stream.GetType() == typeof(UnmanagedMemoryStream);
                _options = options;
                _dialect = dialect;
                _csv = options.GetFormatOptions<CsvOptions>();
                if (first.CanBeCanceled && second.CanBeCanceled && first != second)
                {
                    _linked = CancellationTokenSource.CreateLinkedTokenSource(first, second);
                    _cancellationToken = _linked.Token;
                }
                else
                {
                    _cancellationToken = first.CanBeCanceled ? first : second;
                }

                _mapper = new TypedRowMapper<T>(dialect.Name, _csv, JsonFormat.EffectiveJsonOptions(options), forceJson);
            }

            public T? Current { get; private set; }

            public ValueTask<bool> MoveNextAsync()
            {
                if (_inMemoryReader is { } inMemory)
                {
                    return new ValueTask<bool>(MoveNextInMemory(inMemory));
                }

                int index = _batchIndex;
                if (index < _batchCount)
                {
                    // Rows of a batch come without reading, so the token is checked here as it was per row before.
                    _cancellationToken.ThrowIfCancellationRequested();
                    Current = _batch[index];
                    _batchIndex = index + 1;
                    return new ValueTask<bool>(true);
                }

                if (_done)
                {
                    return new ValueTask<bool>(false);
                }

                return _reader is null ? OpenAndMoveAsync() : NextBatch();
            }

            /// <summary>
            /// A memory stream never waits, so its rows are read and mapped one per call on Sep's synchronous path:
            /// no batch to fill and hand out, and errors surface at their row.
            /// </summary>
            private bool MoveNextInMemory(SepReader reader)
            {
                TypedRowMapper<T> mapper = _mapper;
                try
                {
                    while (reader.MoveNext())
                    {
                        // Sep checks no token on this path; rows are checked here as on the others.
                        _cancellationToken.ThrowIfCancellationRequested();
                        if (mapper.TryMap(reader, out T? value))
                        {
                            Current = value;
                            return true;
                        }
                    }
                }
                catch (Exception ex) when (IsParserError(ex))
                {
                    throw Wrap(ex, _dialect.Name);
                }

                _inMemoryReader = null;
                End();
                return false;
            }

            /// <summary>After a batch is handed out: a held-back error, the end, a pending read, or the next batch.</summary>
            private ValueTask<bool> NextBatch()
            {
                _batchIndex = _batchCount = 0;
                if (_deferred is { } deferred)
                {
                    _deferred = null;
                    deferred.Throw();
                }

                if (_ended)
                {
                    return Finish();
                }

                if (_pending is { } pending)
                {
                    _pending = null;
                    return AwaitAndFillAsync(pending);
                }

                Fill(mapCurrent: false);
                return TakeFirst() ? new ValueTask<bool>(true) : NextBatch();
            }

            /// <summary>Starts handing out the batch just filled; false when it is empty (the input ended or must be read).</summary>
            private bool TakeFirst()
            {
                if (_batchCount == 0)
                {
                    return false;
                }

                Current = _batch[0];
                _batchIndex = 1;
                return true;
            }

            /// <summary>
            /// Maps rows into the batch while Sep has them buffered; stops when the batch is full, the input ends, or Sep
            /// has to read (the read is kept in <see cref="_pending"/>). An error after some rows is held back.
            /// </summary>
            private void Fill(bool mapCurrent)
            {
                SepReader reader = _reader!;
                TypedRowMapper<T> mapper = _mapper;
                T?[] batch = _batch;
                CancellationToken cancellationToken = _cancellationToken;
                int count = 0;
                try
                {
                    if (mapCurrent)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (mapper.TryMap(reader, out T? first))
                        {
                            batch[count++] = first;
                        }
                    }

                    while (count < batch.Length)
                    {
                        ValueTask<bool> next = reader.MoveNextAsync(cancellationToken);
                        if (!next.IsCompletedSuccessfully)
                        {
                            _pending = next;
                            break;
                        }

                        if (!next.Result)
                        {
                            _ended = true;
                            break;
                        }

                        // Sep checks the token only when it reads more input; rows already buffered come without a check.
                        cancellationToken.ThrowIfCancellationRequested();
                        if (mapper.TryMap(reader, out T? value))
                        {
                            batch[count++] = value;
                        }
                    }
                }
                catch (Exception ex)
                {
                    Exception error = IsParserError(ex) ? Wrap(ex, _dialect.Name) : ex;
                    if (count == 0)
                    {
                        ExceptionDispatchInfo.Throw(error);
                    }

                    _deferred = ExceptionDispatchInfo.Capture(error);
                }

                _batchCount = count;
            }

            private ValueTask<bool> Finish()
            {
                End();
                return new ValueTask<bool>(false);
            }

            private void End()
            {
                _done = true;
                Current = default;
                Array.Clear(_batch);
            }

            private async ValueTask<bool> OpenAndMoveAsync()
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var guarded = new RecordLimitStream(_stream, _options.MaxBytes, _dialect.Name);
                ReadOnlyMemory<byte> head = await guarded.PeekAsync(DetectionSampleBytes, _cancellationToken).ConfigureAwait(false);
                char delimiter = _dialect.FixedDelimiter ?? _csv.Delimiter
                    ?? DelimiterDetector.Detect(head.Span, sampleMayBeCut: head.Length >= DetectionSampleBytes - 3);
                _mapper.CheckQuotesFromEndOf(guarded);
                _text = new StrictUtf8Reader(guarded, guarded.SkippedBytes);
                _reader = await OpenAsync(ReaderOptions(_csv, delimiter), _text, _dialect.Name, _cancellationToken).ConfigureAwait(false);
                if (_inMemory)
                {
                    _inMemoryReader = _reader;
                    return MoveNextInMemory(_reader);
                }

                return await NextBatch().ConfigureAwait(false);
            }

            private async ValueTask<bool> AwaitAndFillAsync(ValueTask<bool> pending)
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await pending.ConfigureAwait(false);
                    }
                    catch (Exception ex) when (IsParserError(ex))
                    {
                        throw Wrap(ex, _dialect.Name);
                    }

                    if (!more)
                    {
                        _ended = true;
                        return await Finish().ConfigureAwait(false);
                    }

                    Fill(mapCurrent: true);
                    if (TakeFirst())
                    {
                        return true;
                    }

                    if (_pending is not { } next)
                    {
                        return await NextBatch().ConfigureAwait(false);
                    }

                    _pending = null;
                    pending = next;
                }
            }

            public ValueTask DisposeAsync()
            {
                _done = true;
                _batchIndex = _batchCount = 0;
                Array.Clear(_batch);
                _inMemoryReader = null;
                _reader?.Dispose();
                _reader = null;
                _text?.Dispose();
                _text = null;
                _mapper.Dispose();
                _linked?.Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }

    private static SepReaderOptions ReaderOptions(CsvOptions csv, char delimiter) =>
        new SepReaderOptions(new Sep(delimiter))
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true,
            Trim = csv.Trim ? SepTrim.All : SepTrim.None,
            CultureInfo = CultureInfo.InvariantCulture,
        };

    private static async ValueTask<SepReader> OpenAsync(SepReaderOptions sepOptions, TextReader text, string format, CancellationToken cancellationToken)
    {
        try
        {
            return await sepOptions.FromAsync(text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsParserError(ex))
        {
            throw Wrap(ex, format);
        }
    }

    /// <summary>The next row: completes synchronously (no state machine) while Sep has rows buffered.</summary>
    private static ValueTask<bool> MoveNextAsync(SepReader reader, string format, CancellationToken cancellationToken)
    {
        ValueTask<bool> next;
        try
        {
            next = reader.MoveNextAsync(cancellationToken);
            if (next.IsCompletedSuccessfully)
            {
                return new ValueTask<bool>(next.Result);
            }
        }
        catch (Exception ex) when (IsParserError(ex))
        {
            throw Wrap(ex, format);
        }

        return AwaitNextAsync(next, format);
    }

    private static async ValueTask<bool> AwaitNextAsync(ValueTask<bool> next, string format)
    {
        try
        {
            return await next.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsParserError(ex))
        {
            throw Wrap(ex, format);
        }
    }

    private static JsonNode? Convert(RowConverter converter, SepReader reader, string format)
    {
        try
        {
            return converter.Convert(reader);
        }
        catch (Exception ex) when (IsParserError(ex))
        {
            throw Wrap(ex, format);
        }
    }

    /// <summary>Errors of Sep or of decoding that mean bad input (never our own exceptions, I/O errors or cancellation).</summary>
    private static bool IsParserError(Exception ex) =>
        ex is InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException
        && ex is not SerializationException and not OperationCanceledException;

    private static SerializationException Wrap(Exception ex, string format) => ex switch
    {
        InvalidUtf8Exception invalid => new SerializationException(
            format,
            $"the input is not valid UTF-8 at byte offset {invalid.ByteOffset.ToString(CultureInfo.InvariantCulture)}; save it as UTF-8 (CSV and TSV are read as UTF-8)",
            innerException: ex),
        NotSupportedException when ex.Message.Contains("maximum supported length", StringComparison.Ordinal) => new SerializationException(
            format,
            $"a row is longer than {SepMaxRowChars.ToString("N0", CultureInfo.InvariantCulture)} characters, the most the Sep parser supports; a quote that is never closed makes the rest of the input one row",
            innerException: ex),
        _ => new SerializationException(format, "the input is not valid: " + ex.Message, innerException: ex),
    };

    private static string Decode(ReadOnlySpan<byte> data, string format)
    {
        if (System.Text.Unicode.Utf8.IsValid(data))
        {
            return Encoding.UTF8.GetString(data);
        }

        int offset = 0;
        while (offset < data.Length && Rune.DecodeFromUtf8(data[offset..], out _, out int consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        throw FormatGuards.At(format, "the input is not valid UTF-8; save it as UTF-8 (CSV and TSV are read as UTF-8)", data, offset);
    }
}
