using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace XSystem.Http.Internal;

/// <summary>The activity source and meter named "XSystem.Http".</summary>
internal static class HttpTelemetry
{
    public const string Name = "XSystem.Http";

    public static readonly ActivitySource Source = new(Name, XSystemInfo.Version);

    public static readonly Meter Meter = new(Name, XSystemInfo.Version);

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "xsystem.http.client.retries", unit: "{retry}", description: "Retries made by AdvancedHttpClient, tagged with the request method and the reason (status code or exception type).");

    public static readonly Counter<long> Redirects = Meter.CreateCounter<long>(
        "xsystem.http.client.redirects", unit: "{redirect}", description: "Redirects followed by AdvancedHttpClient.");
}
