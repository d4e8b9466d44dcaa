using System.Buffers.Binary;

namespace XSystem.Serialization.Bson.Internal;

/// <summary>
/// BSON detection: an int32 length prefix that matches the content (or is plausible when the sample is cut),
/// a trailing 0x00, and a valid first element (known type byte, zero-terminated name).
/// </summary>
internal static class BsonProbe
{
    private const int MaxPlausibleLength = 16 * 1024 * 1024 * 8; // well above MongoDB's 16 MiB documents

    public static double Score(ReadOnlySpan<byte> sample)
    {
        if (sample.Length < 5)
        {
            return 0;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(sample);
        if (length < 5 || length > MaxPlausibleLength)
        {
            return 0;
        }

        bool whole = sample.Length >= length;
        if (whole && (sample.Length != length || sample[length - 1] != 0))
        {
            return 0;
        }

        if (!whole && sample.Length < Formats.DetectionSampleSize)
        {
            // Detection passes whole content when it is shorter than a sample: this content is shorter than its prefix says.
            return 0;
        }

        if (length == 5)
        {
            return 0.5; // the empty document
        }

        byte type = sample[4];
        if (!IsElementType(type))
        {
            return 0;
        }

        ReadOnlySpan<byte> rest = sample[5..];
        int nameEnd = rest.IndexOf((byte)0);
        if (nameEnd < 0 ? rest.Length < 256 : nameEnd > 1024)
        {
            return 0;
        }

        // Element names are text: reject control bytes.
        ReadOnlySpan<byte> name = nameEnd < 0 ? rest : rest[..nameEnd];
        foreach (byte b in name)
        {
            if (b < 0x20)
            {
                return 0;
            }
        }

        return whole ? 0.95 : 0.8;
    }

    private static bool IsElementType(byte type) => type is (>= 0x01 and <= 0x13) or 0x7F or 0xFF;
}
