using System.Buffers;
using System.Formats.Cbor;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using XSystem.Serialization;

namespace XSystem.Benchmarks.Serialization;

/// <summary>
/// CBOR tree read and write through <see cref="CborFormat"/> against driving <see cref="CborReader"/>/<see cref="CborWriter"/>
/// directly, on a document of about 1 MB (10,000 records). Read baseline: a hand-written walk that reads every item;
/// "hand-built tree" is that walk building the same JsonNode tree recursively, so the facade's own cost shows against it.
/// Write baseline: CborWriter driven from plain records; "hand-walked tree" drives CborWriter from the same JsonNode tree
/// recursively (the comparable for the facade); the tree writer writes the same data from the JsonNode tree.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CborBenchmarks
{
    private readonly CborFormat _format = new();
    private readonly SerializerOptions _options = new();
    private readonly ArrayBufferWriter<byte> _output = new(2 * 1024 * 1024);
    private Row[] _rows = [];
    private JsonNode _tree = new JsonArray();
    private byte[] _document = [];

    private sealed record Row(long Id, string Name, double Score, bool Active, string[] Tags, byte[] Payload);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _rows = new Row[10_000];
        var array = new JsonArray();
        for (int i = 0; i < _rows.Length; i++)
        {
            byte[] payload = new byte[16];
            random.NextBytes(payload);
            var row = new Row(i * 7919L, "record number " + i, random.NextDouble() * 1000, i % 3 == 0, ["alpha", "tag" + (i % 50)], payload);
            _rows[i] = row;
            array.Add(new JsonObject
            {
                ["id"] = row.Id,
                ["name"] = row.Name,
                ["score"] = row.Score,
                ["active"] = row.Active,
                ["tags"] = new JsonArray(row.Tags[0], row.Tags[1]),
                ["payload"] = JsonValue.Create(row.Payload),
            });
        }

        _tree = array;
        _format.Write(_tree, _output, _options);
        _document = _output.WrittenSpan.ToArray();
        Console.WriteLine($"// CBOR document: {_document.Length:N0} bytes");
    }

    [Benchmark(Baseline = true, Description = "CborReader walk")]
    [BenchmarkCategory("Read")]
    public int ReadRawWalk()
    {
        var reader = new CborReader(_document);
        int items = 0;
        while (true)
        {
            switch (reader.PeekState())
            {
                case CborReaderState.StartArray: reader.ReadStartArray(); break;
                case CborReaderState.EndArray: reader.ReadEndArray(); break;
                case CborReaderState.StartMap: reader.ReadStartMap(); break;
                case CborReaderState.EndMap: reader.ReadEndMap(); break;
                case CborReaderState.UnsignedInteger:
                case CborReaderState.NegativeInteger: reader.ReadInt64(); items++; break;
                case CborReaderState.TextString: reader.ReadTextString(); items++; break;
                case CborReaderState.ByteString: reader.ReadByteString(); items++; break;
                case CborReaderState.HalfPrecisionFloat:
                case CborReaderState.SinglePrecisionFloat:
                case CborReaderState.DoublePrecisionFloat: reader.ReadDouble(); items++; break;
                case CborReaderState.Boolean: reader.ReadBoolean(); items++; break;
                case CborReaderState.Finished: return items;
                default: reader.SkipValue(); items++; break;
            }
        }
    }

    [Benchmark(Description = "CborReader, hand-built tree")]
    [BenchmarkCategory("Read")]
    public JsonNode? ReadRawToTree()
    {
        var reader = new CborReader(_document);
        return BuildNode(reader);
    }

    [Benchmark(Description = "CborFormat.Parse")]
    [BenchmarkCategory("Read")]
    public JsonNode? ReadTree() => _format.Parse(_document, _options);

    [Benchmark(Baseline = true, Description = "CborWriter from records")]
    [BenchmarkCategory("Write")]
    public int WriteRaw()
    {
        var writer = new CborWriter();
        writer.WriteStartArray(_rows.Length);
        foreach (Row row in _rows)
        {
            writer.WriteStartMap(6);
            writer.WriteTextString("id");
            writer.WriteInt64(row.Id);
            writer.WriteTextString("name");
            writer.WriteTextString(row.Name);
            writer.WriteTextString("score");
            writer.WriteDouble(row.Score);
            writer.WriteTextString("active");
            writer.WriteBoolean(row.Active);
            writer.WriteTextString("tags");
            writer.WriteStartArray(2);
            writer.WriteTextString(row.Tags[0]);
            writer.WriteTextString(row.Tags[1]);
            writer.WriteEndArray();
            writer.WriteTextString("payload");
            writer.WriteByteString(row.Payload);
            writer.WriteEndMap();
        }

        writer.WriteEndArray();
        _output.ResetWrittenCount();
        int size = writer.BytesWritten;
        writer.Encode(_output.GetSpan(size));
        _output.Advance(size);
        return size;
    }

    [Benchmark(Description = "CborWriter, hand-walked tree")]
    [BenchmarkCategory("Write")]
    public int WriteRawFromTree()
    {
        var writer = new CborWriter();
        WriteNode(writer, _tree);
        _output.ResetWrittenCount();
        int size = writer.BytesWritten;
        writer.Encode(_output.GetSpan(size));
        _output.Advance(size);
        return size;
    }

    [Benchmark(Description = "CborFormat.Write")]
    [BenchmarkCategory("Write")]
    public int WriteTree()
    {
        _output.ResetWrittenCount();
        _format.Write(_tree, _output, _options);
        return _output.WrittenCount;
    }

    private static void WriteNode(CborWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartMap(obj.Count);
                foreach (KeyValuePair<string, JsonNode?> pair in obj)
                {
                    writer.WriteTextString(pair.Key);
                    WriteNode(writer, pair.Value);
                }

                writer.WriteEndMap();
                break;
            case JsonArray array:
                writer.WriteStartArray(array.Count);
                foreach (JsonNode? item in array)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value when value.TryGetValue(out string? text):
                writer.WriteTextString(text);
                break;
            case JsonValue value when value.TryGetValue(out long number):
                writer.WriteInt64(number);
                break;
            case JsonValue value when value.TryGetValue(out double real):
                writer.WriteDouble(real);
                break;
            case JsonValue value when value.TryGetValue(out bool flag):
                writer.WriteBoolean(flag);
                break;
            case JsonValue value when value.TryGetValue(out byte[]? bytes):
                writer.WriteByteString(bytes);
                break;
            default:
                writer.WriteNull();
                break;
        }
    }

    private static JsonNode? BuildNode(CborReader reader)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.StartArray:
                {
                    reader.ReadStartArray();
                    var array = new JsonArray();
                    while (reader.PeekState() != CborReaderState.EndArray)
                    {
                        array.Add(BuildNode(reader));
                    }

                    reader.ReadEndArray();
                    return array;
                }

            case CborReaderState.StartMap:
                {
                    reader.ReadStartMap();
                    var obj = new JsonObject();
                    while (reader.PeekState() != CborReaderState.EndMap)
                    {
                        string key = reader.ReadTextString();
                        obj.Add(key, BuildNode(reader));
                    }

                    reader.ReadEndMap();
                    return obj;
                }

            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                return JsonValue.Create(reader.ReadInt64());
            case CborReaderState.TextString:
                return JsonValue.Create(reader.ReadTextString());
            case CborReaderState.ByteString:
                return JsonValue.Create(reader.ReadByteString());
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
                return JsonValue.Create(reader.ReadDouble());
            case CborReaderState.Boolean:
                return JsonValue.Create(reader.ReadBoolean());
            default:
                reader.SkipValue();
                return null;
        }
    }
}
