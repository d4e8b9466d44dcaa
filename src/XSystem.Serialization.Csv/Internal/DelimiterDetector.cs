namespace XSystem.Serialization.Csv.Internal;

/// <summary>The outcome of looking at the first records of a sample.</summary>
/// <param name="Delimiter">The delimiter that splits the records best.</param>
/// <param name="Consistent">Whether every record holds the same, non-zero number of that delimiter.</param>
/// <param name="FieldsPerRecord">Fields in the first record with that delimiter.</param>
/// <param name="Records">Non-blank records looked at.</param>
/// <param name="TabConsistent">Whether tabs split every record consistently (for TSV scoring).</param>
/// <param name="LooksStructured">Whether the sample starts like JSON, XML or an INI/TOML section (<c>{</c>, <c>[</c>, <c>&lt;</c>).</param>
internal readonly record struct DelimiterGuess(char Delimiter, bool Consistent, int FieldsPerRecord, int Records, bool TabConsistent, bool LooksStructured);

/// <summary>Finds the delimiter of CSV-like text from its first records, quote-aware, on bytes (every candidate is ASCII).</summary>
internal static class DelimiterDetector
{
    /// <summary>Candidates in order of preference when they tie.</summary>
    private static readonly byte[] Candidates = [(byte)',', (byte)';', (byte)'\t', (byte)'|'];

    private const int MaxRecords = 64;

    /// <summary>The delimiter to read with when none is configured: the consistent candidate with most fields, else a comma.</summary>
    public static char Detect(ReadOnlySpan<byte> sample, bool sampleMayBeCut) => Analyze(sample, sampleMayBeCut).Delimiter;

    /// <summary>Looks at up to 64 records of <paramref name="sample"/>.</summary>
    /// <param name="sample">The start of the content, without a byte order mark.</param>
    /// <param name="sampleMayBeCut">Whether the sample may stop inside a record (then an unterminated last record is ignored).</param>
    public static DelimiterGuess Analyze(ReadOnlySpan<byte> sample, bool sampleMayBeCut)
    {
        Span<int> first = stackalloc int[Candidates.Length];
        Span<int> current = stackalloc int[Candidates.Length];
        Span<bool> consistent = stackalloc bool[Candidates.Length];
        consistent.Fill(true);
        int records = 0;
        bool inQuotes = false;
        bool recordHasContent = false;
        int i = 0;
        for (; i < sample.Length && records < MaxRecords; i++)
        {
            byte b = sample[i];
            if (b == (byte)'"')
            {
                inQuotes = !inQuotes;
                recordHasContent = true;
                continue;
            }

            if (inQuotes)
            {
                continue;
            }

            if (b is (byte)'\n' or (byte)'\r')
            {
                if (recordHasContent)
                {
                    EndRecord(first, current, consistent, ref records);
                }

                recordHasContent = false;
                continue;
            }

            recordHasContent = true;
            int index = Candidates.AsSpan().IndexOf(b);
            if (index >= 0)
            {
                current[index]++;
            }
        }

        // The last record counts when it is complete: the whole input is in the sample, or it ended with a line break.
        if (recordHasContent && !inQuotes && i == sample.Length && (!sampleMayBeCut || records == 0))
        {
            EndRecord(first, current, consistent, ref records);
        }

        int best = -1;
        for (int c = 0; c < Candidates.Length; c++)
        {
            if (records > 0 && consistent[c] && first[c] > 0 && (best < 0 || first[c] > first[best]))
            {
                best = c;
            }
        }

        bool isConsistent = best >= 0;
        if (best < 0)
        {
            // Nothing splits every record the same way: take what splits the first record most, else a comma.
            best = 0;
            for (int c = 1; c < Candidates.Length; c++)
            {
                if (first[c] > first[best])
                {
                    best = c;
                }
            }
        }

        const int Tab = 2;
        return new DelimiterGuess(
            (char)Candidates[best],
            isConsistent,
            first[best] + 1,
            records,
            records > 0 && consistent[Tab] && first[Tab] > 0,
            StartsStructured(sample));
    }

    private static void EndRecord(Span<int> first, Span<int> current, Span<bool> consistent, ref int records)
    {
        if (records == 0)
        {
            current.CopyTo(first);
        }
        else
        {
            for (int c = 0; c < current.Length; c++)
            {
                consistent[c] &= current[c] == first[c];
            }
        }

        current.Clear();
        records++;
    }

    private static bool StartsStructured(ReadOnlySpan<byte> sample)
    {
        foreach (byte b in sample)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b is (byte)'{' or (byte)'[' or (byte)'<';
        }

        return false;
    }
}
