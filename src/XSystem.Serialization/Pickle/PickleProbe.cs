namespace XSystem.Serialization.Internal;

/// <summary>Scores a sample as a pickle: the protocol 2-5 header is a strong signal; protocol 0/1 openings are weak ones.</summary>
internal static class PickleProbe
{
    public static double Score(ReadOnlySpan<byte> sample)
    {
        if (sample.Length < 2)
        {
            return 0;
        }

        if (sample[0] == 0x80)
        {
            byte protocol = sample[1];
            if (protocol is < 2 or > 5)
            {
                return 0;
            }

            if (sample.Length == 2)
            {
                return 0.5;
            }

            return IsPlausibleFirst(sample[2], protocol) ? 0.95 : 0.1;
        }

        // Protocol 0 (text) opens a container and memoizes it: "(dp0\n", "(lp0\n"; protocol 1 memoizes in binary: "}q\0", "]q\0".
        if (sample.StartsWith("(dp0\n"u8) || sample.StartsWith("(lp0\n"u8) || sample.StartsWith("(dp1\n"u8) || sample.StartsWith("(lp1\n"u8))
        {
            return 0.35;
        }

        if (sample.Length >= 4 && sample[0] is (byte)'}' or (byte)']' && sample[1] == (byte)'q' && sample[2] == 0 && (sample[3] == (byte)'(' || sample[3] == (byte)'.'))
        {
            return 0.35;
        }

        return 0;
    }

    private static bool IsPlausibleFirst(byte opcode, byte protocol) => opcode switch
    {
        0x95 => protocol >= 4, // FRAME
        (byte)'}' or (byte)']' or (byte)')' or (byte)'(' or (byte)'N' or (byte)'K' or (byte)'J' or (byte)'M' or (byte)'G' or (byte)'c'
            or (byte)'X' or (byte)'U' or (byte)'T' or 0x88 or 0x89 or 0x8A or 0x8B => true,
        (byte)'C' or (byte)'B' => protocol >= 3,
        0x8C or 0x8D or 0x8E or 0x8F or 0x91 => protocol >= 4,
        0x96 => protocol >= 5,
        _ => false,
    };
}
