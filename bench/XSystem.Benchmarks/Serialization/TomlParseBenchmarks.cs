using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Tomlyn;
using Tomlyn.Model;
using XSystem.Serialization;

namespace XSystem.Benchmarks.Serialization;

/// <summary>
/// Parsing a 100-line TOML configuration into a tree: Serializer.Parse(bytes, Formats.Toml) (XSystem's own strict
/// parser, to JsonNode) against Tomlyn's TomlSerializer.Deserialize&lt;TomlTable&gt;. Each side gets its natural input
/// prepared outside the measurement: bytes for XSystem, a string for Tomlyn.
/// </summary>
[MemoryDiagnoser]
public class TomlParseBenchmarks
{
    private readonly string _text = SampleToml.Text;
    private readonly byte[] _bytes = Encoding.UTF8.GetBytes(SampleToml.Text);

    [GlobalSetup]
    public void Check()
    {
        var theirs = Tomlyn();
        JsonNode ours = XSystem() ?? throw new InvalidOperationException("XSystem parsed the sample to null.");
        if (theirs.Count != ours.AsObject().Count || ours["servers"]!.AsArray().Count != 3)
        {
            throw new InvalidOperationException("The two parsers disagree on the sample configuration.");
        }
    }

    [Benchmark(Baseline = true, Description = "Tomlyn Deserialize<TomlTable>")]
    public TomlTable Tomlyn() => TomlSerializer.Deserialize<TomlTable>(_text)!;

    [Benchmark(Description = "Serializer.Parse (toml)")]
    public JsonNode? XSystem() => Serializer.Parse(_bytes, Formats.Toml);
}

/// <summary>The TOML sample: tables, dotted keys, inline tables, arrays of tables, dates, multi-line strings.</summary>
internal static class SampleToml
{
    public const string Text = """
        # Service configuration used by the TOML benchmarks.
        title = "inventory service"
        version = "4.2.1"
        debug = false
        started = 2026-11-26T09:30:00Z
        release-date = 2026-11-01
        maintenance-window = 03:15:00

        [owner]
        name = "Platform Team"
        email = "platform@example.org"
        organization = { name = "Example Corp", country = "NL", founded = 1999 }

        [server]
        host = "0.0.0.0"
        port = 8443
        workers = 16
        backlog = 1024
        keep-alive = true
        read-timeout = 30.5
        write-timeout = 30.5
        allowed-origins = ["https://example.org", "https://admin.example.org", "https://api.example.org"]

        [server.tls]
        enabled = true
        certificate = "/etc/ssl/inventory.pem"
        key = "/etc/ssl/inventory.key"
        protocols = ["TLS1.2", "TLS1.3"]

        [database]
        driver = "postgres"
        host = "db.internal"
        port = 5432
        name = "inventory"
        user = "inventory_app"
        pool.min = 4
        pool.max = 64
        pool.idle-timeout = 300
        retries = [100, 250, 500, 1000, 2000]

        [cache]
        enabled = true
        size-mb = 512
        ttl-seconds = 3600
        eviction = "lru"
        ratio = 0.85

        [logging]
        level = "info"
        format = "json"
        sinks = ["console", "file", "syslog"]
        file.path = "/var/log/inventory/service.log"
        file.rotate-mb = 100
        file.keep = 10

        [features]
        search = true
        export = true
        audit = false
        beta = ["bulk-import", "webhooks", "graphql"]

        [[servers]]
        name = "alpha"
        ip = "10.0.0.1"
        role = "primary"
        weight = 10
        tags = ["eu", "ssd"]

        [[servers]]
        name = "beta"
        ip = "10.0.0.2"
        role = "replica"
        weight = 5
        tags = ["eu", "hdd"]

        [[servers]]
        name = "gamma"
        ip = "10.0.0.3"
        role = "replica"
        weight = 5
        tags = ["us", "ssd"]

        [limits]
        requests-per-minute = 6_000
        burst = 200
        max-body = 0x100000
        permissions = 0o755
        flags = 0b1010

        [notifications]
        template = '''
        Dear operator,
        the inventory service restarted at {time}.
        '''
        recipients = [
          "ops@example.org",
          "oncall@example.org",
        ]

        [metrics]
        enabled = true
        endpoint = "/metrics"
        histogram-buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]
        labels = { service = "inventory", region = "eu-west", tier = "backend" }

        """;
}
