using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console.Testing;
using XSystem.Cli.Doctor;
using XSystem.Ipc;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys queue stats</c> and <c>xsys queue peek</c> against real file queues.</summary>
public sealed class IpcQueueCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xsystem-cli-queue-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Run(int ExitCode, string Console);

    private static async Task<Run> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(200);
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => output, error, outputIsTerminal: false);
        int exit = await XsysApp.RunAsync(args, console, streams, TestContext.Current.CancellationToken);
        return new Run(exit, console.Output);
    }

    public sealed class Job
    {
        public int Id { get; set; }

        public string Name { get; set; } = "";
    }

    private void Fill(int count, int consumeAndAck = 0, int consumeOnly = 0)
    {
        using var queue = new FileMessageQueue<Job>(_dir);
        for (int i = 1; i <= count; i++)
        {
            queue.Enqueue(new Job { Id = i, Name = $"job{i}" });
        }

        for (int i = 0; i < consumeAndAck; i++)
        {
            queue.TryDequeue(out FileQueueMessage<Job>? message).ShouldBeTrue();
            message!.Ack();
        }

        for (int i = 0; i < consumeOnly; i++)
        {
            queue.TryDequeue(out _).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task Stats_Json_CountsPendingInFlightAndSegments()
    {
        Fill(5, consumeAndAck: 1, consumeOnly: 1);

        Run run = await RunAsync("queue", "stats", _dir, "--json");

        run.ExitCode.ShouldBe(0);
        JsonNode stats = JsonNode.Parse(run.Console)!;
        stats["pending"]!.GetValue<long>().ShouldBe(4);
        stats["inFlight"]!.GetValue<long>().ShouldBe(1);
        stats["segments"]!.GetValue<int>().ShouldBe(1);
        stats["bytes"]!.GetValue<long>().ShouldBeGreaterThan(16);
        stats["corruptRecords"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task Stats_Table_ShowsTheNumbers()
    {
        Fill(3);

        Run run = await RunAsync("queue", "stats", _dir);

        run.ExitCode.ShouldBe(0);
        run.Console.ShouldContain("pending");
        run.Console.ShouldContain("segments");
        run.Console.ShouldContain("3");
    }

    [Fact]
    public async Task Peek_Count_PrintsDecodedRecordsAndConsumesNothing()
    {
        Fill(4, consumeAndAck: 1);

        Run run = await RunAsync("queue", "peek", _dir, "--count", "2");

        run.ExitCode.ShouldBe(0);
        JsonNode[] lines = [.. run.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
        lines.Length.ShouldBe(2);
        lines[0]["value"]!["Id"]!.GetValue<int>().ShouldBe(2);
        lines[0]["value"]!["Name"]!.GetValue<string>().ShouldBe("job2");
        lines[1]["value"]!["Id"]!.GetValue<int>().ShouldBe(3);
        lines[0]["inFlight"]!.GetValue<bool>().ShouldBeFalse();
        FileMessageQueue.GetStats(_dir).Pending.ShouldBe(3);
    }

    [Fact]
    public async Task Peek_RecordThatIsNotMessagePack_PrintsHex()
    {
        Fill(1);
        string segment = Directory.GetFiles(_dir, "*.seg").Single();
        byte[] garbage = [0xC1]; // 0xC1 is "never used" in MessagePack
        byte[] frame = new byte[8 + garbage.Length];
        BitConverter.TryWriteBytes(frame.AsSpan(0, 4), garbage.Length).ShouldBeTrue();
        BitConverter.TryWriteBytes(frame.AsSpan(4, 4), Crc32CForTest(garbage)).ShouldBeTrue();
        garbage.CopyTo(frame, 8);
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(frame);
        }

        Run run = await RunAsync("queue", "peek", _dir);

        run.ExitCode.ShouldBe(0);
        string[] lines = run.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        JsonNode.Parse(lines[1])!["hex"]!.GetValue<string>().ShouldBe("c1");
    }

    [Fact]
    public async Task Peek_EmptyQueue_SaysSo()
    {
        Fill(0);

        Run run = await RunAsync("queue", "peek", _dir);

        run.ExitCode.ShouldBe(0);
        run.Console.ShouldContain("no unacknowledged messages");
    }

    [Fact]
    public async Task Stats_MissingDirectory_FailsWithClearError()
    {
        Run run = await RunAsync("queue", "stats", Path.Combine(_dir, "nope"));

        run.ExitCode.ShouldBe(1);
        run.Console.ShouldContain("does not exist");
    }

    [Fact]
    public async Task Peek_ZeroCount_IsAUsageError()
    {
        Run run = await RunAsync("queue", "peek", _dir, "--count", "0");

        run.ExitCode.ShouldBe(2);
        run.Console.ShouldContain("--count");
    }

    private static uint Crc32CForTest(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
