using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>Pure parser for /proc/net/tcp, tcp6, udp and udp6.</summary>
internal static class NetConnectionParser
{
    /// <summary>
    /// Parses one socket table. Addresses are hex words as the kernel printed them from memory (<c>0100007F:1F90</c> is
    /// 127.0.0.1:8080 on a little-endian machine), so each 32-bit word is written back in native byte order.
    /// Lines that do not parse are skipped. <c>ProcessId</c> is left null; the caller fills it from the inode map.
    /// </summary>
    /// <param name="text">The table's text.</param>
    /// <param name="protocol">TCP or UDP (UDP states are reported as <see cref="ConnectionState.None"/>).</param>
    /// <param name="family">IPv4 (8 hex digits) or IPv6 (32 hex digits).</param>
    /// <param name="into">Receives the sockets.</param>
    public static void Parse(ReadOnlySpan<char> text, ProtocolType protocol, AddressFamily family, List<NetworkConnectionInfo> into)
    {
        SpanText.TryReadLine(ref text, out _); // header
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            ReadOnlySpan<char> rest = line;
            SpanText.NextField(ref rest); // sl
            ReadOnlySpan<char> local = SpanText.NextField(ref rest);
            ReadOnlySpan<char> remote = SpanText.NextField(ref rest);
            ReadOnlySpan<char> state = SpanText.NextField(ref rest);
            SpanText.NextField(ref rest); // tx_queue:rx_queue
            SpanText.NextField(ref rest); // tr:tm->when
            SpanText.NextField(ref rest); // retrnsmt
            SpanText.NextField(ref rest); // uid
            SpanText.NextField(ref rest); // timeout
            ReadOnlySpan<char> inode = SpanText.NextField(ref rest);
            if (!TryParseEndPoint(local, family, out IPEndPoint? localEndPoint)
                || !TryParseEndPoint(remote, family, out IPEndPoint? remoteEndPoint)
                || !SpanText.TryHex(state, out ulong stateCode))
            {
                continue;
            }

            bool unconnected = remoteEndPoint.Port == 0 && (remoteEndPoint.Address.Equals(IPAddress.Any) || remoteEndPoint.Address.Equals(IPAddress.IPv6Any));
            into.Add(new NetworkConnectionInfo(
                protocol, family, localEndPoint, unconnected ? null : remoteEndPoint,
                protocol == ProtocolType.Tcp ? ToState(stateCode) : ConnectionState.None,
                SpanText.ToCounter(inode), ProcessId: null));
        }
    }

    /// <summary>Decodes <c>HEXADDR:HEXPORT</c>.</summary>
    public static bool TryParseEndPoint(ReadOnlySpan<char> field, AddressFamily family, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        int colon = field.IndexOf(':');
        int words = family == AddressFamily.InterNetworkV6 ? 4 : 1;
        if (colon != words * 8 || !SpanText.TryHex(field[(colon + 1)..], out ulong port) || port > ushort.MaxValue)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < words; i++)
        {
            if (!SpanText.TryHex(field.Slice(i * 8, 8), out ulong word))
            {
                return false;
            }

            uint native = (uint)word;
            MemoryMarshal.Write(bytes.Slice(i * 4, 4), in native);
        }

        endPoint = new IPEndPoint(new IPAddress(bytes[..(words * 4)]), (int)port);
        return true;
    }

    /// <summary>Maps the kernel's TCP state numbers (include/net/tcp_states.h) to <see cref="ConnectionState"/>.</summary>
    public static ConnectionState ToState(ulong code) => code switch
    {
        0x01 => ConnectionState.Established,
        0x02 => ConnectionState.SynSent,
        0x03 => ConnectionState.SynReceived,
        0x04 => ConnectionState.FinWait1,
        0x05 => ConnectionState.FinWait2,
        0x06 => ConnectionState.TimeWait,
        0x07 => ConnectionState.Close,
        0x08 => ConnectionState.CloseWait,
        0x09 => ConnectionState.LastAck,
        0x0A => ConnectionState.Listen,
        0x0B => ConnectionState.Closing,
        _ => ConnectionState.None,
    };

    /// <summary>Reads the inode out of a socket link target such as <c>socket:[12345]</c>; false for other targets.</summary>
    public static bool TryParseSocketLink(ReadOnlySpan<char> target, out long inode)
    {
        inode = 0;
        const string Prefix = "socket:[";
        if (!target.StartsWith(Prefix, StringComparison.Ordinal) || !target.EndsWith("]", StringComparison.Ordinal))
        {
            return false;
        }

        inode = SpanText.ToCounter(target[Prefix.Length..^1]);
        return inode > 0;
    }
}
