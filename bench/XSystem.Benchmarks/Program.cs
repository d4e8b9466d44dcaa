using BenchmarkDotNet.Running;

if (args is ["cache-hitrate", ..])
{
    XSystem.Benchmarks.Caching.CacheHitRateReport.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
