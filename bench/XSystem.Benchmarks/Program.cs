using BenchmarkDotNet.Running;

if (args is ["cache-hitrate", ..])
{
    XSystem.Benchmarks.Caching.CacheHitRateReport.Run();
    return;
}

if (args is ["interleaved", .. var names])
{
    XSystem.Benchmarks.Interleaved.InterleavedRunner.Run(names);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
