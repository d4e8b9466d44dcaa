using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XSystem.Monitoring.Tests;

/// <summary>The /proc parsers on files captured with cat on a real machine and on hand-made odd cases.</summary>
public class ProcParsersTests
{
    private static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Processes", name));

    [Fact]
    public void TryParseStat_NameWithSpacesAndParentheses_TakesTextUpToLastParenthesis()
    {
        bool ok = ProcParsers.TryParseStat(Fixture("spaces-parens.stat"), out StatFields stat);

        ok.ShouldBeTrue();
        stat.Name.ShouldBe("x) (y z");
        stat.State.ShouldBe('S');
        stat.ParentPid.ShouldBe(7276);
        stat.ThreadCount.ShouldBe(1);
        stat.StartTicks.ShouldBe(1908006UL);
        stat.VirtualBytes.ShouldBe(2990080UL);
        stat.RssPages.ShouldBe(425);
    }

    [Fact]
    public void TryParseStat_Bash_ReadsTimesNiceAndStart()
    {
        bool ok = ProcParsers.TryParseStat(Fixture("bash.stat"), out StatFields stat);

        ok.ShouldBeTrue();
        stat.Name.ShouldBe("bash");
        stat.ParentPid.ShouldBe(326);
        stat.UserTicks.ShouldBe(6UL);
        stat.SystemTicks.ShouldBe(5UL);
        stat.ChildrenUserTicks.ShouldBe(4908UL);
        stat.ChildrenSystemTicks.ShouldBe(341UL);
        stat.Nice.ShouldBe(0);
        stat.StartTicks.ShouldBe(1871849UL);
    }

    [Fact]
    public void TryParseStat_KernelThread_ParsesWithParentZero()
    {
        bool ok = ProcParsers.TryParseStat(Fixture("kthread.stat"), out StatFields stat);

        ok.ShouldBeTrue();
        stat.Name.ShouldBe("kthreadd");
        stat.ParentPid.ShouldBe(0);
        stat.VirtualBytes.ShouldBe(0UL);
        ProcParsers.ParseCmdline(Fixture("kthread.cmdline")).ShouldBeEmpty();
    }

    [Fact]
    public void TryParseStat_Zombie_StatusZombieAndEmptyMemory()
    {
        bool ok = ProcParsers.TryParseStat(Fixture("zombie.stat"), out StatFields stat);
        bool statmOk = ProcParsers.TryParseStatm(Fixture("zombie.statm"), out StatmFields statm);

        ok.ShouldBeTrue();
        ProcParsers.StatusOf(stat.State).ShouldBe(ProcessStatus.Zombie);
        statmOk.ShouldBeTrue();
        statm.ResidentPages.ShouldBe(0);
        ProcParsers.ParseCmdline(Fixture("zombie.cmdline")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("handmade-truncated.stat")]
    [InlineData("zombie.cmdline")]
    public void TryParseStat_TruncatedOrEmpty_ReturnsFalse(string fixture)
    {
        ProcParsers.TryParseStat(Fixture(fixture), out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("1 (a) S 0")]
    [InlineData("no parentheses at all")]
    [InlineData("5 (x) S abc 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0")]
    [InlineData(") (")]
    public void TryParseStat_Garbage_ReturnsFalse(string text)
    {
        ProcParsers.TryParseStat(Encoding.ASCII.GetBytes(text), out _).ShouldBeFalse();
    }

    [Fact]
    public void TryParseStatm_Bash_ReadsPages()
    {
        bool ok = ProcParsers.TryParseStatm(Fixture("bash.statm"), out StatmFields statm);

        ok.ShouldBeTrue();
        statm.ShouldBe(new StatmFields(1331, 1097, 773, 193, 350));
        // The same capture's status says VmRSS 4388 kB = 1097 pages of 4 KiB.
        (statm.ResidentPages * 4).ShouldBe(4388);
    }

    [Fact]
    public void TryParseStatusUid_Bash_ReadsRealUid()
    {
        ProcParsers.TryParseStatusUid(Fixture("bash.status"), out int uid).ShouldBeTrue();
        uid.ShouldBe(0);
        ProcParsers.TryParseStatusUid("Name:\tx\nState:\tS\n"u8, out _).ShouldBeFalse();
        ProcParsers.TryParseStatusUid("Uid:\t1000\t1001\t1002\t1003\n"u8, out int other).ShouldBeTrue();
        other.ShouldBe(1000);
    }

    [Fact]
    public void ParseCmdline_NulSeparated_SplitsArguments()
    {
        ProcParsers.ParseCmdline(Fixture("bash.cmdline")).ShouldBe(["bash", "/dev/fd/3"]);
        IReadOnlyList<string> spaced = ProcParsers.ParseCmdline(Fixture("spaces-parens.cmdline"));
        spaced.Count.ShouldBe(2);
        spaced[0].ShouldEndWith("/x) (y z");
        spaced[1].ShouldBe("30");
    }

    [Fact]
    public void ParseCmdline_TitleRewrittenWithSpaces_SplitsOnSpaces()
    {
        IReadOnlyList<string> args = ProcParsers.ParseCmdline(Fixture("handmade-setproctitle.cmdline"));

        args[0].ShouldBe("nginx:");
        args[1].ShouldBe("worker");
        args[2].ShouldBe("process");
    }

    [Fact]
    public void ParseCmdline_TitlePaddedWithNuls_DropsEmptyTail()
    {
        ProcParsers.ParseCmdline(Fixture("handmade-padded.cmdline")).ShouldBe(["postgres: writer"]);
    }

    [Fact]
    public void ParseCmdline_EmptyArgumentInMiddle_Kept()
    {
        ProcParsers.ParseCmdline("a\0\0b\0"u8).ShouldBe(["a", "", "b"]);
    }

    [Fact]
    public void ParseSmapsRollup_Bash_UssIsPrivateCleanPlusDirty()
    {
        (long Uss, long Pss, long Swap)? footprint = ProcParsers.ParseSmapsRollup(Fixture("bash.smaps_rollup"));

        footprint.ShouldNotBeNull();
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Processes", "bash.smaps_rollup"));
        long Kb(string key) => long.Parse(text.Split('\n').First(l => l.StartsWith(key + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], global::System.Globalization.CultureInfo.InvariantCulture);
        footprint.Value.Pss.ShouldBe(Kb("Pss") * 1024);
        footprint.Value.Uss.ShouldBe((Kb("Private_Clean") + Kb("Private_Dirty")) * 1024);
        footprint.Value.Swap.ShouldBe(Kb("Swap") * 1024);
    }

    [Theory]
    [InlineData("handmade-old-kernel.smaps_rollup")]
    [InlineData("zombie.cmdline")]
    public void ParseSmapsRollup_MissingFieldsOrEmpty_ReturnsNull(string fixture)
    {
        ProcParsers.ParseSmapsRollup(Fixture(fixture)).ShouldBeNull();
    }

    [Fact]
    public void ParseIo_KernelThreadAndProcess_ReadsCounters()
    {
        ProcessIoCounters? kernel = ProcParsers.ParseIo(Fixture("kthread.io"));
        ProcessIoCounters? bash = ProcParsers.ParseIo(Fixture("bash.io"));

        kernel.ShouldBe(new ProcessIoCounters(0, 0, 0, 0, 0, 0));
        bash.ShouldNotBeNull();
        ProcParsers.ParseIo("rchar: 1\n"u8).ShouldBeNull();
    }

    [Fact]
    public void TryParseBootTime_ProcStat_ReadsBtime()
    {
        ProcParsers.TryParseBootTime(Fixture("proc-stat"), out long btime).ShouldBeTrue();
        btime.ShouldBe(1795693957);
    }

    // The per-process socket tables (/proc/<pid>/net/*) have the system tables' layout and go through the same parser.
    private static List<NetworkConnectionInfo> Sockets(string fixture, ProtocolType protocol, AddressFamily family)
    {
        var list = new List<NetworkConnectionInfo>();
        XSystem.Monitoring.Platform.Linux.NetConnectionParser.Parse(global::System.Text.Encoding.ASCII.GetString(Fixture(fixture)), protocol, family, list);
        return list;
    }

    [Fact]
    public void SocketTable_Tcp4_ReadsListenSocket()
    {
        NetworkConnectionInfo listen = Sockets("net-tcp", ProtocolType.Tcp, AddressFamily.InterNetwork).Single(s => s.Inode == 1190);
        listen.LocalEndPoint.ShouldBe(new IPEndPoint(IPAddress.Any, 2024));
        listen.RemoteEndPoint.ShouldBeNull();
        listen.State.ShouldBe(ConnectionState.Listen);
    }

    [Fact]
    public void SocketTable_Tcp6_ReadsLoopbackAndMappedAddresses()
    {
        List<NetworkConnectionInfo> sockets = Sockets("handmade-net-tcp6", ProtocolType.Tcp, AddressFamily.InterNetworkV6);

        sockets.Count.ShouldBe(2);
        sockets[0].LocalEndPoint.ShouldBe(new IPEndPoint(IPAddress.IPv6Loopback, 8080));
        sockets[0].State.ShouldBe(ConnectionState.Listen);
        sockets[1].LocalEndPoint.ShouldBe(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 8080));
        sockets[1].RemoteEndPoint.ShouldBe(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 45000));
        sockets[1].State.ShouldBe(ConnectionState.Established);
    }

    [Fact]
    public void SocketTable_UdpHeaderOnly_ReturnsEmpty()
    {
        Sockets("net-udp", ProtocolType.Udp, AddressFamily.InterNetwork).ShouldBeEmpty();
    }

    [Theory]
    [InlineData('R', ProcessStatus.Running)]
    [InlineData('S', ProcessStatus.Sleeping)]
    [InlineData('D', ProcessStatus.DiskSleep)]
    [InlineData('T', ProcessStatus.Stopped)]
    [InlineData('t', ProcessStatus.TracingStop)]
    [InlineData('Z', ProcessStatus.Zombie)]
    [InlineData('X', ProcessStatus.Dead)]
    [InlineData('I', ProcessStatus.Idle)]
    [InlineData('?', ProcessStatus.Unknown)]
    public void StatusOf_StateLetter_MapsToEnum(char letter, ProcessStatus expected)
    {
        ProcParsers.StatusOf(letter).ShouldBe(expected);
    }

    [Fact]
    public void FullName_FifteenByteComm_CompletedFromFirstArgument()
    {
        ProcessReader.FullName("systemd-journal", ["/usr/lib/systemd/systemd-journald"]).ShouldBe("systemd-journald");
        ProcessReader.FullName("systemd-journal", ["other"]).ShouldBe("systemd-journal");
        ProcessReader.FullName("bash", ["/bin/bash-extended"]).ShouldBe("bash");
    }

    [Fact]
    public void UserNamesParse_PasswdLines_MapsUidToName()
    {
        Dictionary<int, string> names = UserNames.Parse("root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/bin/false\nbroken\n#c:x:zz:\n");

        names[0].ShouldBe("root");
        names[65534].ShouldBe("nobody");
        names.Count.ShouldBe(2);
    }
}
