namespace XSystem.Serialization;

public static partial class Formats
{
    /// <summary>How many bytes content detection looks at.</summary>
    public const int DetectionSampleSize = 8 * 1024;

    /// <summary>The lowest confidence at which <see cref="Detect(ReadOnlySpan{byte})"/> names a format.</summary>
    public const double MinimumConfidence = 0.3;

    /// <summary>
    /// Tells the format of content from the content alone (its first <see cref="DetectionSampleSize"/> bytes): JSON vs
    /// JSON Lines vs JSON5, YAML, TOML vs INI, XML, CSV vs TSV, and the binary formats by their signatures.
    /// </summary>
    /// <param name="content">The content, or its beginning.</param>
    /// <returns>The most likely format and the confidence, or null when nothing scores at least <see cref="MinimumConfidence"/>.</returns>
    public static FormatMatch? Detect(ReadOnlySpan<byte> content)
    {
        ReadOnlySpan<byte> sample = content.Length > DetectionSampleSize ? content[..DetectionSampleSize] : content;
        IFormat? best = null;
        double bestScore = 0;
        foreach (IFormat format in All)
        {
            double score;
            try
            {
                score = format.Probe(sample);
            }
#pragma warning disable CA1031 // A misbehaving probe of a third-party format must not break detection; it just scores 0.
            catch (Exception)
#pragma warning restore CA1031
            {
                score = 0;
            }

            if (score > bestScore)
            {
                best = format;
                bestScore = score;
            }
        }

        return best is not null && bestScore >= MinimumConfidence ? new FormatMatch(best, Math.Min(bestScore, 1)) : null;
    }

    /// <summary>
    /// Tells the format of a file: by its extension when one is known (confidence 1), else by its content.
    /// </summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The format and the confidence, or null when neither extension nor content tells.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist and its extension is unknown.</exception>
    public static FormatMatch? Detect(string path)
    {
        Guard.NotNullOrEmptyPath(path);
        if (TryFromExtension(Path.GetExtension(path), out IFormat? byExtension))
        {
            return new FormatMatch(byExtension, 1);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        byte[] sample = new byte[DetectionSampleSize];
        int read = stream.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false);
        return Detect(sample.AsSpan(0, read));
    }
}
