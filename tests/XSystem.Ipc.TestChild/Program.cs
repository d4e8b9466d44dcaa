// Child process for XSystem.Ipc.Tests (queue crash tests and shared memory hammer tests). The first argument names the
// role; every role prints "ready" once it is set up, then one line per event, flushed at once so a parent that kills
// the process with SIGKILL knows exactly what was confirmed before the kill.
using System.Diagnostics;
using System.Globalization;
using XSystem.Ipc;
using XSystem.Ipc.TestChild;

var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
string role = args.Length > 0 ? args[0] : "(none)";
switch (role)
{
    case "fq-produce":
        {
            // fq-produce DIR FIRST_ID SEGMENT_SIZE: enqueue FIRST_ID, FIRST_ID+1, ... and print "c ID" after each Enqueue returns.
            using var queue = new FileMessageQueue<long>(args[1], QueueOptions(args[3]));
            long id = long.Parse(args[2], CultureInfo.InvariantCulture);
            stdout.WriteLine("ready");
            while (true)
            {
                queue.Enqueue(id);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"c {id}"));
                id++;
            }
        }

    case "fq-consume":
        {
            // fq-consume DIR SEGMENT_SIZE: print "r ID" when a message arrives and "a ID" once its Ack returned.
            using var queue = new FileMessageQueue<long>(args[1], QueueOptions(args[2]));
            stdout.WriteLine("ready");
            while (true)
            {
                FileQueueMessage<long> message = await queue.DequeueAsync();
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"r {message.Value}"));
                if (message.Ack())
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"a {message.Value}"));
                }
            }
        }

    case "shm-write":
        {
            // shm-write DIR NAME: write consistent values with growing sequence numbers until killed.
            var options = new SharedMemoryOptions { Directory = args[1] };
            using var manager = new SharedMemoryManager(options);
            SharedMemorySegment segment = manager.OpenOrCreate(args[2], 4096);
            stdout.WriteLine("ready");
            for (long i = 1; ; i++)
            {
                segment.Write(Sample.Make(i));
            }
        }

    case "shm-read":
        {
            // shm-read DIR NAME TARGET MAX_MS: after one warm-up read (so JIT and the MessagePack resolver are ready), read
            // until TARGET values decoded or MAX_MS passed; print "done OK BAD DISTINCT EMPTY".
            var options = new SharedMemoryOptions { Directory = args[1] };
            using SharedMemorySegment segment = SharedMemorySegment.Open(args[2], options);
            long target = long.Parse(args[3], CultureInfo.InvariantCulture);
            long limit = long.Parse(args[4], CultureInfo.InvariantCulture);
            while (!segment.TryRead(out Sample? _))
            {
                Thread.Sleep(1);
            }

            long ok = 0, bad = 0, distinct = 0, last = -1, empty = 0;
            stdout.WriteLine("ready");
            var watch = Stopwatch.StartNew();
            while (ok + bad < target && watch.ElapsedMilliseconds < limit)
            {
                if (!segment.TryRead(out Sample? sample) || sample is null)
                {
                    empty++;
                    continue;
                }

                if (sample.IsConsistent())
                {
                    ok++;
                }
                else
                {
                    bad++;
                }

                if (sample.Sequence != last)
                {
                    distinct++;
                    last = sample.Sequence;
                }
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {ok} {bad} {distinct} {empty}"));
            return 0;
        }

    default:
        Console.Error.WriteLine($"unknown role: {role}");
        return 2;
}

static FileMessageQueueOptions QueueOptions(string segmentSize) => new()
{
    SegmentSize = long.Parse(segmentSize, CultureInfo.InvariantCulture),
    LeaseTimeout = TimeSpan.FromMilliseconds(300),
    PollInterval = TimeSpan.FromMilliseconds(5),
};

namespace XSystem.Ipc.TestChild
{
    /// <summary>A value whose parts must agree: every item equals <see cref="Sequence"/>, and <see cref="Check"/> is their sum.</summary>
    public sealed class Sample
    {
        public long Sequence { get; set; }

        public long[] Items { get; set; } = [];

        public long Check { get; set; }

        public string Text { get; set; } = "";

        public static Sample Make(long sequence)
        {
            int count = (int)(sequence % 64) + 1;
            var items = new long[count];
            Array.Fill(items, sequence);
            return new Sample { Sequence = sequence, Items = items, Check = sequence * count, Text = new string((char)('a' + (sequence % 26)), count) };
        }

        public bool IsConsistent() =>
            Items.Length == (int)(Sequence % 64) + 1
            && Array.TrueForAll(Items, item => item == Sequence)
            && Check == Sequence * Items.Length
            && Text.Length == Items.Length
            && Text.All(c => c == (char)('a' + (Sequence % 26)));
    }
}
