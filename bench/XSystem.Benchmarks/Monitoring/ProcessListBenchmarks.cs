using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using XSystem.Monitoring;

namespace XSystem.Benchmarks.Monitoring;

/// <summary>
/// A full process list with name, RSS and CPU time: <see cref="Processes.List(ProcessFields)"/> against
/// <see cref="Process.GetProcesses()"/> reading ProcessName, WorkingSet64 and TotalProcessorTime and disposing each
/// Process (baseline; target at least 2x faster). Divide by the process count printed in the setup for ns per process.
/// </summary>
[MemoryDiagnoser]
public class ProcessListBenchmarks
{
    [GlobalSetup]
    public void Setup() => Console.WriteLine($"// Processes on this machine: {Processes.Pids().Count}");

    [Benchmark(Baseline = true)]
    public long DiagnosticsProcess_GetProcesses()
    {
        long sum = 0;
        foreach (Process process in Process.GetProcesses())
        {
            try
            {
                sum += process.ProcessName.Length + process.WorkingSet64 + process.TotalProcessorTime.Ticks;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Exited during the pass (Process throws either, depending on when it notices).
            }
            finally
            {
                process.Dispose();
            }
        }

        return sum;
    }

    [Benchmark]
    public long Processes_List_NameRssCpu()
    {
        long sum = 0;
        foreach (ProcessInfo process in Processes.List(ProcessFields.Memory))
        {
            sum += process.Name.Length + process.Memory.Rss + process.CpuTimes.Total.Ticks;
        }

        return sum;
    }

    [Benchmark]
    public long Processes_List_Default()
    {
        long sum = 0;
        foreach (ProcessInfo process in Processes.List())
        {
            sum += process.Name.Length + process.Memory.Rss + process.Uid;
        }

        return sum;
    }
}
