using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using XSystem.Serialization.Csv.Internal;

namespace XSystem.Serialization.Csv.Tests;

public sealed class TypedRecordTests
{
    private static readonly CsvFormat Csv = new();
    private static readonly TsvFormat Tsv = new();

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    private static SerializerOptions With(CsvOptions? csv = null, JsonSerializerOptions? json = null) =>
        new() { FormatOptions = csv is null ? [] : [csv], JsonSerializerOptions = json };

    private static async Task<List<T?>> Read<T>(string text, SerializerOptions? options = null, IFormat? format = null)
    {
        var list = new List<T?>();
        await foreach (T? item in Serializer.ReadRecordsAsync<T>(Stream(text), format ?? Csv, options, TestContext.Current.CancellationToken))
        {
            list.Add(item);
        }

        return list;
    }

    private static async Task<List<T?>> ReadThroughJson<T>(string text, SerializerOptions? options = null)
    {
        var list = new List<T?>();
        await foreach (T? item in DelimitedReader.ReadTypedAsync<T>(Stream(text), options ?? SerializerOptions.Default, Dialect.Csv, forceJson: true, TestContext.Current.CancellationToken))
        {
            list.Add(item);
        }

        return list;
    }

    private static async Task<string> Write<T>(IEnumerable<T> records, SerializerOptions? options = null, IFormat? format = null)
    {
        using var stream = new MemoryStream();
        await Serializer.WriteRecordsAsync(stream, records, format ?? Csv, options, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task ReadRecordsAsync_StringProperties_SetFromColumns()
    {
        List<Person?> people = await Read<Person>("Name,City,Unknown\nAda,London,x\n\"Grace, R.\",\"New\nYork\",y\n");

        people.Count.ShouldBe(2);
        people[0]!.Name.ShouldBe("Ada");
        people[0]!.City.ShouldBe("London");
        people[1]!.Name.ShouldBe("Grace, R.");
        people[1]!.City.ShouldBe("New\nYork");
    }

    [Fact]
    public async Task ReadRecordsAsync_TokenFromWithCancellation_StopsTheRead()
    {
        using var cts = new CancellationTokenSource();
        int count = 0;

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (Person? person in Serializer.ReadRecordsAsync<Person>(new GeneratedCsvStream(10_000_000), Csv).WithCancellation(cts.Token))
            {
                _ = person;
                if (++count == 5)
                {
                    await cts.CancelAsync();
                }
            }
        });

        count.ShouldBe(5);
    }

    [Fact]
    public async Task ReadRecordsAsync_InputLargerThanTheReadBuffers_EveryRowOnceInOrder()
    {
        var text = new StringBuilder("Name,City\n");
        for (int i = 0; i < 20_000; i++)
        {
            text.Append("name").Append(i).Append(",\"city ").Append(i).Append(", here\"\n");
        }

        List<Person?> people = await Read<Person>(text.ToString());

        people.Count.ShouldBe(20_000);
        people[0]!.Name.ShouldBe("name0");
        people[12_345]!.City.ShouldBe("city 12345, here");
        people[^1]!.Name.ShouldBe("name19999");
    }

    [Fact]
    public async Task ReadRecordsAsync_MoveNextAfterTheEnd_StaysFalse()
    {
        await using IAsyncEnumerator<Person?> records = Serializer.ReadRecordsAsync<Person>(Stream("Name\nAda\n"), Csv, cancellationToken: TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);

        (await records.MoveNextAsync()).ShouldBeTrue();
        records.Current!.Name.ShouldBe("Ada");
        (await records.MoveNextAsync()).ShouldBeFalse();
        (await records.MoveNextAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task ReadRecordsAsync_BadRowAfterGoodOnes_SerializationExceptionWithLine()
    {
        var ex = await Should.ThrowAsync<SerializationException>(() => Read<Person>("Name,City\nAda,London\nGrace\n"));

        ex.Line.ShouldBe(3);
    }

    [Fact]
    public void Mapper_PlainClass_UsesDirectPath()
    {
        using var mapper = new TypedRowMapper<Person>("csv", new CsvOptions(), new JsonSerializerOptions());

        mapper.IsDirect.ShouldBeTrue();
    }

    [Fact]
    public async Task ReadRecordsAsync_StructWithShortRows_SetterPathKeepsDefaults()
    {
        List<Pair> rows = await Read<Pair>("x\n", With(new CsvOptions { HasHeader = false }));

        rows[0].First.ShouldBe("x");
        rows[0].Second.ShouldBe(7);
    }

    [Fact]
    public void Mapper_RecordWithConstructor_UsesJsonPath()
    {
        using var mapper = new TypedRowMapper<Point>("csv", new CsvOptions(), new JsonSerializerOptions());

        mapper.IsDirect.ShouldBeFalse();
    }

    [Fact]
    public async Task ReadRecordsAsync_JsonPropertyNameAndIgnore_Honoured()
    {
        List<Attributed?> rows = await Read<Attributed>("full_name,Secret\nAda,leak\n");

        rows[0]!.Name.ShouldBe("Ada");
        rows[0]!.Secret.ShouldBe("kept");
    }

    [Fact]
    public async Task ReadRecordsAsync_CaseInsensitiveOption_MatchesHeaderCase()
    {
        var json = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };

        List<Person?> sensitive = await Read<Person>("NAME,city\nAda,London\n");
        List<Person?> insensitive = await Read<Person>("NAME,city\nAda,London\n", With(json: json));

        sensitive[0]!.Name.ShouldBe(string.Empty);
        insensitive[0]!.Name.ShouldBe("Ada");
        insensitive[0]!.City.ShouldBe("London");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadRecordsAsync_TypedColumns_ParsedInvariantly(bool throughJson)
    {
        const string Text = "I32,I64,I16,U8,F64,F32,Money,Flag,Id,When,Offset,Date,Time,Color,MaybeInt,MaybeColor,Tags\n"
            + "-5,9000000000,7,255,1.5e3,2.5,12.25,TRUE,0f8fad5b-d9cb-469f-a165-70867728950e,2024-01-31T10:20:30Z,2024-01-31T10:20:30+02:00,2024-01-31,10:20:30,green,,,\"[\"\"a\"\",\"\"b\"\"]\"\n"
            + "1,2,3,4,5,6,7,false,00000000-0000-0000-0000-000000000001,2024-02-01,2024-02-01T00:00:00Z,2024-02-01,00:00,2,42,Blue,[]\n";

        List<AllTypes?> rows = throughJson ? await ReadThroughJson<AllTypes>(Text) : await Read<AllTypes>(Text);

        AllTypes first = rows[0]!;
        first.I32.ShouldBe(-5);
        first.I64.ShouldBe(9_000_000_000L);
        first.I16.ShouldBe((short)7);
        first.U8.ShouldBe((byte)255);
        first.F64.ShouldBe(1500.0);
        first.F32.ShouldBe(2.5f);
        first.Money.ShouldBe(12.25m);
        first.Flag.ShouldBeTrue();
        first.Id.ShouldBe(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        first.When.ShouldBe(new DateTime(2024, 1, 31, 10, 20, 30, DateTimeKind.Utc));
        first.When.Kind.ShouldBe(DateTimeKind.Utc);
        first.Offset.ShouldBe(new DateTimeOffset(2024, 1, 31, 10, 20, 30, TimeSpan.FromHours(2)));
        first.Date.ShouldBe(new DateOnly(2024, 1, 31));
        first.Time.ShouldBe(new TimeOnly(10, 20, 30));
        first.Color.ShouldBe(Color.Green);
        first.MaybeInt.ShouldBeNull();
        first.MaybeColor.ShouldBeNull();
        first.Tags.ShouldBe(["a", "b"]);
        AllTypes second = rows[1]!;
        second.Color.ShouldBe(Color.Blue);
        second.MaybeInt.ShouldBe(42);
        second.MaybeColor.ShouldBe(Color.Blue);
        second.Tags.ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadRecordsAsync_RecordWithConstructor_Mapped()
    {
        List<Point?> points = await Read<Point>("Y,X,Label\n2,1,a\n-4,3,\n");

        points.ShouldBe([new Point(1, 2, "a"), new Point(3, -4, string.Empty)]);
    }

    [Fact]
    public async Task ReadRecordsAsync_Dictionary_ThroughJson()
    {
        List<Dictionary<string, string>?> rows = await Read<Dictionary<string, string>>("a,b\n1,2\n");

        rows[0]!["a"].ShouldBe("1");
        rows[0]!["b"].ShouldBe("2");
    }

    [Fact]
    public async Task ReadRecordsAsync_InferTypes_EmptyStringIsNull()
    {
        List<Person?> rows = await Read<Person>("Name,City\n,x\n", With(new CsvOptions { InferTypes = true }));
        List<Person?> plain = await Read<Person>("Name,City\n,x\n");

        rows[0]!.Name.ShouldBeNull();
        plain[0]!.Name.ShouldBe(string.Empty);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadRecordsAsync_BadNumber_ThrowsWithLineColumnAndValue(bool throughJson)
    {
        const string Text = "I32,I64,I16,U8,F64,F32,Money,Flag,Id,When,Offset,Date,Time,Color,MaybeInt,MaybeColor,Tags\n"
            + "1,2,3,4,5,6,7,true,00000000-0000-0000-0000-000000000001,2024-02-01,2024-02-01T00:00:00Z,2024-02-01,00:00,Red,,,[]\n"
            + "1,2,3,4,5,6,7,true,00000000-0000-0000-0000-000000000001,2024-02-01,2024-02-01T00:00:00Z,2024-02-01,00:00,Red,12x,,[]\n";

        SerializationException ex = await Should.ThrowAsync<SerializationException>(async () =>
        {
            _ = throughJson ? await ReadThroughJson<AllTypes>(Text) : await Read<AllTypes>(Text);
        });

        ex.Line.ShouldBe(3);
        ex.Message.ShouldContain("'MaybeInt'");
        ex.Message.ShouldContain("'12x'");
        ex.Path.ShouldBe("$[1].MaybeInt");
    }

    [Fact]
    public async Task ReadRecordsAsync_EmptyNonNullable_Throws()
    {
        SerializationException ex = await Should.ThrowAsync<SerializationException>(() => Read<Point>("X,Y,Label\n1,,a\n"));

        ex.Line.ShouldBe(2);
        ex.Message.ShouldContain("'Y' is empty");
    }

    [Fact]
    public async Task ReadRecordsAsync_UnknownEnumName_Throws()
    {
        SerializationException ex = await Should.ThrowAsync<SerializationException>(() => Read<Painted>("Color\nred\npurple\n"));

        ex.Line.ShouldBe(3);
        ex.Message.ShouldContain("'purple'");
    }

    [Fact]
    public async Task ReadRecordsAsync_MissingRequiredColumn_Throws()
    {
        SerializationException ex = await Should.ThrowAsync<SerializationException>(() => Read<WithRequired>("Other\nx\n"));

        ex.Line.ShouldBe(2);
        ex.Message.ShouldContain("'Id'");
    }

    [Fact]
    public async Task ReadRecordsAsync_MissingRequiredConstructorColumn_Throws()
    {
        var json = new JsonSerializerOptions { RespectRequiredConstructorParameters = true };

        SerializationException ex = await Should.ThrowAsync<SerializationException>(() => Read<Point>("X,Label\n1,a\n", With(json: json)));

        ex.Line.ShouldBe(2);
    }

    [Fact]
    public async Task ReadRecordsAsync_UnmappedDisallowed_Throws()
    {
        var json = new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

        SerializationException ex = await Should.ThrowAsync<SerializationException>(() => Read<Person>("Name,City,Extra\na,b,c\n", With(json: json)));

        ex.Message.ShouldContain("'Extra'");
    }

    [Fact]
    public async Task ReadRecordsAsync_RaggedRow_Throws()
    {
        SerializationException ex = await Should.ThrowAsync<SerializationException>(() => Read<Person>("Name,City\na,b\nc\n"));

        ex.Line.ShouldBe(3);
    }

    [Fact]
    public async Task ReadRecordsAsync_Tsv_TypedRows()
    {
        List<Point?> points = await Read<Point>("X\tY\tLabel\n1\t2\ta,b\n", format: Tsv);

        points.ShouldBe([new Point(1, 2, "a,b")]);
    }

    [Fact]
    public async Task ReadRecordsAsync_NoHeader_ColumnsByPropertyOrder()
    {
        List<Person?> rows = await Read<Person>("Ada,London\n", With(new CsvOptions { HasHeader = false }));

        rows[0]!.Name.ShouldBe("Ada");
        rows[0]!.City.ShouldBe("London");
    }

    [Fact]
    public async Task ReadRecordsAsync_TypedAndTreeAgree()
    {
        const string Text = "\uFEFFName;City\r\nAda;London\r\n\r\n\"Grace \"\"Amazing\"\" Hopper\";\"Arlington,\nVA\"\r\nÉmile;Zürich 😀\r\n";
        var typed = await Read<Person>(Text);
        var tree = new List<Person?>();
        await foreach (JsonNode? node in Csv.ReadRecordsAsync(Stream(Text), SerializerOptions.Default, TestContext.Current.CancellationToken))
        {
            tree.Add(node.Deserialize<Person>());
        }

        typed.Select(p => (p!.Name, p.City)).ShouldBe(tree.Select(p => (p!.Name, p.City)));
        typed.Count.ShouldBe(3);
    }

    [Fact]
    public async Task ReadRecordsAsync_JsonObject_StillTree()
    {
        List<JsonObject?> rows = await Read<JsonObject>("a\n1\n");

        rows[0]!["a"]!.GetValue<string>().ShouldBe("1");
    }

    [Fact]
    public async Task WriteRecordsAsync_Typed_HeaderFromPropertiesInvariantValues()
    {
        var rows = new[]
        {
            new AllTypes
            {
                I32 = -5, I64 = 9_000_000_000L, I16 = 7, U8 = 255, F64 = 1.5, F32 = 0.1f, Money = 12.25m, Flag = true,
                Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), When = new DateTime(2024, 1, 31, 10, 20, 30, DateTimeKind.Utc),
                Offset = new DateTimeOffset(2024, 1, 31, 10, 20, 30, TimeSpan.FromHours(2)), Date = new DateOnly(2024, 1, 31),
                Time = new TimeOnly(10, 20, 30), Color = Color.Green, MaybeInt = 3, MaybeColor = Color.Blue, Tags = ["x"],
            },
        };

        string text = await Write(rows, With(new CsvOptions { NestedAsJson = true }));

        string[] lines = text.Split("\r\n");
        lines[0].ShouldBe("I32,I64,I16,U8,F64,F32,Money,Flag,Id,When,Offset,Date,Time,Color,MaybeInt,MaybeColor,Tags");
        lines[1].ShouldBe("-5,9000000000,7,255,1.5,0.1,12.25,true,0f8fad5b-d9cb-469f-a165-70867728950e,2024-01-31T10:20:30Z,2024-01-31T10:20:30+02:00,2024-01-31,10:20:30,1,3,2,\"[\"\"x\"\"]\"");
    }

    [Fact]
    public async Task WriteRecordsAsync_Typed_RoundTripsThroughTypedRead()
    {
        var rows = new[] { new AllTypes { F64 = double.NaN, Tags = ["a"] }, new AllTypes { F64 = -1e300, Money = -0.5m, Tags = [] } };

        string text = await Write(rows, With(new CsvOptions { NestedAsJson = true, GuardFormulas = false, NullAs = "" }));
        List<AllTypes?> back = await Read<AllTypes>(text);

        back.Count.ShouldBe(2);
        double.IsNaN(back[0]!.F64).ShouldBeTrue();
        back[0]!.Tags.ShouldBe(["a"]);
        back[1]!.F64.ShouldBe(-1e300);
        back[1]!.Money.ShouldBe(-0.5m);
    }

    [Fact]
    public async Task WriteRecordsAsync_Typed_AttributesAndGuard()
    {
        string text = await Write([new Attributed { Name = "=SUM(A1)", Secret = "hidden" }]);

        text.ShouldBe("full_name\r\n'=SUM(A1)\r\n");
    }

    [Fact]
    public async Task WriteRecordsAsync_Typed_NullThrowsUnlessNullAs()
    {
        SerializationException ex = await Should.ThrowAsync<SerializationException>(() => Write([new Person { Name = null, City = "x" }]));
        string written = await Write([new Person { Name = null, City = "x" }], With(new CsvOptions { NullAs = "" }));

        ex.Path.ShouldBe("$[0].Name");
        written.ShouldBe("Name,City\r\n,x\r\n");
    }

    [Fact]
    public async Task WriteRecordsAsync_Typed_NestedThrowsUnlessAllowed()
    {
        SerializationException ex = await Should.ThrowAsync<SerializationException>(() => Write([new AllTypes { Tags = ["a"] }], With(new CsvOptions { NullAs = "" })));

        ex.Path.ShouldBe("$[0].Tags");
    }

    [Fact]
    public async Task WriteRecordsAsync_TypedAndTreeAgree()
    {
        var people = new[] { new Person { Name = "Ada", City = "-London, \"UK\"" }, new Person { Name = "Émile 😀", City = "a\nb" } };

        string typed = await Write(people);
        using var stream = new MemoryStream();
        await Csv.WriteRecordsAsync(stream, Nodes(people, TestContext.Current.CancellationToken), SerializerOptions.Default, TestContext.Current.CancellationToken);
        string tree = Encoding.UTF8.GetString(stream.ToArray());

        typed.ShouldBe(tree);
    }

    [Fact]
    public async Task WriteRecordsAsync_Record_Tsv()
    {
        string text = await Write([new Point(1, 2, "a\tb")], format: Tsv);

        text.ShouldBe("X\tY\tLabel\r\n1\t2\t\"a\tb\"\r\n");
    }

    private static async IAsyncEnumerable<JsonNode?> Nodes<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (T item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return JsonSerializer.SerializeToNode(item);
        }
    }

    public sealed class Person
    {
        public string? Name { get; set; } = string.Empty;

        public string? City { get; set; } = string.Empty;
    }

    public sealed class Attributed
    {
        [JsonPropertyName("full_name")]
        public string Name { get; set; } = string.Empty;

        [JsonIgnore]
        public string Secret { get; set; } = "kept";
    }

    public sealed record Point(int X, int Y, string Label);

    public struct Pair
    {
        public Pair()
        {
        }

        public string? First { get; set; }

        public int Second { get; set; } = 7;
    }

    public enum Color
    {
        Red,
        Green,
        Blue,
    }

    public sealed class Painted
    {
        public Color Color { get; set; }
    }

    public sealed class WithRequired
    {
        public required string Id { get; init; }
    }

    public sealed class AllTypes
    {
        public int I32 { get; set; }

        public long I64 { get; set; }

        public short I16 { get; set; }

        public byte U8 { get; set; }

        public double F64 { get; set; }

        public float F32 { get; set; }

        public decimal Money { get; set; }

        public bool Flag { get; set; }

        public Guid Id { get; set; }

        public DateTime When { get; set; }

        public DateTimeOffset Offset { get; set; }

        public DateOnly Date { get; set; }

        public TimeOnly Time { get; set; }

        public Color Color { get; set; }

        public int? MaybeInt { get; set; }

        public Color? MaybeColor { get; set; }

        public List<string> Tags { get; set; } = [];
    }
}
