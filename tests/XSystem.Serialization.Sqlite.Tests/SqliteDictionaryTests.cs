using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace XSystem.Serialization.Sqlite.Tests;

public sealed class SqliteDictionaryTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DbPath => _temp.Combine("store.db");

    private SqliteDictionary<T> Open<T>(SqliteDictionaryOptions? options = null) => new(DbPath, options);

    [Fact]
    public void Crud_SetGetContainsRemoveCountKeysClear_Work()
    {
        using SqliteDictionary<string> dict = Open<string>();

        dict["b"] = "two";
        dict["a"] = "one";
        dict["a"] = "uno";
        dict.Add("c", "three");

        dict["a"].ShouldBe("uno");
        dict.Count.ShouldBe(3);
        dict.Keys.ShouldBe(["a", "b", "c"]);
        dict.Values.ShouldBe(["uno", "two", "three"]);
        dict.ContainsKey("b").ShouldBeTrue();
        dict.TryGetValue("zzz", out string? missing).ShouldBeFalse();
        missing.ShouldBeNull();
        Should.Throw<KeyNotFoundException>(() => dict["zzz"]).Message.ShouldContain("zzz");
        Should.Throw<ArgumentException>(() => dict.Add("c", "again"));
        dict.Remove("b").ShouldBeTrue();
        dict.Remove("b").ShouldBeFalse();
        dict.Select(p => p.Key).ShouldBe(["a", "c"]);
        dict.Clear();
        dict.Count.ShouldBe(0);
    }

    [Fact]
    public async Task AsyncVariants_Work()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using SqliteDictionary<int> dict = Open<int>();

        await dict.SetAsync("x", 5, ct);

        (await dict.GetAsync("x", ct)).ShouldBe(5);
        (await dict.ContainsKeyAsync("x", ct)).ShouldBeTrue();
        (await dict.CountAsync(ct)).ShouldBe(1);
        (await dict.GetValueOrDefaultAsync("nope", -1, ct)).ShouldBe(-1);
        await Should.ThrowAsync<KeyNotFoundException>(async () => await dict.GetAsync("nope", ct));
        (await dict.RemoveAsync("x", ct)).ShouldBeTrue();
        (await dict.ContainsKeyAsync("x", ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task SetAsync_Cancelled_ThrowsAndWritesNothing()
    {
        await using SqliteDictionary<int> dict = Open<int>();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(async () => await dict.SetAsync("x", 1, cts.Token));

        dict.ContainsKey("x").ShouldBeFalse();
    }

    [Fact]
    public void Values_ComplexObjects_RoundTripThroughTheFormat()
    {
        var order = new Order("A-1", [new Line("widget", 3), new Line("gadget", 1)], new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using (SqliteDictionary<Order> dict = Open<Order>())
        {
            dict["order"] = order;
        }

        using SqliteDictionary<Order> reopened = Open<Order>();
        Order back = reopened["order"];

        back.Id.ShouldBe(order.Id);
        back.Lines.ShouldBe(order.Lines);
        back.At.ShouldBe(order.At);
    }

    [Fact]
    public void Persistence_AcrossInstances_KeepsData()
    {
        using (SqliteDictionary<long> first = Open<long>())
        {
            first["visits"] = 41;
        }

        using SqliteDictionary<long> second = Open<long>();
        second["visits"] += 1;

        second["visits"].ShouldBe(42);
    }

    [Fact]
    public void JsonValues_StoredAsReadableText()
    {
        using (SqliteDictionary<Line> dict = Open<Line>())
        {
            dict["k"] = new Line("w", 2);
        }

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT json_extract(value, '$.Quantity') FROM xsystem_dict WHERE key = 'k'";
        command.ExecuteScalar().ShouldBe(2L);
    }

    [Fact]
    public void BinaryFormatAndCustomTable_StoredAsBlobsInThatTable()
    {
        var options = new SqliteDictionaryOptions { Format = new BinaryJsonFormat(), TableName = "my \"odd\" table", Durability = SqliteDurability.Normal };
        using (SqliteDictionary<int> dict = Open<int>(options))
        {
            dict["n"] = 7;
            dict["n"].ShouldBe(7);
        }

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(value) FROM \"my \"\"odd\"\" table\"";
        command.ExecuteScalar().ShouldBe("blob");
    }

    [Fact]
    public void Keys_AreCaseSensitiveAndHostileKeysAreSafe()
    {
        using SqliteDictionary<int> dict = Open<int>();
        string[] keys = ["Key", "key", "'; DROP TABLE xsystem_dict; --", "", "名前 🎉", "a\0b"];

        for (int i = 0; i < keys.Length; i++)
        {
            dict[keys[i]] = i;
        }

        dict.Count.ShouldBe(keys.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            dict[keys[i]].ShouldBe(i);
        }
    }

    [Fact]
    public void Key_WithLoneSurrogate_Rejected()
    {
        using SqliteDictionary<int> dict = Open<int>();

        Should.Throw<ArgumentException>(() => dict["\ud800"] = 1);
    }

    [Fact]
    public void Transaction_Committed_AppliesAllWrites()
    {
        using SqliteDictionary<int> dict = Open<int>();

        using (SqliteDictionaryTransaction<int> tx = dict.Transaction())
        {
            tx["a"] = 1;
            tx["b"] = 2;
            tx.Count.ShouldBe(2);
            tx.Commit();
        }

        dict.Count.ShouldBe(2);
    }

    [Fact]
    public void Transaction_DisposedWithoutCommit_RollsBack()
    {
        using SqliteDictionary<int> dict = Open<int>();
        dict["keep"] = 1;

        using (SqliteDictionaryTransaction<int> tx = dict.Transaction())
        {
            tx["keep"] = 100;
            tx["new"] = 2;
            tx.Remove("keep");
        }

        dict["keep"].ShouldBe(1);
        dict.ContainsKey("new").ShouldBeFalse();
    }

    [Fact]
    public void Batch_WorkThrows_RollsBackAndRethrows()
    {
        using SqliteDictionary<int> dict = Open<int>();
        dict["balance"] = 100;

        Should.Throw<InvalidOperationException>(() => dict.Batch(tx =>
        {
            tx["balance"] -= 30;
            tx["log"] = 30;
            throw new InvalidOperationException("boom");
        })).Message.ShouldBe("boom");

        dict["balance"].ShouldBe(100);
        dict.ContainsKey("log").ShouldBeFalse();
    }

    [Fact]
    public async Task BatchAsync_WorkThrows_RollsBack()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using SqliteDictionary<int> dict = Open<int>();

        await Should.ThrowAsync<InvalidOperationException>(async () => await dict.BatchAsync(async (tx, token) =>
        {
            tx["x"] = 1;
            await Task.Yield();
            throw new InvalidOperationException("boom");
        }, ct));
        await dict.BatchAsync((tx, token) =>
        {
            tx["y"] = 2;
            return ValueTask.CompletedTask;
        }, ct);

        dict.ContainsKey("x").ShouldBeFalse();
        dict["y"].ShouldBe(2);
    }

    [Fact]
    public void Transaction_UncommittedWrites_InvisibleToOtherConnections()
    {
        using SqliteDictionary<int> writer = Open<int>();
        using SqliteDictionary<int> reader = Open<int>();

        using SqliteDictionaryTransaction<int> tx = writer.Transaction();
        tx["pending"] = 1;

        reader.ContainsKey("pending").ShouldBeFalse();
        tx.Commit();
        reader["pending"].ShouldBe(1);
    }

    [Fact]
    public void Transaction_UsedAfterCommit_Throws()
    {
        using SqliteDictionary<int> dict = Open<int>();
        SqliteDictionaryTransaction<int> tx = dict.Transaction();
        tx.Commit();

        Should.Throw<InvalidOperationException>(() => tx["a"] = 1);
        Should.Throw<InvalidOperationException>(tx.Commit);
    }

    [Fact]
    public void Dictionary_UsedDirectlyInsideOwnTransactionOnSameThread_ThrowsInsteadOfDeadlocking()
    {
        using SqliteDictionary<int> dict = Open<int>();
        using SqliteDictionaryTransaction<int> tx = dict.Transaction();

        Should.Throw<InvalidOperationException>(() => dict["a"] = 1).Message.ShouldContain("transaction object");
    }

    [Fact]
    public void SecondWriter_WhileTransactionHeld_TimesOutWithBusyException()
    {
        var quick = new SqliteDictionaryOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) };
        using SqliteDictionary<int> holder = Open<int>();
        using SqliteDictionary<int> other = Open<int>(quick);
        using SqliteDictionaryTransaction<int> tx = holder.Transaction();
        tx["x"] = 1;

        SqliteDictionaryBusyException ex = Should.Throw<SqliteDictionaryBusyException>(() => other["y"] = 2);

        ex.DatabasePath.ShouldBe(DbPath);
        ex.ShouldBeAssignableTo<TimeoutException>();
        other.ContainsKey("x").ShouldBeFalse("readers are not blocked by the writer in WAL mode");
    }

    [Fact]
    public void ThreadsOfOneInstance_IncrementingInBatches_LoseNoUpdate()
    {
        using SqliteDictionary<long> dict = Open<long>(new SqliteDictionaryOptions { Durability = SqliteDurability.Normal });

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (int i = 0; i < 50; i++)
            {
                dict.Batch(tx => tx["n"] = (tx.TryGetValue("n", out long n) ? n : 0) + 1);
            }
        });

        dict["n"].ShouldBe(200);
    }

    [Fact]
    public void Open_NotADatabase_ThrowsDictionaryExceptionNamingFile()
    {
        File.WriteAllText(DbPath, "this is plainly not a SQLite database, but long enough to have a header...........................................");

        SqliteDictionaryException ex = Should.Throw<SqliteDictionaryException>(() => Open<int>());

        ex.DatabasePath.ShouldBe(DbPath);
        ex.Message.ShouldContain(DbPath);
        ex.ShouldBeAssignableTo<IOException>();
    }

    [Fact]
    public void Open_MissingDirectory_ThrowsDictionaryException()
    {
        string path = _temp.Combine(Path.Combine("no", "such", "dir", "x.db"));

        Should.Throw<SqliteDictionaryException>(() => new SqliteDictionary<int>(path)).SqliteErrorCode.ShouldBe(14);
    }

    [Fact]
    public void Disposed_OperationsThrowObjectDisposed()
    {
        SqliteDictionary<int> dict = Open<int>();
        dict.Dispose();

        Should.Throw<ObjectDisposedException>(() => dict["a"] = 1);
    }

    [Fact]
    public void Dispose_CheckpointsSoSerializerLoadSeesTheEntries()
    {
        using (SqliteDictionary<int> dict = Open<int>())
        {
            dict["a"] = 1;
        }

        File.Exists(DbPath + "-wal").ShouldBeFalse();
        JsonNode tree = Serializer.Load(DbPath)!;
        tree["xsystem_dict"]![0]!["key"]!.GetValue<string>().ShouldBe("a");
        tree["xsystem_dict"]![0]!["value"]!.GetValue<string>().ShouldBe("1");
    }

    [Fact]
    public void Options_InvalidValues_Rejected()
    {
        Should.Throw<ArgumentException>(() => new SqliteDictionaryOptions { TableName = "sqlite_x" });
        Should.Throw<ArgumentException>(() => new SqliteDictionaryOptions { TableName = "a\0b" });
        Should.Throw<ArgumentOutOfRangeException>(() => new SqliteDictionaryOptions { BusyTimeout = TimeSpan.FromSeconds(-1) });
        new SqliteDictionaryOptions().Format.Name.ShouldBe("json");
        new SqliteDictionaryOptions().BusyTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        new SqliteDictionaryOptions().Durability.ShouldBe(SqliteDurability.Full);
    }

    public sealed record Line(string Item, int Quantity);

    public sealed record Order(string Id, List<Line> Lines, DateTimeOffset At)
    {
        public List<Line> Lines { get; init; } = Lines;
    }

    /// <summary>JSON bytes presented as a binary format, to check that binary formats are stored as BLOBs.</summary>
    private sealed class BinaryJsonFormat : IFormat
    {
        public string Name => "binary-json-test";

        public IReadOnlyList<string> Aliases => [];

        public IReadOnlyList<string> Extensions => [".bjt"];

        public IReadOnlyList<string> MediaTypes => ["application/x-bjt"];

        public FormatCapabilities Capabilities => FormatCapabilities.Tree;

        public JsonNode? Parse(ReadOnlySpan<byte> data, SerializerOptions options) => Formats.Json.Parse(data, options);

        public void Write(JsonNode? tree, System.Buffers.IBufferWriter<byte> output, SerializerOptions options) => Formats.Json.Write(tree, output, options);

        public double Probe(ReadOnlySpan<byte> sample) => 0;
    }
}
