using XSystem.Caching.Redis.Internal;

namespace XSystem.Caching.Redis.Tests.Internal;

public sealed class SingleFlightTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_ConcurrentCallersSameKey_WorkRunsOnce()
    {
        var flight = new SingleFlight<int>();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int runs = 0;

        ValueTask<int>[] calls = Enumerable.Range(0, 10)
            .Select(_ => flight.RunAsync("k", (_, gate, _) => { Interlocked.Increment(ref runs); return gate.Task; }, release, Token))
            .ToArray();
        release.SetResult(7);
        int[] results = await Task.WhenAll(calls.Select(c => c.AsTask()));

        runs.ShouldBe(1);
        results.ShouldAllBe(r => r == 7);
    }

    [Fact]
    public async Task RunAsync_StarterCancels_WaiterRunsTheWorkItself()
    {
        var flight = new SingleFlight<string>();
        using var starterCancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<string> starter = flight.RunAsync("k", async (_, _, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }, 0, starterCancel.Token).AsTask();
        await started.Task;

        Task<string> waiter = flight.RunAsync("k", (_, _, _) => Task.FromResult("waiter's own"), 0, Token).AsTask();
        await starterCancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => starter);
        (await waiter).ShouldBe("waiter's own");
    }

    [Fact]
    public async Task RunAsync_WorkThrows_NextCallRunsAgain()
    {
        var flight = new SingleFlight<int>();

        await Should.ThrowAsync<InvalidOperationException>(async () =>
            await flight.RunAsync<int>("k", (_, _, _) => throw new InvalidOperationException("boom"), 0, Token));
        int second = await flight.RunAsync("k", (_, _, _) => Task.FromResult(2), 0, Token);

        second.ShouldBe(2);
    }
}
