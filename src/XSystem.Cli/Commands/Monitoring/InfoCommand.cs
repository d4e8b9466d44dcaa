using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Monitoring;

namespace XSystem.Cli.Commands.Monitoring;

/// <summary><c>xsys info</c>: hardware and OS summary (CPU, memory, disks, network, virtualization, container limits).</summary>
internal sealed class InfoCommand(IAnsiConsole console) : Command<InfoCommand.Settings>
{
    /// <summary>Options of <c>xsys info</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--json")]
        [Description("Write the facts as one JSON object (camelCase properties) to standard output instead of a table.")]
        public bool Json { get; init; }
    }

    /// <summary>The facts shown, gathered once so the table and the JSON agree.</summary>
    internal sealed record Facts(
        HardwareInfo Hardware, MemoryInfo Memory, SwapInfo? Swap, DateTimeOffset BootTime, LoadAverageInfo? Load,
        int EffectiveCpuCount, long EffectiveMemoryLimit)
    {
        public static Facts Gather() => new(
            SystemInfo.Hardware(), SystemInfo.Memory(), Try(SystemInfo.Swap), SystemInfo.BootTime(), Try(SystemInfo.LoadAverage),
            SystemInfo.EffectiveCpuCount, SystemInfo.EffectiveMemoryLimit);

        /// <summary>The value, or null where this platform does not provide it.</summary>
        internal static T? Try<T>(Func<T> read)
            where T : class
        {
            try
            {
                return read();
            }
            catch (PlatformNotSupportedException)
            {
                return null;
            }
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Facts facts = Facts.Gather();
        if (settings.Json)
        {
            // Plain text, no markup: machine-readable even on a color terminal.
            console.Profile.Out.Writer.WriteLine(ToJson(facts));
        }
        else
        {
            WriteTable(facts);
        }

        return XsysApp.ExitOk;
    }

    private void WriteTable(Facts f)
    {
        HardwareInfo h = f.Hardware;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Fact").AddColumn("Value");
        void Row(string name, string value) => table.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));

        Row("OS", h.OsDescription);
        Row("Kernel", h.KernelVersion);
        Row("Architecture", h.Architecture);
        Row("Boot time", f.BootTime.ToString("u", CultureInfo.InvariantCulture));
        Row("CPU", h.CpuModel.Length > 0 ? h.CpuModel : "unknown");
        Row("Cores", $"{h.PhysicalCores} physical, {h.LogicalCores} logical, {f.EffectiveCpuCount} usable");
        if (h.Frequency is { } freq)
        {
            Row("Frequency", $"{freq.CurrentMhz:0} MHz" + (freq.MaxMhz > 0 ? $" (max {freq.MaxMhz:0} MHz)" : string.Empty));
        }

        if (h.Caches.Count > 0)
        {
            Row("Caches", string.Join(", ", h.Caches.Select(c => $"L{c.Level} {c.Type} {ByteSize.Format(c.SizeBytes, decimals: 0)}")));
        }

        Row("Memory", $"{ByteSize.Format(f.Memory.Total)} total, {ByteSize.Format(f.Memory.Available)} available ({f.Memory.Percent:0.0}% used)");
        if (f.EffectiveMemoryLimit < f.Memory.Total)
        {
            Row("Memory limit", ByteSize.Format(f.EffectiveMemoryLimit));
        }

        if (f.Swap is { } swap)
        {
            Row("Swap", swap.Total == 0 ? "none" : $"{ByteSize.Format(swap.Total)} total, {swap.Percent:0.0}% used");
        }

        if (f.Load is { } load)
        {
            Row("Load average", $"{load.OneMinute:0.00} {load.FiveMinutes:0.00} {load.FifteenMinutes:0.00}");
        }

        foreach (HardwareDisk d in h.Disks)
        {
            Row("Disk", $"{d.MountPoint} {d.Device} {d.FileSystemType} {ByteSize.Format(d.TotalBytes)}");
        }

        Row("Network", string.Join(", ", h.NetworkInterfaces));
        Row("Virtual machine", h.Virtualization.IsVirtualMachine ? "yes" + Hints(h.Virtualization.Hints) : "no");
        ContainerInfo c = h.Container;
        Row("Container", c.IsContainer ? "yes" + Hints(c.Hints) : "no");
        Row("Cgroup limits", $"v{c.CgroupVersion}: CPU {(c.CpuLimit is double cpu ? cpu.ToString("0.##", CultureInfo.InvariantCulture) : "unlimited")}, memory {(c.MemoryLimit is long m ? ByteSize.Format(m) : "unlimited")}");
        console.Write(table);

        static string Hints(IReadOnlyList<string> hints) => hints.Count == 0 ? string.Empty : $" ({string.Join("; ", hints)})";
    }

    /// <summary>The facts as an indented JSON object with camelCase properties.</summary>
    internal static string ToJson(Facts f)
    {
        HardwareInfo h = f.Hardware;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("os", h.OsDescription);
            json.WriteString("kernel", h.KernelVersion);
            json.WriteString("architecture", h.Architecture);
            json.WriteString("bootTime", f.BootTime);

            json.WriteStartObject("cpu");
            json.WriteString("model", h.CpuModel);
            json.WriteNumber("physicalCores", h.PhysicalCores);
            json.WriteNumber("logicalCores", h.LogicalCores);
            json.WriteNumber("effectiveCount", f.EffectiveCpuCount);
            if (h.Frequency is { } freq)
            {
                json.WriteNumber("currentMhz", freq.CurrentMhz);
                json.WriteNumber("minMhz", freq.MinMhz);
                json.WriteNumber("maxMhz", freq.MaxMhz);
            }

            json.WriteStartArray("caches");
            foreach (CpuCacheInfo c in h.Caches)
            {
                json.WriteStartObject();
                json.WriteNumber("level", c.Level);
                json.WriteString("type", c.Type);
                json.WriteNumber("sizeBytes", c.SizeBytes);
                json.WriteNumber("sharedCpuCount", c.SharedCpuCount);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("memory");
            json.WriteNumber("totalBytes", f.Memory.Total);
            json.WriteNumber("availableBytes", f.Memory.Available);
            json.WriteNumber("usedBytes", f.Memory.Used);
            json.WriteNumber("percent", f.Memory.Percent);
            json.WriteNumber("effectiveLimitBytes", f.EffectiveMemoryLimit);
            json.WriteEndObject();

            if (f.Swap is { } swap)
            {
                json.WriteStartObject("swap");
                json.WriteNumber("totalBytes", swap.Total);
                json.WriteNumber("usedBytes", swap.Used);
                json.WriteNumber("percent", swap.Percent);
                json.WriteEndObject();
            }

            if (f.Load is { } load)
            {
                json.WriteStartArray("loadAverage");
                json.WriteNumberValue(load.OneMinute);
                json.WriteNumberValue(load.FiveMinutes);
                json.WriteNumberValue(load.FifteenMinutes);
                json.WriteEndArray();
            }

            json.WriteStartArray("disks");
            foreach (HardwareDisk d in h.Disks)
            {
                json.WriteStartObject();
                json.WriteString("device", d.Device);
                json.WriteString("mountPoint", d.MountPoint);
                json.WriteString("fileSystemType", d.FileSystemType);
                json.WriteNumber("totalBytes", d.TotalBytes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("networkInterfaces");
            foreach (string nic in h.NetworkInterfaces)
            {
                json.WriteStringValue(nic);
            }

            json.WriteEndArray();

            json.WriteStartObject("virtualization");
            json.WriteBoolean("isVirtualMachine", h.Virtualization.IsVirtualMachine);
            json.WriteString("productName", h.Virtualization.ProductName);
            WriteStrings(json, "hints", h.Virtualization.Hints);
            json.WriteEndObject();

            ContainerInfo c2 = h.Container;
            json.WriteStartObject("container");
            json.WriteBoolean("isContainer", c2.IsContainer);
            WriteStrings(json, "hints", c2.Hints);
            json.WriteNumber("cgroupVersion", c2.CgroupVersion);
            if (c2.CpuLimit is double cpuLimit)
            {
                json.WriteNumber("cpuLimit", cpuLimit);
            }
            else
            {
                json.WriteNull("cpuLimit");
            }

            if (c2.MemoryLimit is long memoryLimit)
            {
                json.WriteNumber("memoryLimitBytes", memoryLimit);
            }
            else
            {
                json.WriteNull("memoryLimitBytes");
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
