using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using XSystem.Serialization;

namespace XSystem.Serialization.Tests.Contract;

/// <summary>What a format's tree can hold; the contract skips samples a format cannot represent, and says why.</summary>
public sealed record FormatProfile
{
    /// <summary>The document root may be an array (false for TOML, INI, XML).</summary>
    public bool TopLevelArray { get; init; } = true;

    /// <summary>The document root may be a scalar.</summary>
    public bool TopLevelScalar { get; init; } = true;

    /// <summary>Null values survive (false for TOML, INI).</summary>
    public bool Nulls { get; init; } = true;

    /// <summary>Empty objects and arrays survive.</summary>
    public bool EmptyContainers { get; init; } = true;

    /// <summary>Arrays may hold arrays.</summary>
    public bool NestedArrays { get; init; } = true;

    /// <summary>Deepest nesting of containers the format holds (INI: 2, CSV: 2).</summary>
    public int MaxNesting { get; init; } = int.MaxValue;

    /// <summary>Scalars keep their JSON type; false for formats where every scalar reads back as a string (INI, XML, CSV).</summary>
    public bool TypedScalars { get; init; } = true;

    /// <summary>Arrays may hold a mix of scalar types (false for strict TOML 1.0 writers is not required: TOML 1.0 allows mixed arrays).</summary>
    public bool MixedArrays { get; init; } = true;

    /// <summary>The root must be an array of flat objects with the same keys (CSV, TSV).</summary>
    public bool TabularOnly { get; init; }
}

/// <summary>
/// The contract every <see cref="IFormat"/> passes: the same round-trip cases, limits and error behaviour.
/// A format's test project derives from this class and supplies the format and its profile.
/// </summary>
public abstract class FormatContractTests
{
    protected abstract IFormat Format { get; }

    protected abstract FormatProfile Profile { get; }

    protected static SerializerOptions Options { get; } = new();

    protected byte[] WriteBytes(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Format.Write(tree, buffer, options ?? Options);
        return buffer.WrittenSpan.ToArray();
    }

    protected JsonNode? RoundTrip(JsonNode? tree, SerializerOptions? options = null)
    {
        byte[] bytes = WriteBytes(tree, options);
        return Format.Parse(bytes, options ?? Options);
    }

    /// <summary>How a value is expected to come back: formats without typed scalars return strings.</summary>
    protected virtual JsonNode? Expected(JsonNode? original)
    {
        if (Profile.TypedScalars || original is null)
        {
            return original?.DeepClone();
        }

        return original switch
        {
            JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Expected(p.Value)))),
            JsonArray array => new JsonArray(array.Select(Expected).ToArray()),
            JsonValue value => JsonValue.Create(ScalarText(value)),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>The text form a stringly-typed format gives a scalar; override where a format differs.</summary>
    protected virtual string ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => value.GetValue<string>(),
        System.Text.Json.JsonValueKind.True => "true",
        System.Text.Json.JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    protected void AssertRoundTrips(JsonNode? tree)
    {
        JsonNode? back = RoundTrip(tree);
        JsonNode? expected = Expected(tree);
        JsonNode.DeepEquals(back, expected).ShouldBeTrue(
            $"{Format.Name} round trip changed the tree.\nExpected: {expected?.ToJsonString()}\nActual:   {back?.ToJsonString()}");
    }

    private JsonNode Wrap(JsonNode content) =>
        Profile.TabularOnly ? new JsonArray(new JsonObject { ["value"] = content }) : new JsonObject { ["value"] = content };

    [Fact]
    public void Metadata_IsComplete()
    {
        Format.Name.ShouldNotBeNullOrWhiteSpace();
        Format.Name.Any(char.IsUpper).ShouldBeFalse();
        Format.Extensions.ShouldNotBeEmpty();
        Format.Extensions.ShouldAllBe(e => e.StartsWith('.') && !e.Any(char.IsUpper));
        Format.MediaTypes.ShouldNotBeEmpty();
        Format.Capabilities.HasFlag(FormatCapabilities.Tree).ShouldBeTrue();
        Formats.FromName(Format.Name).Name.ShouldBe(Format.Name);
        Formats.FromExtension(Format.Extensions[0]).Name.ShouldBe(Format.Name);
        Formats.FromMediaType(Format.MediaTypes[0]).Name.ShouldBe(Format.Name);
    }

    [Fact]
    public void RoundTrip_NestedObjects_Preserved()
    {
        Assert.SkipWhen(Profile.MaxNesting < 3 && !Profile.TabularOnly, $"{Format.Name} holds at most {Profile.MaxNesting} levels");
        if (Profile.TabularOnly)
        {
            AssertRoundTrips(new JsonArray(
                new JsonObject { ["id"] = 1, ["name"] = "Ada", ["city"] = "London" },
                new JsonObject { ["id"] = 2, ["name"] = "Linus", ["city"] = "Helsinki" }));
            return;
        }

        AssertRoundTrips(new JsonObject
        {
            ["server"] = new JsonObject
            {
                ["host"] = "example.org",
                ["port"] = 8080,
                ["tls"] = new JsonObject { ["enabled"] = true, ["ciphers"] = "modern" },
            },
            ["name"] = "demo",
        });
    }

    [Theory]
    [InlineData("plain ascii")]
    [InlineData("Grüße, Ünïcödé")]
    [InlineData("日本語のテキスト")]
    [InlineData("emoji 🎉🚀 and a ZWJ family 👨‍👩‍👧")]
    [InlineData("quotes \" and ' and \\ backslash")]
    [InlineData("tab\tand\nnewline")]
    [InlineData("  leading and trailing spaces  ")]
    [InlineData("")]
    [InlineData("# not a comment ; really")]
    [InlineData("key = value: [not] {a} table")]
    public void RoundTrip_Strings_Preserved(string text) => AssertRoundTrips(Wrap(JsonValue.Create(text)));

    [Fact]
    public void RoundTrip_UnicodeKeys_Preserved()
    {
        var obj = new JsonObject { ["naïve"] = "1", ["ключ"] = "2", ["키"] = "3", ["with space"] = "4" };
        AssertRoundTrips(Profile.TabularOnly ? new JsonArray(obj) : obj);
    }

    [Fact]
    public void RoundTrip_EmptyContainers_Preserved()
    {
        Assert.SkipUnless(Profile.EmptyContainers, $"{Format.Name} cannot hold empty containers");
        AssertRoundTrips(new JsonObject { ["emptyObject"] = new JsonObject(), ["emptyArray"] = new JsonArray(), ["x"] = 1 });
    }

    [Fact]
    public void RoundTrip_Large_100000Items()
    {
        if (Profile.TabularOnly)
        {
            var rows = new JsonArray();
            for (int i = 0; i < 100_000; i++)
            {
                rows.Add(new JsonObject { ["id"] = i, ["name"] = "item " + i });
            }

            AssertRoundTrips(rows);
            return;
        }

        Assert.SkipUnless(Profile.MaxNesting >= 2 || Profile.TopLevelArray, $"{Format.Name} cannot hold a list");
        if (Profile.MaxNesting <= 2 && !Profile.TopLevelArray)
        {
            // Flat formats (INI): 100,000 keys in one section.
            var section = new JsonObject();
            for (int i = 0; i < 100_000; i++)
            {
                section["key" + i] = "value " + i;
            }

            AssertRoundTrips(new JsonObject { ["section"] = section });
            return;
        }

        var items = new JsonArray();
        for (int i = 0; i < 100_000; i++)
        {
            items.Add(i % 2 == 0 ? JsonValue.Create(i) : JsonValue.Create("s" + i));
        }

        AssertRoundTrips(new JsonObject { ["items"] = items });
    }

    [Fact]
    public void RoundTrip_Deep_60Levels()
    {
        Assert.SkipWhen(Profile.MaxNesting < 60, $"{Format.Name} holds at most {Profile.MaxNesting} levels");
        JsonNode node = JsonValue.Create("bottom");
        for (int i = 0; i < 59; i++)
        {
            node = new JsonObject { ["level" + i] = node };
        }

        AssertRoundTrips(node);
    }

    public static TheoryData<string> EdgeNumbers() =>
    [
        "0", "-1", "1", "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808",
        "1.5", "-0.25", "3.141592653589793", "1E+300", "5E-324", "1.7976931348623157E+308",
    ];

    [Theory]
    [MemberData(nameof(EdgeNumbers))]
    public void RoundTrip_NumbersAtTheEdges_Preserved(string number)
    {
        JsonNode value = JsonNode.Parse(number)!;
        JsonNode back = RoundTrip(Wrap(value))!;
        JsonNode actual = Profile.TabularOnly ? back[0]!["value"]! : back["value"]!;
        if (Profile.TypedScalars)
        {
            // Numbers must come back equal as numbers (text may differ: 1E+300 vs 1e300).
            decimal.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out decimal exact).ShouldBe(
                decimal.TryParse(actual.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out decimal got));
            if (number.Contains('E', StringComparison.Ordinal) || number.Contains('.', StringComparison.Ordinal))
            {
                actual.GetValue<double>().ShouldBe(double.Parse(number, System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                actual.GetValue<long>().ShouldBe(long.Parse(number, System.Globalization.CultureInfo.InvariantCulture));
                got.ShouldBe(exact);
            }
        }
        else
        {
            double.Parse(actual.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
                .ShouldBe(double.Parse(number, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void RoundTrip_Booleans_Preserved() =>
        AssertRoundTrips(Profile.TabularOnly
            ? new JsonArray(new JsonObject { ["t"] = true, ["f"] = false })
            : new JsonObject { ["t"] = true, ["f"] = false });

    [Fact]
    public void RoundTrip_Null_PreservedOrRefusedClearly()
    {
        var tree = Profile.TabularOnly
            ? (JsonNode)new JsonArray(new JsonObject { ["a"] = null, ["b"] = "x" })
            : new JsonObject { ["a"] = null, ["b"] = "x" };
        if (Profile.Nulls)
        {
            AssertRoundTrips(tree);
        }
        else
        {
            var ex = Should.Throw<SerializationException>(() => WriteBytes(tree));
            ex.Message.ShouldContain("a");
        }
    }

    [Fact]
    public void Parse_EmptyInput_ThrowsSerializationExceptionOrReturnsEmpty()
    {
        try
        {
            JsonNode? result = Format.Parse(ReadOnlySpan<byte>.Empty, Options);
            (result is null || result is JsonObject { Count: 0 } || result is JsonArray { Count: 0 }).ShouldBeTrue(
                $"empty input gave {result?.ToJsonString()}");
        }
        catch (SerializationException ex)
        {
            ex.FormatName.ShouldBe(Format.Name);
        }
    }

    [Fact]
    public void Parse_OverMaxBytes_ThrowsLimitException()
    {
        byte[] bytes = WriteBytes(Wrap(JsonValue.Create(new string('x', 2000))));
        var options = new SerializerOptions { MaxBytes = 100 };

        var ex = Should.Throw<SerializationLimitException>(() => Format.Parse(bytes, options));
        ex.LimitName.ShouldBe("MaxBytes");
        ex.Message.ShouldContain("MaxBytes");
    }

    [Fact]
    public void Write_DeeperThanMaxDepth_ThrowsLimitException()
    {
        Assert.SkipWhen(Profile.MaxNesting < 10, $"{Format.Name} holds at most {Profile.MaxNesting} levels");
        JsonNode node = JsonValue.Create(1);
        for (int i = 0; i < 10; i++)
        {
            node = new JsonObject { ["n"] = node };
        }

        var ex = Should.Throw<SerializationLimitException>(() => WriteBytes(node, new SerializerOptions { MaxDepth = 5 }));
        ex.LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_RandomGarbage_NeverCrashes()
    {
        var random = new Random(12345);
        byte[] valid = WriteBytes(Profile.TabularOnly
            ? new JsonArray(new JsonObject { ["a"] = "1", ["b"] = "two" })
            : new JsonObject { ["a"] = "1", ["b"] = new JsonObject { ["c"] = "two" } });
        for (int i = 0; i < 2000; i++)
        {
            byte[] mutated = (byte[])valid.Clone();
            int edits = 1 + random.Next(4);
            for (int e = 0; e < edits; e++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            try
            {
                Format.Parse(mutated, Options);
            }
            catch (SerializationException)
            {
                // Rejected cleanly: fine. Any other exception type fails the test.
            }
        }
    }

    [Fact]
    public void Parse_DeeplyNestedInput_RejectedWithoutStackOverflow()
    {
        Assert.SkipWhen(Profile.MaxNesting < 10, $"{Format.Name} holds at most {Profile.MaxNesting} levels");
        byte[] deep = DeepInput(10_000);
        Assert.SkipWhen(deep.Length == 0, $"{Format.Name} has no nesting syntax to test");
        Should.Throw<SerializationException>(() => Format.Parse(deep, Options));
    }

    /// <summary>A document nested <paramref name="depth"/> levels deep in this format's syntax; empty when the format has none.</summary>
    protected virtual byte[] DeepInput(int depth) =>
        Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));

    [Fact]
    public void Capabilities_MatchInterfaces()
    {
        (Format is ITypedFormat).ShouldBe(Format.Capabilities.HasFlag(FormatCapabilities.Typed));
        (Format is IRecordFormat).ShouldBe(Format.Capabilities.HasFlag(FormatCapabilities.Records));
    }

    [Fact]
    public void Probe_OwnOutput_ScoresHigh()
    {
        byte[] bytes = WriteBytes(Profile.TabularOnly
            ? new JsonArray(new JsonObject { ["name"] = "a", ["size"] = 1 }, new JsonObject { ["name"] = "b", ["size"] = 2 })
            : new JsonObject { ["name"] = "demo", ["settings"] = Profile.MaxNesting >= 3 ? new JsonObject { ["size"] = 1 } : "x" });
        Format.Probe(bytes).ShouldBeGreaterThan(0.5);
    }
}
