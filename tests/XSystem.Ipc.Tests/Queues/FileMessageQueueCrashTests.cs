using System.Globalization;

namespace XSystem.Ipc.Tests.Queues;

/// <summary>
/// Crash safety with real processes: in every round a producer child and a consumer child share one queue directory
/// and are both killed with SIGKILL at random moments. Afterwards the test drains the queue itself and checks that
/// every id whose <c>Enqueue</c> returned was consumed at least once, and that no id whose <c>Ack</c> returned was
/// ever delivered again.
/// </summary>
public sealed class FileMessageQueueCrashTests : IDisposable
{
    private const string SegmentSize = "8192"; // small, so rollover and segment deletion happen during the kills
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public Task ProducerAndConsumer_KilledAtRandomPoints10Times_NoConfirmedMessageLost() => RunRoundsAsync(10, seed: 1);

    [Fact]
    [Trait("Category", "Soak")]
    public Task ProducerAndConsumer_KilledAtRandomPoints30Times_NoConfirmedMessageLost() => RunRoundsAsync(30, seed: 2);

    private async Task RunRoundsAsync(int rounds, int seed)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the children are killed like crashed Unix processes");
        var random = new Random(seed);
        var confirmed = new HashSet<long>();
        var delivered = new List<(int Round, long Id)>();
        var ackedInRound = new Dictionary<long, int>();

        for (int round = 0; round < rounds; round++)
        {
            long firstId = round * 1_000_000L;
            Task<TestChildProcess> starting = TestChildProcess.StartAsync(Ct, "fq-produce", _dir.Path, firstId.ToString(CultureInfo.InvariantCulture), SegmentSize);
            using TestChildProcess consumer = await TestChildProcess.StartAsync(Ct, "fq-consume", _dir.Path, SegmentSize);
            using TestChildProcess producer = await starting;
            TestChildProcess first = random.Next(2) == 0 ? producer : consumer;
            TestChildProcess second = first == producer ? consumer : producer;
            await Task.Delay(random.Next(30, 250), Ct); // real processes must run for a while; no fake clock applies
            await first.KillAsync(Ct);
            await Task.Delay(random.Next(0, 100), Ct);
            await second.KillAsync(Ct);

            foreach (string line in producer.Lines)
            {
                confirmed.Add(ParseId(line, 'c'));
            }

            foreach (string line in consumer.Lines)
            {
                long id = ParseId(line, line[0]);
                if (line[0] == 'r')
                {
                    delivered.Add((round, id));
                }
                else
                {
                    ackedInRound.TryAdd(id, round);
                }
            }
        }

        // Drain what is left; leases of killed consumers expire after 300 ms.
        var drained = new List<long>();
        using (var queue = new FileMessageQueue<long>(_dir.Path, new FileMessageQueueOptions { SegmentSize = 8192, LeaseTimeout = TimeSpan.FromMilliseconds(300), PollInterval = TimeSpan.FromMilliseconds(5) }))
        {
            DateTime quietUntil = DateTime.UtcNow.AddSeconds(1);
            while (DateTime.UtcNow < quietUntil)
            {
                if (queue.TryDequeue(out FileQueueMessage<long>? message))
                {
                    drained.Add(message.Value);
                    message.Ack().ShouldBeTrue();
                    quietUntil = DateTime.UtcNow.AddSeconds(1);
                }
                else
                {
                    await Task.Delay(20, Ct);
                }
            }

            queue.GetStats().Pending.ShouldBe(0);
        }

        confirmed.Count.ShouldBeGreaterThan(rounds, "the producers confirmed almost nothing; the test proves little");
        var consumed = new HashSet<long>(delivered.Select(d => d.Id).Concat(drained));
        long[] lost = [.. confirmed.Where(id => !consumed.Contains(id)).Order()];
        lost.ShouldBeEmpty($"{lost.Length} confirmed messages were never delivered");

        // A message acknowledged in round R (its Ack returned true) must never be delivered after round R.
        foreach ((int round, long id) in delivered)
        {
            if (ackedInRound.TryGetValue(id, out int ackRound))
            {
                round.ShouldBeLessThanOrEqualTo(ackRound, $"message {id} was acked in round {ackRound} and delivered again in round {round}");
            }
        }

        long[] redeliveredAfterAck = [.. drained.Where(ackedInRound.ContainsKey)];
        redeliveredAfterAck.ShouldBeEmpty("acknowledged messages came back in the final drain");
        drained.Count.ShouldBe(drained.Distinct().Count(), "the drain saw a message twice although it acknowledged each at once");
    }

    private static long ParseId(string line, char kind)
    {
        line[0].ShouldBe(kind);
        return long.Parse(line.AsSpan(2), CultureInfo.InvariantCulture);
    }
}
