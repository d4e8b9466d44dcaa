using Spectre.Console.Testing;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys cache-bench</c> with a test console and a small trace.</summary>
public class CachingCommandTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(200);
        int exit = await XsysApp.RunAsync(args, console, TestContext.Current.CancellationToken);
        return (exit, console.Output);
    }

    [Fact]
    public async Task CacheBench_Defaults_PrintsEveryPolicyAndBelady()
    {
        var (exit, output) = await RunAsync("cache-bench", "--requests", "20000", "--keys", "2000", "--size", "100");

        exit.ShouldBe(0);
        output.ShouldContain("LruCache");
        output.ShouldContain("LfuCache");
        output.ShouldContain("TtlCache");
        output.ShouldContain("Belady (optimum)");
        output.ShouldContain("Ops/s (1 thread)");
    }

    [Fact]
    public async Task CacheBench_OnePolicyTwoThreads_PrintsOnlyThatPolicy()
    {
        var (exit, output) = await RunAsync("cache-bench", "--policy", "lfu", "--threads", "2", "--requests", "20000", "--keys", "2000", "--size", "100");

        exit.ShouldBe(0);
        output.ShouldContain("LfuCache");
        output.ShouldNotContain("LruCache");
        output.ShouldContain("Ops/s (2 threads)");
    }

    [Theory]
    [InlineData("--policy", "arc")]
    [InlineData("--threads", "0")]
    [InlineData("--size", "-5")]
    public async Task CacheBench_BadOption_ExitsWithUsageError(string option, string value)
    {
        var (exit, output) = await RunAsync("cache-bench", option, value);

        exit.ShouldBe(2);
        output.ShouldContain("Error");
    }
}
