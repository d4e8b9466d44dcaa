using System.Buffers.Binary;
using System.Text;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>
/// Pure parser for glibc utmp records (/var/run/utmp) on 64-bit Linux: 384-byte records of ut_type (int16, padded to 4),
/// ut_pid (int32), ut_line[32], ut_id[4], ut_user[32], ut_host[256], ut_exit (2 x int16), ut_session (int32),
/// ut_tv (2 x int32), ut_addr_v6 (4 x int32) and 20 unused bytes. Only USER_PROCESS (7) records are sessions.
/// </summary>
internal static class UtmpParser
{
    /// <summary>Size of one record.</summary>
    public const int RecordSize = 384;

    /// <summary>ut_type of a logged-in user.</summary>
    public const short UserProcess = 7;

    private const int PidOffset = 4;
    private const int LineOffset = 8;
    private const int UserOffset = 44;
    private const int HostOffset = 76;
    private const int TimeOffset = 340;

    /// <summary>Parses every whole record; a trailing partial record is ignored. Little-endian, as on every 64-bit Linux XSystem runs on.</summary>
    public static List<UserSession> Parse(ReadOnlySpan<byte> data)
    {
        var result = new List<UserSession>();
        for (int offset = 0; offset + RecordSize <= data.Length; offset += RecordSize)
        {
            ReadOnlySpan<byte> r = data.Slice(offset, RecordSize);
            short type = BinaryPrimitives.ReadInt16LittleEndian(r);
            if (type != UserProcess)
            {
                continue;
            }

            string user = CString(r.Slice(UserOffset, 32));
            if (user.Length == 0)
            {
                continue;
            }

            int pid = BinaryPrimitives.ReadInt32LittleEndian(r[PidOffset..]);
            int seconds = BinaryPrimitives.ReadInt32LittleEndian(r[TimeOffset..]);
            int micros = BinaryPrimitives.ReadInt32LittleEndian(r[(TimeOffset + 4)..]);
            DateTimeOffset started = DateTimeOffset.FromUnixTimeSeconds((uint)seconds).AddTicks(Math.Clamp(micros, 0, 999_999) * 10L);
            result.Add(new UserSession(user, CString(r.Slice(LineOffset, 32)), CString(r.Slice(HostOffset, 256)), started, pid));
        }

        return result;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}
