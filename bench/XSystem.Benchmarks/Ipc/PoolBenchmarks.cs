using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using XSystem.Ipc;

namespace XSystem.Benchmarks.Ipc;

/// <summary>
/// ProcessPool with 2 real worker processes (tests/XSystem.Ipc.TestWorker, role "pool") running a trivial handler
/// (square an int). RoundTrip: one task at a time (latency). Batch: 10,000 tasks submitted at once, awaited together
/// (throughput, tasks/s = 1 / mean). The MessagePipe round trip to an in-process peer is the baseline of the latency group.
/// The worker dll is located by path (the bench does not reference the worker project, to keep BenchmarkDotNet's
/// generated project simple): build it first with
/// <c>dotnet build tests/XSystem.Ipc.TestWorker -c Release</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet disposes through GlobalCleanup.")]
public class PoolBenchmarks
{
    private const int Batch = 10_000;
    private ProcessPool? _pool;
    private MessagePipeServer? _server;
    private MessagePipe? _client;
    private MessagePipe? _peer;
    private Task? _peerLoop;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ProcessPoolOptions { WorkerFileName = DotnetHost(), WorkerCount = 2, MaxInFlightPerWorker = 256 };
        options.WorkerArguments.Add(WorkerDll());
        options.WorkerArguments.Add("pool");
        _pool = ProcessPool.StartAsync(options).GetAwaiter().GetResult();

        string name = "xsb-pool-" + Environment.ProcessId;
        _server = MessagePipe.CreateServer(name);
        Task<MessagePipe> accept = _server.AcceptAsync().AsTask();
        _client = MessagePipe.Connect(name);
        _peer = accept.GetAwaiter().GetResult();
        _peerLoop = Task.Run(async () =>
        {
            try
            {
                await foreach (int value in _peer.ReadAllAsync<int>().ConfigureAwait(false))
                {
                    await _peer.SendAsync((long)value * value).ConfigureAwait(false);
                }
            }
            catch (IOException)
            {
            }
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client?.Dispose();
        _peerLoop?.Wait(5000);
        _peer?.Dispose();
        _server?.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("RoundTrip")]
    public async Task<long> MessagePipe_InProcessPeer_RoundTrip()
    {
        await _client!.SendAsync(7).ConfigureAwait(false);
        return await _client.ReceiveAsync<long>().ConfigureAwait(false);
    }

    [Benchmark, BenchmarkCategory("RoundTrip")]
    public Task<long> ProcessPool_RoundTrip() => _pool!.SubmitAsync<int, long>("square", 7);

    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Batch10000")]
    public async Task<long> ProcessPool_Batch()
    {
        var tasks = new Task<long>[Batch];
        for (int i = 0; i < Batch; i++)
        {
            tasks[i] = _pool!.SubmitAsync<int, long>("square", i);
        }

        long[] results = await Task.WhenAll(tasks).ConfigureAwait(false);
        return results[^1];
    }

    private static string WorkerDll()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "XSystem.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        if (dir is null)
        {
            throw new FileNotFoundException("The repository root (XSystem.slnx) was not found above " + AppContext.BaseDirectory);
        }

        foreach (string configuration in new[] { "Release", "Debug" })
        {
            string dll = Path.Combine(dir, "tests", "XSystem.Ipc.TestWorker", "bin", configuration, "net10.0", "XSystem.Ipc.TestWorker.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new FileNotFoundException("Build the worker first: dotnet build tests/XSystem.Ipc.TestWorker -c Release");
    }

    private static string DotnetHost()
    {
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
