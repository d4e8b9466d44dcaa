using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using XSystem.Serialization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using Serializer = XSystem.Serialization.Serializer;

namespace XSystem.Benchmarks.Serialization;

/// <summary>
/// Typed YAML loading of a 57-line service configuration with nested objects and lists:
/// Serializer.Deserialize&lt;T&gt;(bytes, Formats.Yaml) (tree, then System.Text.Json mapping) against YamlDotNet's own
/// deserializer, built once. Each side gets its natural input prepared outside the measurement: bytes for XSystem,
/// a string for YamlDotNet (which reads text), so the baseline does not pay for UTF-8 decoding.
/// </summary>
[MemoryDiagnoser]
public class YamlTypedDeserializeBenchmarks
{
    private static readonly SerializerOptions CamelCase = new() { JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) };
    private readonly IDeserializer _yamlDotNet = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
    private readonly string _text = ServiceConfigYaml.Text;
    private readonly byte[] _bytes = Encoding.UTF8.GetBytes(ServiceConfigYaml.Text);

    [GlobalSetup]
    public void Check()
    {
        // Both sides must produce the same object, or the comparison means nothing.
        ServiceConfig theirs = YamlDotNet();
        ServiceConfig ours = XSystem()!;
        if (JsonSerializer.Serialize(theirs) != JsonSerializer.Serialize(ours))
        {
            throw new InvalidOperationException("The two deserializers disagree on the sample configuration.");
        }
    }

    [Benchmark(Baseline = true, Description = "YamlDotNet Deserialize<T>")]
    public ServiceConfig YamlDotNet() => _yamlDotNet.Deserialize<ServiceConfig>(_text);

    [Benchmark(Description = "Serializer.Deserialize<T> (yaml)")]
    public ServiceConfig? XSystem() => Serializer.Deserialize<ServiceConfig>(_bytes, Formats.Yaml, CamelCase);
}

/// <summary>The YAML sample.</summary>
internal static class ServiceConfigYaml
{
    public const string Text = """
        name: demo-service
        version: 3
        enabled: true
        ratio: 0.75
        owner: platform team
        description: A small service used to measure how fast configuration loads
        server:
          host: example.org
          port: 8080
          timeoutSeconds: 30
          tls:
            enabled: true
            certificate: /etc/ssl/demo.pem
            ciphers: modern
        database:
          connection: Host=db;Database=demo
          poolSize: 20
          retries: 3
        features:
          - search
          - export
          - audit
          - billing
        endpoints:
          - path: /api/users
            method: GET
            auth: true
          - path: /api/orders
            method: POST
            auth: true
          - path: /health
            method: GET
            auth: false
        limits:
          maxUsers: 10000
          maxRequestsPerMinute: 600
          burst: 50
        logging:
          level: info
          format: json
          sinks:
            - console
            - file
        metadata:
          region: eu-west
          team: core
          costCenter: "4711"

        """;
}

#pragma warning disable CA2227 // Settable collections are what both deserializers fill.

/// <summary>The configuration the YAML sample maps to.</summary>
public sealed class ServiceConfig
{
    public string Name { get; set; } = "";
    public int Version { get; set; }
    public bool Enabled { get; set; }
    public double Ratio { get; set; }
    public string Owner { get; set; } = "";
    public string Description { get; set; } = "";
    public ServerSection Server { get; set; } = new();
    public DatabaseSection Database { get; set; } = new();
    public List<string> Features { get; set; } = [];
    public List<EndpointSection> Endpoints { get; set; } = [];
    public LimitsSection Limits { get; set; } = new();
    public LoggingSection Logging { get; set; } = new();
    public MetadataSection Metadata { get; set; } = new();
}

public sealed class ServerSection
{
    public string Host { get; set; } = "";
    public int Port { get; set; }
    public int TimeoutSeconds { get; set; }
    public TlsSection Tls { get; set; } = new();
}

public sealed class TlsSection
{
    public bool Enabled { get; set; }
    public string Certificate { get; set; } = "";
    public string Ciphers { get; set; } = "";
}

public sealed class DatabaseSection
{
    public string Connection { get; set; } = "";
    public int PoolSize { get; set; }
    public int Retries { get; set; }
}

public sealed class EndpointSection
{
    public string Path { get; set; } = "";
    public string Method { get; set; } = "";
    public bool Auth { get; set; }
}

public sealed class LimitsSection
{
    public int MaxUsers { get; set; }
    public int MaxRequestsPerMinute { get; set; }
    public int Burst { get; set; }
}

public sealed class LoggingSection
{
    public string Level { get; set; } = "";
    public string Format { get; set; } = "";
    public List<string> Sinks { get; set; } = [];
}

public sealed class MetadataSection
{
    public string Region { get; set; } = "";
    public string Team { get; set; } = "";
    public string CostCenter { get; set; } = "";
}
