using System.Globalization;
using XSystem.Monitoring.Internal;

namespace XSystem.Monitoring.Platform.Linux;

/// <summary>What /proc/cpuinfo says that XSystem uses.</summary>
/// <param name="ModelName">The first <c>model name</c> (x86) or <c>Model</c>/<c>Hardware</c>/<c>cpu model</c> line (ARM, MIPS); empty when none.</param>
/// <param name="LogicalCount">Number of <c>processor</c> entries.</param>
/// <param name="PhysicalCores">Distinct (<c>physical id</c>, <c>core id</c>) pairs; 0 when the file does not have them.</param>
/// <param name="AverageMhz">Mean of the <c>cpu MHz</c> lines; 0 when none.</param>
/// <param name="HasHypervisorFlag">Whether the <c>flags</c> line holds <c>hypervisor</c>.</param>
internal sealed record CpuInfoSummary(string ModelName, int LogicalCount, int PhysicalCores, double AverageMhz, bool HasHypervisorFlag);

/// <summary>Pure parser for /proc/cpuinfo.</summary>
internal static class CpuInfoParser
{
    /// <summary>Parses the <c>key : value</c> blocks of /proc/cpuinfo.</summary>
    public static CpuInfoSummary Parse(ReadOnlySpan<char> text)
    {
        string model = string.Empty;
        int logical = 0;
        var cores = new HashSet<(long, long)>();
        long physicalId = -1;
        double mhzSum = 0;
        int mhzCount = 0;
        bool hypervisor = false;
        while (SpanText.TryReadLine(ref text, out ReadOnlySpan<char> line))
        {
            int colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            ReadOnlySpan<char> key = line[..colon].Trim();
            ReadOnlySpan<char> value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor":
                    logical++;
                    physicalId = -1;
                    break;
                case "model name" or "Model" or "Hardware" or "cpu model" when model.Length == 0:
                    model = value.ToString();
                    break;
                case "physical id":
                    physicalId = SpanText.ToInt64(value);
                    break;
                case "core id" when physicalId >= 0:
                    cores.Add((physicalId, SpanText.ToInt64(value)));
                    break;
                case "cpu MHz":
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz))
                    {
                        mhzSum += mhz;
                        mhzCount++;
                    }

                    break;
                case "flags" when !hypervisor:
                    ReadOnlySpan<char> rest = value;
                    for (ReadOnlySpan<char> flag = SpanText.NextField(ref rest); !flag.IsEmpty; flag = SpanText.NextField(ref rest))
                    {
                        if (flag.Equals("hypervisor", StringComparison.Ordinal))
                        {
                            hypervisor = true;
                            break;
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        return new CpuInfoSummary(model, logical, cores.Count, mhzCount > 0 ? mhzSum / mhzCount : 0, hypervisor);
    }

    /// <summary>Parses a sysfs cache size such as <c>48K</c>, <c>2048K</c> or <c>1M</c> into bytes; 0 when malformed.</summary>
    public static long ParseCacheSize(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            return 0;
        }

        long multiplier = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1024,
            'M' => 1024 * 1024,
            'G' => 1024 * 1024 * 1024,
            _ => 1,
        };
        ReadOnlySpan<char> digits = multiplier == 1 ? text : text[..^1];
        return SpanText.ToCounter(digits) * multiplier;
    }
}
