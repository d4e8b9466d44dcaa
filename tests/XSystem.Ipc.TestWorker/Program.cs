// Entry point of the worker child process started by XSystem.Ipc.Tests (and by the IPC benchmarks).
// The first argument names the role to play; ProcessPool workers receive "pool" followed by the pool's pipe arguments.
using System.Buffers.Binary;
using System.IO.Pipes;
using XSystem.Ipc;
using XSystem.Ipc.TestWorker;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: XSystem.Ipc.TestWorker ROLE [ARGS]");
    return 2;
}

switch (args[0])
{
    case "pool":
        return await ProcessPoolWorker.RunAsync(args, PoolHandlers.All());
    case "pool-garbage-hello":
        return await RawPool.WriteGarbageInsteadOfHelloAsync(args);
    case "pool-garbage-reply":
        return await RawPool.AnswerWithGarbageAsync(args);
    case "pipe-echo":
        return await PipeRoles.EchoAsync(args[1]);
    case "pipe-raw":
        return await PipeRoles.WriteRawAsync(args[1], Convert.FromHexString(args[2]));
    case "manager-host":
        return await ManagerRoles.HostAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    default:
        Console.Error.WriteLine($"unknown role: {args[0]}");
        return 2;
}

namespace XSystem.Ipc.TestWorker
{
    internal static class PoolHandlers
    {
        public static ProcessPoolHandler[] All() =>
        [
            ProcessPoolWorker.Handle<int, long>("square", (x, _) => ValueTask.FromResult((long)x * x)),
            ProcessPoolWorker.Handle<string, string>("echo", (s, _) => ValueTask.FromResult(s)),
            ProcessPoolWorker.Handle<int, int>("pid", (_, _) => ValueTask.FromResult(Environment.ProcessId)),
            ProcessPoolWorker.Handle<int, int>("sleep", async (ms, ct) =>
            {
                await Task.Delay(ms, ct);
                return ms;
            }),
            ProcessPoolWorker.Handle<string, int>("throw", (message, _) => throw new InvalidOperationException(message)),
            ProcessPoolWorker.Handle<string, int>("failfast", (message, _) =>
            {
                Environment.FailFast(message);
                return ValueTask.FromResult(0);
            }),
            ProcessPoolWorker.Handle<int, int>("alloc", (_, _) =>
            {
                var hog = new List<byte[]>();
                while (true)
                {
                    hog.Add(new byte[1024 * 1024]);
                    hog[^1][0] = 1;
                }
            }),
            ProcessPoolWorker.Handle<int, long>("hold", (mb, _) =>
            {
                // Keeps mb MiB alive for the rest of the process: drives the RSS-based recycling test.
                byte[] block = new byte[mb * 1024 * 1024];
                Array.Fill(block, (byte)7);
                Held.Add(block);
                return ValueTask.FromResult((long)Held.Count);
            }),
            ProcessPoolWorker.Handle<string, string>("log", (s, _) =>
            {
                Console.WriteLine("worker log: " + s); // standard output is free: frames use their own pipe
                return ValueTask.FromResult(s.ToUpperInvariant());
            }),
        ];

        private static readonly List<byte[]> Held = [];
    }

    /// <summary>Fake pool workers that break the frame protocol on purpose.</summary>
    internal static class RawPool
    {
        public static async Task<int> WriteGarbageInsteadOfHelloAsync(string[] args)
        {
            await using NamedPipeClientStream pipe = await ConnectAsync(args);
            await pipe.WriteAsync("this is console output, not a frame\n"u8.ToArray());
            await pipe.FlushAsync();
            await Task.Delay(Timeout.Infinite);
            return 0;
        }

        public static async Task<int> AnswerWithGarbageAsync(string[] args)
        {
            await using NamedPipeClientStream pipe = await ConnectAsync(args);
            // A correct hello frame: length 14, kind 1 (hello), 8-byte pid, magic "XSPW1".
            byte[] hello = new byte[4 + 14];
            BinaryPrimitives.WriteInt32LittleEndian(hello, 14);
            hello[4] = 1;
            BinaryPrimitives.WriteInt64LittleEndian(hello.AsSpan(5), Environment.ProcessId);
            "XSPW1"u8.CopyTo(hello.AsSpan(13));
            await pipe.WriteAsync(hello);
            await pipe.FlushAsync();
            byte[] buffer = new byte[4096];
            if (await pipe.ReadAsync(buffer) > 0)
            {
                await pipe.WriteAsync("Hello from a worker that prints to its frame channel!\n"u8.ToArray());
                await pipe.FlushAsync();
            }

            await Task.Delay(Timeout.Infinite);
            return 0;
        }

        private static async Task<NamedPipeClientStream> ConnectAsync(string[] args)
        {
            int at = Array.IndexOf(args, "--xsystem-pool-pipe");
            var pipe = new NamedPipeClientStream(".", args[at + 1], PipeDirection.InOut, PipeOptions.Asynchronous);
            await pipe.ConnectAsync(10_000);
            return pipe;
        }
    }

    internal static class PipeRoles
    {
        /// <summary>Echoes every string message back, uppercased, until the server closes the pipe.</summary>
        public static async Task<int> EchoAsync(string name)
        {
            await using MessagePipe pipe = await MessagePipe.ConnectAsync(name);
            await foreach (string message in pipe.ReadAllAsync<string>())
            {
                await pipe.SendAsync(message.ToUpperInvariant());
            }

            return 0;
        }

        /// <summary>Connects without the frame protocol and writes the given bytes, then waits for the server to hang up.</summary>
        public static async Task<int> WriteRawAsync(string name, byte[] bytes)
        {
            await using var pipe = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous);
            await pipe.ConnectAsync(10_000);
            await pipe.WriteAsync(bytes);
            await pipe.FlushAsync();
            byte[] buffer = new byte[16];
            while (await pipe.ReadAsync(buffer) > 0)
            {
            }

            return 0;
        }
    }
}

namespace XSystem.Ipc.TestWorker
{
    internal static class ManagerRoles
    {
        /// <summary>Hosts a ProcessManager with <paramref name="children"/> long sleepers, prints their pids and waits to be killed.</summary>
        public static async Task<int> HostAsync(int children)
        {
            await using var manager = new ProcessManager();
            for (int i = 0; i < children; i++)
            {
                manager.Start("sleeper" + i, new ProcessSpec("/bin/sh", "-c", "sleep 60 & wait"));
            }

            Console.WriteLine("pids: " + string.Join(' ', manager.List().Select(p => p.ProcessId)));
            Console.Out.Flush();
            await Task.Delay(Timeout.Infinite);
            return 0;
        }
    }
}
