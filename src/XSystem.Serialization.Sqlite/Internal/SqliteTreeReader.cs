using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using XSystem.Serialization.Internal;

namespace XSystem.Serialization.Sqlite.Internal;

/// <summary>Reads every user table of an opened (hardened, read-only) database into <c>{ table: [ {column: value} ] }</c>.</summary>
internal sealed class SqliteTreeReader
{
    // Every cell counts at least this much against MaxBytes, so a file of millions of tiny cells cannot
    // grow into a tree many times its own size.
    private const int MinimumCellCost = 8;

    private readonly SqliteConnection _connection;
    private readonly SerializerOptions _options;
    private readonly SqliteOptions _sqliteOptions;
    private long _budget;

    // How deep a row object sits: 3 under { table: [ row ] }, 2 when the rows are the root array.
    private int _rowDepth = 3;

    public SqliteTreeReader(SqliteConnection connection, SerializerOptions options)
    {
        _connection = connection;
        _options = options;
        _sqliteOptions = options.GetFormatOptions<SqliteOptions>();
        _budget = options.MaxBytes;
    }

    public JsonNode Read()
    {
        Execute("PRAGMA query_only = ON; PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON;");
        if (_sqliteOptions.VerifyIntegrity)
        {
            CheckIntegrity();
        }

        List<string> tables = ListTables();
        if (tables.Count == 1 && string.Equals(tables[0], _sqliteOptions.RootArrayTable, StringComparison.Ordinal))
        {
            // The list convention: the one table that stands for a root array.
            _rowDepth = 2;
            return ReadTable(tables[0]);
        }

        var root = new JsonObject();
        foreach (string table in tables)
        {
            if (_options.MaxDepth < 2)
            {
                FormatGuards.ThrowTooDeep(_options, SqliteFormat.FormatName, path: "$");
            }

            root[table] = ReadTable(table);
        }

        return root;
    }

    private void Execute(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void CheckIntegrity()
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(1)";
        string? verdict = command.ExecuteScalar() as string;
        if (!string.Equals(verdict, "ok", StringComparison.Ordinal))
        {
            throw new SerializationException(SqliteFormat.FormatName, $"the database is corrupted (SQLite's integrity check says: {verdict ?? "no answer"})");
        }
    }

    /// <summary>Ordinary tables of the main schema in creation order: no views, virtual or shadow tables, none of SQLite's own.</summary>
    private List<string> ListTables()
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText =
            "SELECT s.name FROM main.sqlite_schema AS s JOIN pragma_table_list AS l ON l.schema = 'main' AND l.name = s.name " +
            "WHERE s.type = 'table' AND l.type = 'table' ORDER BY s.rowid";
        var tables = new List<string>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            // A damaged schema can hold anything; names that are not text are skipped rather than trusted.
            if (reader.GetValue(0) is string name && !name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            {
                tables.Add(name);
            }
        }

        return tables;
    }

    private List<(string Name, ColumnMeaning Meaning)> ListColumns(string table)
    {
        using SqliteCommand command = _connection.CreateCommand();
        // hidden: 0 ordinary, 1 hidden column of a virtual table, 2 and 3 generated columns (read like any other).
        command.CommandText = "SELECT name, type FROM pragma_table_xinfo($table, 'main') WHERE hidden <> 1 ORDER BY cid";
        command.Parameters.AddWithValue("$table", table);
        var columns = new List<(string, ColumnMeaning)>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            string declared = reader.GetValue(1) as string ?? string.Empty;
            columns.Add((reader.GetValue(0) as string ?? string.Empty, ColumnTypes.MeaningOf(declared)));
        }

        return columns;
    }

    private JsonArray ReadTable(string table)
    {
        List<(string Name, ColumnMeaning Meaning)> columns = ListColumns(table);
        var rows = new JsonArray();
        if (columns.Count == 0)
        {
            return rows;
        }

        using SqliteCommand command = _connection.CreateCommand();
        var sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(SqlText.Quote(columns[i].Name));
        }

        command.CommandText = sql.Append(" FROM main.").Append(SqlText.Quote(table)).ToString();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (_options.MaxDepth < _rowDepth)
            {
                FormatGuards.ThrowTooDeep(_options, SqliteFormat.FormatName, path: rows.GetPath());
            }

            var row = new JsonObject();
            rows.Add(row);
            for (int i = 0; i < columns.Count; i++)
            {
                row[columns[i].Name] = ReadCell(reader, i, columns[i].Meaning, row);
            }
        }

        return rows;
    }

    private JsonNode? ReadCell(SqliteDataReader reader, int ordinal, ColumnMeaning meaning, JsonObject row)
    {
        object value = reader.GetValue(ordinal);
        switch (value)
        {
            case DBNull:
                Spend(MinimumCellCost);
                return null;
            case long integer:
                Spend(MinimumCellCost);
                if (meaning == ColumnMeaning.Boolean && integer is 0 or 1)
                {
                    return JsonValue.Create(integer == 1);
                }

                return JsonValue.Create(integer);
            case double real:
                Spend(MinimumCellCost);
                return JsonValue.Create(real);
            case byte[] blob:
                Spend(Math.Max(MinimumCellCost, blob.Length));
                return JsonValue.Create(blob);
            case string text:
                Spend(Math.Max(MinimumCellCost, text.Length));
                return ReadText(text, meaning, row);
            default:
                throw new SerializationException(SqliteFormat.FormatName, $"SQLite returned an unexpected value of type {value.GetType().Name}", path: row.GetPath());
        }
    }

    private JsonNode? ReadText(string text, ColumnMeaning meaning, JsonObject row)
    {
        switch (meaning)
        {
            case ColumnMeaning.Json when text.Length > 0 && text[0] is '{' or '[':
                return ReadJsonCell(text, row);
            case ColumnMeaning.DateTime:
                if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset offsetTime))
                {
                    return JsonValue.Create(offsetTime);
                }

                if (DateTime.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime dateTime))
                {
                    return JsonValue.Create(dateTime);
                }

                break;
            case ColumnMeaning.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date):
                return JsonValue.Create(date);
            case ColumnMeaning.Time when TimeOnly.TryParseExact(text, "HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly time):
                return JsonValue.Create(time);
        }

        return JsonValue.Create(text);
    }

    /// <summary>Text in a column declared JSON that holds an object or array becomes that subtree; anything that is not valid JSON stays text.</summary>
    private JsonNode? ReadJsonCell(string text, JsonObject row)
    {
        JsonNode? cell;
        try
        {
            cell = Formats.Json.Parse(Encoding.UTF8.GetBytes(text), _options);
        }
        catch (SerializationLimitException)
        {
            throw;
        }
        catch (SerializationException)
        {
            return JsonValue.Create(text);
        }

        // The cell sits in a row; its own nesting must fit in what is left.
        if (_rowDepth + Depth(cell) > _options.MaxDepth)
        {
            FormatGuards.ThrowTooDeep(_options, SqliteFormat.FormatName, path: row.GetPath());
        }

        return cell;
    }

    private static int Depth(JsonNode? node)
    {
        if (node is not (JsonObject or JsonArray))
        {
            return 0;
        }

        int deepest = 0;
        var stack = new Stack<(JsonNode Node, int Depth)>();
        stack.Push((node, 1));
        while (stack.Count > 0)
        {
            (JsonNode current, int depth) = stack.Pop();
            deepest = Math.Max(deepest, depth);
            IEnumerable<JsonNode?> children = current is JsonObject obj ? obj.Select(p => p.Value) : (JsonArray)current;
            foreach (JsonNode? child in children)
            {
                if (child is JsonObject or JsonArray)
                {
                    stack.Push((child, depth + 1));
                }
            }
        }

        return deepest;
    }

    private void Spend(long cost)
    {
        _budget -= cost;
        if (_budget < 0)
        {
            throw new SerializationLimitException(SqliteFormat.FormatName, "MaxBytes", _options.MaxBytes, "set SerializerOptions.MaxBytes higher (the tree read from the database would be larger)");
        }
    }
}
