using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace XSystem.Ipc;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as used by iSCSI, ext4 and many log formats. Uses the SSE4.2
/// or ARMv8 CRC32C instructions when present and a slicing table otherwise. Check value for "123456789": 0xE3069283.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC-32C over more data; <c>Append(Append(0, a), b) == Compute(a + b)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        if (Sse42.X64.IsSupported)
        {
            ulong wide = state;
            while (data.Length >= 8)
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            state = (uint)wide;
        }
        else if (Sse42.IsSupported)
        {
            while (data.Length >= 4)
            {
                state = Sse42.Crc32(state, BinaryPrimitives.ReadUInt32LittleEndian(data));
                data = data[4..];
            }
        }
        else if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= 8)
            {
                state = Crc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
        }
        else if (Crc32.IsSupported)
        {
            while (data.Length >= 4)
            {
                state = Crc32.ComputeCrc32C(state, BinaryPrimitives.ReadUInt32LittleEndian(data));
                data = data[4..];
            }
        }

        return ~Software(state, data);
    }

    /// <summary>The table-driven path alone (tests compare it with the hardware path).</summary>
    internal static uint ComputeSoftware(ReadOnlySpan<byte> data) => ~Software(~0u, data);

    private static uint Software(uint state, ReadOnlySpan<byte> data)
    {
        ref uint table = ref MemoryMarshal.GetArrayDataReference(Table);
        foreach (byte b in data)
        {
            state = (state >> 8) ^ System.Runtime.CompilerServices.Unsafe.Add(ref table, (int)((state ^ b) & 0xFF));
        }

        return state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint value = i;
            for (int bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (value >> 1) ^ Polynomial : value >> 1;
            }

            table[i] = value;
        }

        return table;
    }
}
