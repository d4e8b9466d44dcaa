using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace XSystem.Serialization.Sqlite.Tests;

public sealed class SqliteFormatTests : IDisposable
{
    private static readonly SerializerOptions Defaults = SerializerOptions.Default;
    private readonly SqliteFormat _format = new();
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private byte[] Write(JsonNode? tree, SerializerOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        _format.Write(tree, buffer, options ?? Defaults);
        return buffer.WrittenSpan.ToArray();
    }

    private JsonNode? Parse(byte[] bytes, SerializerOptions? options = null) => _format.Parse(bytes, options ?? Defaults);

    /// <summary>Runs a query against a database image written by the format, through a real file.</summary>
    private object? Query(byte[] image, string sql)
    {
        string path = _temp.Combine(Guid.NewGuid().ToString("N") + ".db");
        File.WriteAllBytes(path, image);
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public void Parse_EachStorageClass_MapsToItsTreeType()
    {
        byte[] db = _temp.BuildDatabase(
            "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n);" +
            "INSERT INTO t VALUES (9223372036854775807, 2.5, 'héllo', x'00FF10', NULL);");

        JsonNode tree = Parse(db)!;

        JsonObject row = tree["t"]![0]!.AsObject();
        row.Select(p => p.Key).ShouldBe(["i", "r", "s", "b", "n"]);
        row["i"]!.GetValue<long>().ShouldBe(long.MaxValue);
        row["r"]!.GetValue<double>().ShouldBe(2.5);
        row["s"]!.GetValue<string>().ShouldBe("héllo");
        row["b"]!.GetValue<byte[]>().ShouldBe(new byte[] { 0x00, 0xFF, 0x10 });
        row["n"].ShouldBeNull();
    }

    [Fact]
    public void Parse_UntypedColumn_KeepsEachValuesStorageClass()
    {
        byte[] db = _temp.BuildDatabase("CREATE TABLE t (v); INSERT INTO t VALUES (1), (1.5), ('1'), (x'01'), (NULL);");

        JsonArray rows = Parse(db)!["t"]!.AsArray();

        rows.Select(r => r!["v"]?.GetValue<object>().GetType()).ShouldBe([typeof(long), typeof(double), typeof(string), typeof(byte[]), null]);
    }

    [Fact]
    public void Parse_TablesInCreationOrder_SkipsViewsIndexesTriggersAndInternalTables()
    {
        byte[] db = _temp.BuildDatabase(
            "CREATE TABLE zeta (a INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT);" +
            "CREATE TABLE alpha (x);" +
            "CREATE INDEX ix ON zeta(b);" +
            "CREATE VIEW v AS SELECT * FROM zeta;" +
            "CREATE TRIGGER tr AFTER INSERT ON alpha BEGIN INSERT INTO zeta (b) VALUES ('fired'); END;" +
            "INSERT INTO zeta (b) VALUES ('one'); ANALYZE;");

        JsonObject tree = Parse(db)!.AsObject();

        tree.Select(p => p.Key).ShouldBe(["zeta", "alpha"]);
        tree["zeta"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public void RoundTrip_ObjectOfTables_KeepsTablesColumnsAndValues()
    {
        var tree = new JsonObject
        {
            ["people"] = new JsonArray(
                new JsonObject { ["id"] = 1, ["name"] = "Ada", ["score"] = 9.5, ["active"] = true, ["photo"] = JsonValue.Create(new byte[] { 1, 2 }) },
                new JsonObject { ["id"] = 2, ["name"] = "Linus", ["score"] = null, ["active"] = false, ["photo"] = null }),
            ["tags"] = new JsonArray(new JsonObject { ["tag"] = "x" }),
        };

        JsonNode? back = Parse(Write(tree));

        back!["people"]![0]!["photo"]!.GetValue<byte[]>().ShouldBe(new byte[] { 1, 2 });
        back["people"]![0]!.AsObject().Remove("photo");
        tree["people"]![0]!.AsObject().Remove("photo");
        JsonNode.DeepEquals(back, tree).ShouldBeTrue(back.ToJsonString());
    }

    [Fact]
    public void Write_SingleKindColumns_DeclareInferredTypes()
    {
        var tree = new JsonObject
        {
            ["t"] = new JsonArray(new JsonObject
            {
                ["i"] = 1,
                ["r"] = 1.5,
                ["s"] = "x",
                ["b"] = JsonValue.Create(new byte[] { 1 }),
                ["f"] = true,
                ["j"] = new JsonObject { ["k"] = 1 },
                ["dt"] = JsonValue.Create(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2))),
                ["d"] = JsonValue.Create(new DateOnly(2024, 5, 6)),
                ["tm"] = JsonValue.Create(new TimeOnly(7, 8, 9)),
                ["mixed"] = 1,
                ["empty"] = null,
            }, new JsonObject { ["mixed"] = "one" }),
        };

        byte[] db = Write(tree);

        string? sql = Query(db, "SELECT sql FROM sqlite_schema WHERE name = 't'") as string;
        sql.ShouldBe("CREATE TABLE \"t\" (\"i\" INTEGER, \"r\" REAL, \"s\" TEXT, \"b\" BLOB, \"f\" BOOLEAN, \"j\" JSON, \"dt\" DATETIME, \"d\" DATE, \"tm\" TIME, \"mixed\", \"empty\")");
    }

    [Fact]
    public void RoundTrip_DeclaredMeanings_ReturnBooleansJsonAndDates()
    {
        var when = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(-5)).AddTicks(1234567);
        var utc = new DateTime(2023, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var tree = new JsonObject
        {
            ["t"] = new JsonArray(
                new JsonObject { ["flag"] = true, ["doc"] = new JsonObject { ["a"] = new JsonArray(1, "two") }, ["at"] = JsonValue.Create(when), ["utc"] = JsonValue.Create(utc), ["day"] = JsonValue.Create(new DateOnly(2020, 2, 29)), ["time"] = JsonValue.Create(new TimeOnly(23, 59, 58, 999)) },
                new JsonObject { ["flag"] = false, ["doc"] = new JsonArray(), ["at"] = null, ["utc"] = null, ["day"] = null, ["time"] = null }),
        };

        JsonNode back = Parse(Write(tree))!;

        JsonNode first = back["t"]![0]!;
        first["flag"]!.GetValue<bool>().ShouldBeTrue();
        back["t"]![1]!["flag"]!.GetValue<bool>().ShouldBeFalse();
        JsonNode.DeepEquals(first["doc"], tree["t"]![0]!["doc"]).ShouldBeTrue();
        back["t"]![1]!["doc"].ShouldBeOfType<JsonArray>().Count.ShouldBe(0);
        first["at"]!.GetValue<DateTimeOffset>().ShouldBe(when);
        first["at"]!.GetValue<DateTimeOffset>().Offset.ShouldBe(TimeSpan.FromHours(-5));
        first["utc"]!.GetValue<DateTime>().ShouldBe(utc);
        first["utc"]!.GetValue<DateTime>().Kind.ShouldBe(DateTimeKind.Utc);
        first["day"]!.GetValue<DateOnly>().ShouldBe(new DateOnly(2020, 2, 29));
        first["time"]!.GetValue<TimeOnly>().ShouldBe(new TimeOnly(23, 59, 58, 999));
    }

    [Fact]
    public void RoundTrip_MixedColumn_KeepsEachStorageClassAndStoresBooleansAsIntegers()
    {
        var tree = new JsonObject { ["t"] = new JsonArray(new JsonObject { ["v"] = 1 }, new JsonObject { ["v"] = "1" }, new JsonObject { ["v"] = 1.25 }, new JsonObject { ["v"] = true }) };

        JsonArray rows = Parse(Write(tree))!["t"]!.AsArray();

        rows[0]!["v"]!.GetValue<long>().ShouldBe(1);
        rows[1]!["v"]!.GetValue<string>().ShouldBe("1");
        rows[2]!["v"]!.GetValue<double>().ShouldBe(1.25);
        rows[3]!["v"]!.GetValue<long>().ShouldBe(1, "a boolean in a mixed column is stored as the integer 1 (documented)");
    }

    [Fact]
    public void RoundTrip_RowsWithDifferentKeys_UnionOfColumnsInFirstSeenOrder_MissingReadAsNull()
    {
        var tree = new JsonObject { ["t"] = new JsonArray(new JsonObject { ["a"] = 1 }, new JsonObject { ["b"] = 2, ["a"] = 3 }) };

        JsonArray rows = Parse(Write(tree))!["t"]!.AsArray();

        rows[0]!.AsObject().Select(p => p.Key).ShouldBe(["a", "b"]);
        rows[0]!["b"].ShouldBeNull();
        rows[1]!["a"]!.GetValue<long>().ShouldBe(3);
    }

    [Fact]
    public void RoundTrip_HugeIntegers_StoredAsExactText()
    {
        var tree = new JsonObject { ["t"] = new JsonArray(new JsonObject { ["big"] = JsonNode.Parse("123456789012345678901234567890"), ["wide"] = JsonValue.Create(System.Numerics.BigInteger.Pow(10, 30)) }) };

        JsonNode row = Parse(Write(tree))!["t"]![0]!;

        row["big"]!.GetValue<string>().ShouldBe("123456789012345678901234567890");
        row["wide"]!.GetValue<string>().ShouldBe("1000000000000000000000000000000");
    }

    [Fact]
    public void RoundTrip_Infinity_Preserved()
    {
        var tree = new JsonObject { ["t"] = new JsonArray(new JsonObject { ["x"] = double.PositiveInfinity }, new JsonObject { ["x"] = double.NegativeInfinity }) };

        JsonArray rows = Parse(Write(tree))!["t"]!.AsArray();

        rows[0]!["x"]!.GetValue<double>().ShouldBe(double.PositiveInfinity);
        rows[1]!["x"]!.GetValue<double>().ShouldBe(double.NegativeInfinity);
    }

    public static TheoryData<string> HostileNames() =>
    [
        "with \"quotes\"",
        "\"",
        "'single'",
        "with space",
        "select",
        "table",
        "ORDER",
        "]; DROP TABLE x; --",
        "\"; DROP TABLE x; --",
        "a`b[c]d",
        "ünïcödé 名前 🎉",
        "$p0",
        "?",
        "x\ny",
        "",
    ];

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void RoundTrip_HostileTableAndColumnNames_QuotedSafely(string name)
    {
        var tree = new JsonObject
        {
            ["x"] = new JsonArray(new JsonObject { ["keep"] = "me" }),
            [name + "_t"] = new JsonArray(new JsonObject { [name] = "value", ["other"] = name }),
        };

        JsonNode? back = Parse(Write(tree));

        JsonNode.DeepEquals(back, tree).ShouldBeTrue(back?.ToJsonString());
    }

    [Fact]
    public void Write_ValuesThatLookLikeSql_AreBoundNotExecuted()
    {
        string[] payloads = ["'); DROP TABLE t; --", "1; DELETE FROM t", "x' OR '1'='1", "$p1", "?1", "\0nul\0inside"];
        var rows = new JsonArray(payloads.Select(p => (JsonNode)new JsonObject { ["v"] = p, ["w"] = p }).ToArray());

        byte[] db = Write(new JsonObject { ["t"] = rows });

        Query(db, "SELECT count(*) FROM t").ShouldBe(payloads.Length);
        JsonArray back = Parse(db)!["t"]!.AsArray();
        back.Select(r => r!["v"]!.GetValue<string>()).ShouldBe(payloads);
        back.Select(r => r!["w"]!.GetValue<string>()).ShouldBe(payloads);
    }

    [Fact]
    public void Write_NameWithNul_ThrowsNamingPath()
    {
        var tree = new JsonObject { ["t"] = new JsonArray(new JsonObject { ["a\0b"] = 1 }) };

        var ex = Should.Throw<SerializationException>(() => Write(tree));

        ex.Path.ShouldBe("$.t[0]");
        ex.Message.ShouldContain("NUL");
    }

    [Fact]
    public void Write_NamesDifferingOnlyInCase_ThrowsBecauseSqliteFoldsThem()
    {
        var columns = new JsonObject { ["t"] = new JsonArray(new JsonObject { ["Name"] = 1, ["name"] = 2 }) };
        var tables = new JsonObject { ["T"] = new JsonArray(new JsonObject { ["a"] = 1 }), ["t"] = new JsonArray(new JsonObject { ["a"] = 1 }) };

        Should.Throw<SerializationException>(() => Write(columns)).Message.ShouldContain("letter case");
        Should.Throw<SerializationException>(() => Write(tables)).Message.ShouldContain("letter case");
    }

    [Fact]
    public void Write_NonAsciiCaseVariants_AreDistinctColumns()
    {
        var tree = new JsonObject { ["t"] = new JsonArray(new JsonObject { ["É"] = 1, ["é"] = 2 }) };

        JsonNode.DeepEquals(Parse(Write(tree)), tree).ShouldBeTrue();
    }

    [Fact]
    public void Write_ReservedTableName_Throws() =>
        Should.Throw<SerializationException>(() => Write(new JsonObject { ["sqlite_master"] = new JsonArray() })).Path.ShouldBe("$.sqlite_master");

    [Theory]
    [InlineData("{\"t\": 1}", "$.t")]
    [InlineData("{\"t\": {\"a\": 1}}", "$.t")]
    [InlineData("{\"t\": [1]}", "$.t[0]")]
    [InlineData("{\"t\": [{\"a\": 1}, [2]]}", "$.t[1]")]
    [InlineData("\"text\"", "$")]
    public void Write_TreeNotShapedAsTables_ThrowsNamingPath(string json, string path)
    {
        var ex = Should.Throw<SerializationException>(() => Write(JsonNode.Parse(json)));

        ex.Path.ShouldBe(path);
        ex.FormatName.ShouldBe("sqlite");
    }

    [Fact]
    public void Write_NullTree_Throws() => Should.Throw<SerializationException>(() => Write(null));

    [Fact]
    public void Write_NaN_ThrowsNamingPath()
    {
        var tree = new JsonObject { ["t"] = new JsonArray(new JsonObject { ["x"] = double.NaN }) };

        Should.Throw<SerializationException>(() => Write(tree)).Path.ShouldBe("$.t[0].x");
    }

    [Fact]
    public void Write_ColumnMixingObjectsAndScalars_ThrowsNamingPath()
    {
        var tree = new JsonObject { ["t"] = new JsonArray(new JsonObject { ["x"] = 1 }, new JsonObject { ["x"] = new JsonObject() }) };

        Should.Throw<SerializationException>(() => Write(tree)).Path.ShouldBe("$.t[1].x");
    }

    [Fact]
    public void Write_AllRowsEmpty_ThrowsBecauseATableNeedsAColumn() =>
        Should.Throw<SerializationException>(() => Write(new JsonObject { ["t"] = new JsonArray(new JsonObject()) })).Path.ShouldBe("$.t");

    [Fact]
    public void RoundTrip_EmptyTable_ReadsBackEmpty()
    {
        var tree = new JsonObject { ["empty"] = new JsonArray(), ["full"] = new JsonArray(new JsonObject { ["a"] = 1 }) };

        JsonNode.DeepEquals(Parse(Write(tree)), tree).ShouldBeTrue();
    }

    [Fact]
    public void RoundTrip_EmptyObject_IsAnEmptyDatabase()
    {
        JsonNode? back = Parse(Write(new JsonObject()));

        back.ShouldBeOfType<JsonObject>().Count.ShouldBe(0);
    }

    [Fact]
    public void RoundTrip_RootArray_IsTheDataTableAndComesBackAsAnArray()
    {
        var rows = new JsonArray(new JsonObject { ["a"] = 1 });

        byte[] db = Write(rows);

        Query(db, "SELECT count(*) FROM data").ShouldBe(1L);
        JsonNode.DeepEquals(Parse(db), rows).ShouldBeTrue();
    }

    [Fact]
    public void RootArrayTableNull_RootArrayThrowsAndDataTableReadsAsObject()
    {
        var off = new SerializerOptions { FormatOptions = [new SqliteOptions { RootArrayTable = null }] };
        byte[] db = Write(new JsonArray(new JsonObject { ["a"] = 1 }));

        Should.Throw<SerializationException>(() => Write(new JsonArray(new JsonObject { ["a"] = 1 }), off));
        Parse(db, off).ShouldBeOfType<JsonObject>()["data"].ShouldBeOfType<JsonArray>().Count.ShouldBe(1);
    }

    [Fact]
    public void Parse_NonSqliteBytes_ThrowsSerializationException()
    {
        var ex = Should.Throw<SerializationException>(() => Parse(Encoding.UTF8.GetBytes("{\"json\": true}")));

        ex.FormatName.ShouldBe("sqlite");
        ex.Message.ShouldContain("not a SQLite database");
    }

    [Fact]
    public void Parse_TruncatedDatabase_ThrowsSerializationException()
    {
        byte[] db = Write(new JsonObject { ["t"] = new JsonArray(Enumerable.Range(0, 500).Select(i => (JsonNode)new JsonObject { ["i"] = i, ["s"] = new string('x', 50) }).ToArray()) });

        Should.Throw<SerializationException>(() => Parse(db[..(db.Length / 2)]));
        Should.Throw<SerializationException>(() => Parse(db[..20]));
    }

    [Fact]
    public void Parse_CorruptedPages_ThrowsSerializationException()
    {
        byte[] db = Write(new JsonObject { ["t"] = new JsonArray(Enumerable.Range(0, 500).Select(i => (JsonNode)new JsonObject { ["i"] = i, ["s"] = new string('x', 50) }).ToArray()) });
        byte[] damaged = (byte[])db.Clone();

        // Wipe the b-tree page headers of every page after the schema page.
        for (int page = 4096; page < damaged.Length; page += 4096)
        {
            damaged.AsSpan(page, 12).Fill(0xFF);
        }

        Should.Throw<SerializationException>(() => Parse(damaged)).Message.ShouldContain("corrupt");
    }

    [Fact]
    public void Parse_OverMaxBytes_ThrowsBeforeOpening()
    {
        byte[] db = Write(new JsonObject { ["t"] = new JsonArray(new JsonObject { ["a"] = 1 }) });

        var ex = Should.Throw<SerializationLimitException>(() => Parse(db, new SerializerOptions { MaxBytes = db.Length - 1 }));

        ex.LimitName.ShouldBe("MaxBytes");
    }

    [Fact]
    public void Parse_ManyTinyCellsBeyondMaxBytes_ThrowsLimitException()
    {
        // 40,000 NULL cells take about 100 KB on disk, but would become a tree far larger than the file.
        byte[] db = _temp.BuildDatabase("CREATE TABLE t (a, b, c, d); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) INSERT INTO t SELECT NULL, NULL, NULL, NULL FROM n;");

        var ex = Should.Throw<SerializationLimitException>(() => Parse(db, new SerializerOptions { MaxBytes = db.Length * 2L }));

        ex.LimitName.ShouldBe("MaxBytes");
    }

    [Fact]
    public void Parse_ValueLargerThanMaxBytes_ThrowsLimitException()
    {
        // A generated column computes a value far larger than the file.
        byte[] db = _temp.BuildDatabase("CREATE TABLE t (a INTEGER, big BLOB GENERATED ALWAYS AS (zeroblob(a)) VIRTUAL); INSERT INTO t (a) VALUES (5000000);");

        Should.Throw<SerializationLimitException>(() => Parse(db, new SerializerOptions { MaxBytes = 1_000_000 })).LimitName.ShouldBe("MaxBytes");
    }

    [Fact]
    public void Parse_JsonCellDeeperThanMaxDepth_ThrowsLimitException()
    {
        byte[] db = _temp.BuildDatabase("CREATE TABLE t (j JSON); INSERT INTO t VALUES ('[[[[[[1]]]]]]');");

        Parse(db).ShouldNotBeNull();
        Should.Throw<SerializationLimitException>(() => Parse(db, new SerializerOptions { MaxDepth = 8 })).LimitName.ShouldBe("MaxDepth");
    }

    [Fact]
    public void Parse_JsonColumnWithInvalidJson_KeepsText()
    {
        byte[] db = _temp.BuildDatabase("CREATE TABLE t (j JSON, b BOOLEAN); INSERT INTO t VALUES ('{not json', 7);");

        JsonNode row = Parse(db)!["t"]![0]!;

        row["j"]!.GetValue<string>().ShouldBe("{not json");
        row["b"]!.GetValue<long>().ShouldBe(7);
    }

    [Fact]
    public void Parse_WalModeFile_Reads()
    {
        byte[] db = _temp.BuildDatabase("PRAGMA journal_mode = WAL; CREATE TABLE t (a); INSERT INTO t VALUES (42);", "wal.db");

        db[18].ShouldBe((byte)2);
        Parse(db)!["t"]![0]!["a"]!.GetValue<long>().ShouldBe(42);
    }

    [Fact]
    public void Parse_EmptyInput_IsAnEmptyDatabase() => Parse([]).ShouldBeOfType<JsonObject>().Count.ShouldBe(0);

    [Fact]
    public void Parse_DoesNotRunTriggersOrChangeTheImage()
    {
        byte[] db = _temp.BuildDatabase("CREATE TABLE t (a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM t; END; INSERT INTO t VALUES (1);");
        byte[] copy = (byte[])db.Clone();

        Parse(db).ShouldNotBeNull();

        db.ShouldBe(copy);
    }

    [Fact]
    public void SaveAndLoad_DbFile_RoundTripsThroughSerializer()
    {
        string path = _temp.Combine("app.db");
        var tree = new JsonObject { ["users"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "Ada" }) };

        Serializer.Save(path, tree);
        JsonNode? back = Serializer.Load(path);

        JsonNode.DeepEquals(back, tree).ShouldBeTrue();
        Formats.Detect(File.ReadAllBytes(path))!.Value.Format.Name.ShouldBe("sqlite");
    }

    [Fact]
    public void SaveAndLoad_TypedList_RoundTripsThroughTheDataTable()
    {
        string path = _temp.Combine("people.sqlite");
        List<Person> people = [new("Ada", 36), new("Linus", 28)];

        Serializer.Save(path, people);
        List<Person>? back = Serializer.Load<List<Person>>(path);

        back.ShouldBe(people);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("sqlite3")]
    [InlineData("db")]
    public void FromName_AliasesResolve(string name) => Formats.FromName(name).ShouldBeOfType<SqliteFormat>();

    [Theory]
    [InlineData(".sqlite")]
    [InlineData(".sqlite3")]
    [InlineData(".db")]
    public void FromExtension_ExtensionsResolve(string extension) => Formats.FromExtension(extension).ShouldBeOfType<SqliteFormat>();

    [Fact]
    public void Probe_HeaderScoresOne_OtherInputZero()
    {
        _format.Probe("SQLite format 3\0rest"u8).ShouldBe(1.0);
        _format.Probe("SQLite format 3"u8).ShouldBe(0.0);
        _format.Probe("{\"a\":1}"u8).ShouldBe(0.0);
        _format.Probe([]).ShouldBe(0.0);
    }

    public sealed record Person(string Name, int Age);
}
