using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console.Testing;
using XSystem.Cli.Doctor;
using XSystem.Monitoring;

namespace XSystem.Cli.Tests;

/// <summary>In-process tests of <c>xsys info</c> and the Monitoring doctor check with a test console.</summary>
public class MonitoringInfoCommandTests
{
    private sealed record Run(int ExitCode, string Console, string Stderr);

    private static async Task<Run> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(200);
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var streams = new StandardStreams(() => input, () => output, error, outputIsTerminal: false);
        int exit = await XsysApp.RunAsync(args, console, streams, TestContext.Current.CancellationToken);
        return new Run(exit, console.Output, error.ToString());
    }

    [Fact]
    public async Task Info_Table_ShowsHardwareAndOs()
    {
        Run run = await RunAsync("info");

        run.ExitCode.ShouldBe(0, run.Console);
        HardwareInfo hardware = SystemInfo.Hardware();
        run.Console.ShouldContain("Kernel");
        run.Console.ShouldContain(hardware.KernelVersion);
        run.Console.ShouldContain($"{hardware.PhysicalCores} physical, {hardware.LogicalCores} logical");
        run.Console.ShouldContain(ByteSize.Format(hardware.MemoryTotal));
        run.Console.ShouldContain("Container");
        if (hardware.CpuModel.Length > 0)
        {
            run.Console.ShouldContain(hardware.CpuModel);
        }
    }

    [Fact]
    public async Task Info_Json_ParsesAndMatchesSystemInfo()
    {
        Run run = await RunAsync("info", "--json");

        run.ExitCode.ShouldBe(0, run.Console);
        JsonObject json = JsonNode.Parse(run.Console)!.AsObject();
        HardwareInfo hardware = SystemInfo.Hardware();
        json["kernel"]!.GetValue<string>().ShouldBe(hardware.KernelVersion);
        json["architecture"]!.GetValue<string>().ShouldBe(hardware.Architecture);
        json["cpu"]!["model"]!.GetValue<string>().ShouldBe(hardware.CpuModel);
        json["cpu"]!["logicalCores"]!.GetValue<int>().ShouldBe(SystemInfo.CpuCount(logical: true));
        json["cpu"]!["physicalCores"]!.GetValue<int>().ShouldBe(SystemInfo.CpuCount(logical: false));
        json["cpu"]!["effectiveCount"]!.GetValue<int>().ShouldBe(SystemInfo.EffectiveCpuCount);
        json["memory"]!["totalBytes"]!.GetValue<long>().ShouldBe(SystemInfo.Memory().Total);
        json["memory"]!["effectiveLimitBytes"]!.GetValue<long>().ShouldBe(SystemInfo.EffectiveMemoryLimit);
        json["bootTime"]!.GetValue<DateTimeOffset>().ShouldBe(SystemInfo.BootTime());
        json["disks"]!.AsArray().Select(d => d!["mountPoint"]!.GetValue<string>()).ShouldBe(hardware.Disks.Select(d => d.MountPoint));
        json["networkInterfaces"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(hardware.NetworkInterfaces, ignoreOrder: true);
        json["container"]!["isContainer"]!.GetValue<bool>().ShouldBe(SystemInfo.Container().IsContainer);
        json["container"]!["cgroupVersion"]!.GetValue<int>().ShouldBe(SystemInfo.Container().CgroupVersion);
        json["virtualization"]!["isVirtualMachine"]!.GetValue<bool>().ShouldBe(hardware.Virtualization.IsVirtualMachine);
        json["cpu"]!["caches"]!.AsArray().Count.ShouldBe(hardware.Caches.Count);
    }

    [Fact]
    public async Task Info_Json_IsPlainTextWithoutMarkup()
    {
        Run run = await RunAsync("info", "--json");

        run.Console.TrimStart().ShouldStartWith("{");
        run.Console.ShouldNotContain("\u001b[");
        Encoding.UTF8.GetByteCount(run.Console).ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task Info_UnknownOption_UsageError()
    {
        Run run = await RunAsync("info", "--bogus");

        run.ExitCode.ShouldBe(XsysApp.ExitUsage);
    }

    [Fact]
    public async Task MonitoringCheck_RealSystem_Passes()
    {
        IDoctorCheck check = DoctorChecks.Create().Single(c => c.Module == "XSystem.Monitoring");

        CheckResult result = await check.RunAsync(TestContext.Current.CancellationToken);

        result.Passed.ShouldBeTrue(result.Detail);
        result.Detail.ShouldContain("CPUs");
    }

    [Fact]
    public void MonitoringCheck_ZeroMemory_Fails()
    {
        var now = DateTimeOffset.UtcNow;
        var zero = new MemoryInfo(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        CheckResult result = MonitoringCheck.Judge(zero, 2, now.AddHours(-1), now);

        result.Passed.ShouldBeFalse();
        result.Detail.ShouldContain("total memory is 0");
    }

    [Fact]
    public void MonitoringCheck_BootInFutureOrNoCpus_Fails()
    {
        var now = DateTimeOffset.UtcNow;
        var memory = new MemoryInfo(1024, 512, 512, 512, 50, 0, 0, 0, 0, 0);

        MonitoringCheck.Judge(memory, 2, now.AddHours(1), now).Passed.ShouldBeFalse();
        MonitoringCheck.Judge(memory, 0, now.AddHours(-1), now).Passed.ShouldBeFalse();
        MonitoringCheck.Judge(memory with { Available = 2048 }, 2, now.AddHours(-1), now).Passed.ShouldBeFalse();
        MonitoringCheck.Judge(memory, 2, now.AddHours(-1), now).Passed.ShouldBeTrue();
    }
}
