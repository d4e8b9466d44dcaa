using System.Net;
using System.Net.Sockets;
using XSystem.Monitoring.Platform.Linux;
using static XSystem.Monitoring.Tests.System.TestSupport;

namespace XSystem.Monitoring.Tests.System;

public class NetConnectionParserTests
{
    private static List<NetworkConnectionInfo> Parse(string fixture, ProtocolType protocol, AddressFamily family)
    {
        var list = new List<NetworkConnectionInfo>();
        NetConnectionParser.Parse(Fixture(fixture), protocol, family, list);
        return list;
    }

    [Fact]
    public void Parse_Tcp6_DecodesIPv6AddressesPortsAndStates()
    {
        List<NetworkConnectionInfo> list = Parse("net_tcp6.txt", ProtocolType.Tcp, AddressFamily.InterNetworkV6);

        list.Count.ShouldBe(5);
        list[0].LocalEndPoint.ShouldBe(new IPEndPoint(IPAddress.IPv6Any, 8080));
        list[0].RemoteEndPoint.ShouldBeNull();
        list[0].State.ShouldBe(ConnectionState.Listen);
        list[0].Inode.ShouldBe(41001);
        list[1].LocalEndPoint.ShouldBe(new IPEndPoint(IPAddress.IPv6Loopback, 5432));
        list[1].RemoteEndPoint.ShouldBe(new IPEndPoint(IPAddress.IPv6Loopback, 51234));
        list[1].State.ShouldBe(ConnectionState.Established);
        list[2].LocalEndPoint.Address.ShouldBe(IPAddress.Parse("::ffff:127.0.0.1"));
        list[2].State.ShouldBe(ConnectionState.TimeWait);
        list[3].LocalEndPoint.ShouldBe(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 443));
        list[3].RemoteEndPoint.ShouldBe(new IPEndPoint(IPAddress.Parse("2001:db8:0:1::2a"), 55555));
        list[3].State.ShouldBe(ConnectionState.CloseWait);
        list[4].LocalEndPoint.Address.ShouldBe(IPAddress.Parse("fe80::1c2d:3eff:fe4f:5a6b"));
        list.ShouldAllBe(c => c.Family == AddressFamily.InterNetworkV6 && c.ProcessId == null);
    }

    [Fact]
    public void Parse_Tcp4_DecodesAndSkipsGarbage()
    {
        List<NetworkConnectionInfo> list = Parse("net_tcp_hand.txt", ProtocolType.Tcp, AddressFamily.InterNetwork);

        list.Count.ShouldBe(3);
        list[0].LocalEndPoint.ShouldBe(new IPEndPoint(IPAddress.Loopback, 8080));
        list[1].RemoteEndPoint.ShouldBe(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 61000));
        list[2].State.ShouldBe(ConnectionState.Closing);
    }

    [Fact]
    public void Parse_Udp6_StateIsNone()
    {
        List<NetworkConnectionInfo> list = Parse("net_udp6.txt", ProtocolType.Udp, AddressFamily.InterNetworkV6);

        list.Single().State.ShouldBe(ConnectionState.None);
        list.Single().LocalEndPoint.Port.ShouldBe(53);
        list.Single().Protocol.ShouldBe(ProtocolType.Udp);
    }

    [Fact]
    public void Parse_RealTcp_AllEntriesDecode()
    {
        string text = Fixture("real_net_tcp.txt");
        int lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;

        List<NetworkConnectionInfo> list = Parse("real_net_tcp.txt", ProtocolType.Tcp, AddressFamily.InterNetwork);

        list.Count.ShouldBe(lines);
    }

    [Theory]
    [InlineData("0100007F:GGGG", false)]
    [InlineData("0100007:1F90", false)]
    [InlineData("0100007F:1FFFF", false)]
    [InlineData("0100007F", false)]
    [InlineData("0100007F:1F90", true)]
    public void TryParseEndPoint_Fields_OnlyWellFormedParse(string field, bool expected)
    {
        NetConnectionParser.TryParseEndPoint(field, AddressFamily.InterNetwork, out _).ShouldBe(expected);
    }

    [Theory]
    [InlineData("socket:[12345]", 12345L)]
    [InlineData("pipe:[12345]", 0L)]
    [InlineData("/dev/null", 0L)]
    [InlineData("socket:[]", 0L)]
    public void TryParseSocketLink_Targets(string target, long expected)
    {
        bool parsed = NetConnectionParser.TryParseSocketLink(target, out long inode);

        parsed.ShouldBe(expected > 0);
        inode.ShouldBe(expected);
    }
}
