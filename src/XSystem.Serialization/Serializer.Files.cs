using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using XSystem.IO;
using XSystem.Serialization.Internal;
using XSystem.Serialization.Json;

namespace XSystem.Serialization;

public static partial class Serializer
{
    /// <summary>
    /// Loads a file into the tree. The format comes from the file's extension, else from its content
    /// (<see cref="Formats.Detect(ReadOnlySpan{byte})"/>). The file is read with <see cref="SerializerOptions.MaxBytes"/> as its size limit.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SerializationException">The content is malformed, or its format cannot be told.</exception>
    /// <exception cref="SerializationLimitException">The file or its content breaks a limit.</exception>
    /// <exception cref="FormatNotAvailableException">The extension names a format whose package is not referenced.</exception>
    public static JsonNode? Load(string path, SerializerOptions? options = null) => Load(path, format: null, options);

    /// <summary>Loads a file in a given format into the tree.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format; null to choose by extension, else by content.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <returns>The tree.</returns>
    public static JsonNode? Load(string path, IFormat? format, SerializerOptions? options = null)
    {
        options ??= SerializerOptions.Default;
        byte[] data = ReadFile(path, options, format);
        format ??= ResolveForLoad(path, data);
        return format.Parse(data, options);
    }

    /// <summary>Loads a file into a value of type <typeparamref name="T"/>; the format is chosen as by <see cref="Load(string, SerializerOptions?)"/>.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="format">The format; null to choose by extension, else by content.</param>
    /// <returns>The value.</returns>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static T? Load<T>(string path, SerializerOptions? options = null, IFormat? format = null)
    {
        options ??= SerializerOptions.Default;
        byte[] data = ReadFile(path, options, format);
        format ??= ResolveForLoad(path, data);
        return Deserialize<T>(data, format, options);
    }

    /// <summary>Loads a file into the tree without blocking a thread on I/O.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tree.</returns>
    public static Task<JsonNode?> LoadAsync(string path, SerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        LoadAsync(path, format: null, options, cancellationToken);

    /// <summary>Loads a file in a given format into the tree without blocking a thread on I/O.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format; null to choose by extension, else by content.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tree.</returns>
    public static async Task<JsonNode?> LoadAsync(string path, IFormat? format, SerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SerializerOptions.Default;
        byte[] data = await ReadFileAsync(path, options, format, cancellationToken).ConfigureAwait(false);
        format ??= ResolveForLoad(path, data);
        return format.Parse(data, options);
    }

    /// <summary>Loads a file into a value of type <typeparamref name="T"/> without blocking a thread on I/O.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="format">The format; null to choose by extension, else by content.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The value.</returns>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static async Task<T?> LoadAsync<T>(string path, SerializerOptions? options = null, IFormat? format = null, CancellationToken cancellationToken = default)
    {
        options ??= SerializerOptions.Default;
        byte[] data = await ReadFileAsync(path, options, format, cancellationToken).ConfigureAwait(false);
        format ??= ResolveForLoad(path, data);
        return Deserialize<T>(data, format, options);
    }

    /// <summary>
    /// Saves a value (a <see cref="JsonNode"/> tree or any object) to a file, atomically and durably through
    /// <see cref="AtomicFile"/>: readers and crashes see the old or the new file, never a mix. The format comes from the
    /// extension unless given.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="format">The format; null to choose by extension.</param>
    /// <exception cref="SerializationException">The extension names no format (pass one), or the value holds something the format cannot represent.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static void Save<T>(string path, T value, SerializerOptions? options = null, IFormat? format = null)
    {
        format ??= ResolveForSave(path);
        AtomicFile.WriteAllBytes(path, Serialize(value, format, options));
    }

    /// <summary>Saves a value to a file atomically and durably without blocking a thread on I/O.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="format">The format; null to choose by extension.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left untouched.</param>
    /// <returns>A task that completes when the file is published.</returns>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static Task SaveAsync<T>(string path, T value, SerializerOptions? options = null, IFormat? format = null, CancellationToken cancellationToken = default)
    {
        format ??= ResolveForSave(path);
        return AtomicFile.WriteAllBytesAsync(path, Serialize(value, format, options), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Converts a file to another format through the tree: formats come from the extensions (the input's from its content
    /// when its extension is unknown). The output is written atomically. To stream between two record formats (JSON Lines,
    /// CSV, TSV) in constant memory, use <see cref="ConvertAsync"/>.
    /// </summary>
    /// <param name="inputPath">The input file.</param>
    /// <param name="outputPath">The output file.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="from">The input format; null to choose by extension, else content.</param>
    /// <param name="to">The output format; null to choose by extension.</param>
    public static void Convert(string inputPath, string outputPath, SerializerOptions? options = null, IFormat? from = null, IFormat? to = null)
    {
        options ??= SerializerOptions.Default;
        to ??= ResolveForSave(outputPath);
        from ??= ResolveInput(inputPath);
        // The synchronous form goes through the tree; ConvertAsync streams between record formats.
        JsonNode? tree = Load(inputPath, from, options);
        AtomicFile.WriteAllBytes(outputPath, Write(tree, to, options));
    }

    /// <summary>Converts a file to another format without blocking a thread on I/O; see <see cref="Convert(string, string, SerializerOptions?, IFormat?, IFormat?)"/>.</summary>
    /// <param name="inputPath">The input file.</param>
    /// <param name="outputPath">The output file.</param>
    /// <param name="options">Limits and settings; <see cref="SerializerOptions.Default"/> when null.</param>
    /// <param name="from">The input format; null to choose by extension, else content.</param>
    /// <param name="to">The output format; null to choose by extension.</param>
    /// <param name="cancellationToken">Cancels the conversion; the output is then left untouched.</param>
    /// <returns>A task that completes when the output is published.</returns>
    public static async Task ConvertAsync(string inputPath, string outputPath, SerializerOptions? options = null, IFormat? from = null, IFormat? to = null, CancellationToken cancellationToken = default)
    {
        options ??= SerializerOptions.Default;
        to ??= ResolveForSave(outputPath);
        from ??= ResolveInput(inputPath);
        if (from is IRecordFormat fromRecords && to is IRecordFormat toRecords)
        {
            await ConvertRecordsAsync(inputPath, outputPath, fromRecords, toRecords, options, cancellationToken).ConfigureAwait(false);
            return;
        }

        JsonNode? tree = await LoadAsync(inputPath, from, options, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllBytesAsync(outputPath, Write(tree, to, options), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask ConvertRecordsAsync(string inputPath, string outputPath, IRecordFormat from, IRecordFormat to, SerializerOptions options, CancellationToken cancellationToken)
    {
        Guard.NotNullOrEmptyPath(inputPath);
        var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (input.ConfigureAwait(false))
        {
            var output = AtomicFile.Create(outputPath);
            await using (output.ConfigureAwait(false))
            {
                if (from is IJsonLinesSource direct && to is JsonLinesFormat)
                {
                    // CSV/TSV to JSON Lines: rows go straight to the JSON writer, no tree per record.
                    await direct.WriteJsonLinesAsync(input, output, options, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await to.WriteRecordsAsync(output, from.ReadRecordsAsync(input, options, cancellationToken), options, cancellationToken).ConfigureAwait(false);
                }

                await output.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static IFormat ResolveInput(string path)
    {
        Guard.NotNullOrEmptyPath(path);
        if (Formats.TryFromExtension(Path.GetExtension(path), out IFormat? format))
        {
            return format;
        }

        return Formats.Detect(path)?.Format
            ?? throw new SerializationException("file", $"cannot tell the format of '{path}' from its extension or its content; pass the format explicitly");
    }

    private static IFormat ResolveForLoad(string path, ReadOnlySpan<byte> data)
    {
        string extension = Path.GetExtension(path);
        if (extension.Length > 0 && Formats.TryFromExtension(extension, out IFormat? byExtension))
        {
            return byExtension;
        }

        return Formats.Detect(data)?.Format
            ?? throw new SerializationException("file", $"cannot tell the format of '{path}' from its extension or its content; pass the format explicitly");
    }

    private static IFormat ResolveForSave(string path)
    {
        Guard.NotNullOrEmptyPath(path);
        string extension = Path.GetExtension(path);
        if (extension.Length == 0)
        {
            throw new SerializationException("file", $"cannot tell which format to write '{path}' in: it has no extension; pass the format explicitly");
        }

        // Throws FormatNotAvailableException naming the package when the extension belongs to a missing satellite.
        return Formats.FromExtension(extension);
    }

    private static byte[] ReadFile(string path, SerializerOptions options, IFormat? format)
    {
        Guard.NotNullOrEmptyPath(path);
        try
        {
            return SafeFile.ReadAllBytes(path, new SafeReadOptions { MaxBytes = options.MaxBytes });
        }
        catch (FileTooLargeException ex)
        {
            throw TooLarge(ex, options, format, path);
        }
    }

    private static async Task<byte[]> ReadFileAsync(string path, SerializerOptions options, IFormat? format, CancellationToken cancellationToken)
    {
        Guard.NotNullOrEmptyPath(path);
        try
        {
            return await SafeFile.ReadAllBytesAsync(path, new SafeReadOptions { MaxBytes = options.MaxBytes }, cancellationToken).ConfigureAwait(false);
        }
        catch (FileTooLargeException ex)
        {
            throw TooLarge(ex, options, format, path);
        }
    }

    private static SerializationLimitException TooLarge(FileTooLargeException ex, SerializerOptions options, IFormat? format, string path) =>
        new(format?.Name ?? "file", "MaxBytes", options.MaxBytes, $"set SerializerOptions.MaxBytes higher to load '{path}'", innerException: ex);
}
