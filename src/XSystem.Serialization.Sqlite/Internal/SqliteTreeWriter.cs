using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace XSystem.Serialization.Sqlite.Internal;

/// <summary>
/// Writes <c>{ table: [ {column: value} ] }</c> into a fresh in-memory database in one transaction and returns its image.
/// Column types are inferred from the values; identifiers are quoted; every value is bound as a parameter.
/// </summary>
internal sealed class SqliteTreeWriter
{
    private readonly SerializerOptions _options;
    private readonly SerializerOptions _cellJsonOptions;

    public SqliteTreeWriter(SerializerOptions options)
    {
        _options = options;
        _cellJsonOptions = new SerializerOptions
        {
            MaxDepth = options.MaxDepth,
            MaxBytes = options.MaxBytes,
            Indent = false,
            JsonSerializerOptions = options.JsonSerializerOptions,
            FormatOptions = options.FormatOptions,
        };
    }

    /// <summary>How a cell is stored; the declared type of a column follows from the kinds of its values.</summary>
    private enum CellKind
    {
        Null,
        Integer,
        Real,
        Text,
        Blob,
        Boolean,
        Json,
        DateTime,
        Date,
        Time,
    }

    public void Write(JsonNode? tree, IBufferWriter<byte> output)
    {
        List<TablePlan> tables = Plan(tree);
        using SqliteConnection connection = MemoryDatabase.OpenEmpty();
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            foreach (TablePlan table in tables)
            {
                CreateTable(connection, transaction, table);
                InsertRows(connection, transaction, table);
            }

            transaction.Commit();
        }

        if (!MemoryDatabase.Save(connection, output))
        {
            throw new SerializationException(SqliteFormat.FormatName, "SQLite could not copy the written database out of memory (out of memory)");
        }
    }

    private List<TablePlan> Plan(JsonNode? tree)
    {
        var tables = new List<TablePlan>();
        switch (tree)
        {
            case JsonObject obj:
                foreach (KeyValuePair<string, JsonNode?> member in obj)
                {
                    if (member.Value is not JsonArray rows)
                    {
                        throw new SerializationException(
                            SqliteFormat.FormatName,
                            $"a table must be an array of row objects, not {Describe(member.Value)}",
                            path: member.Value?.GetPath() ?? $"{obj.GetPath()}.{member.Key}");
                    }

                    tables.Add(PlanTable(member.Key, rows));
                }

                break;
            case JsonArray array when _options.GetFormatOptions<SqliteOptions>().RootArrayTable is { } rootTable:
                tables.Add(PlanTable(rootTable, array));
                break;
            default:
                throw new SerializationException(
                    SqliteFormat.FormatName,
                    $"a SQLite database holds tables: the root must be an object whose members are arrays of row objects (or an array of row objects, written as one table), not {Describe(tree)}",
                    path: "$");
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (TablePlan table in tables)
        {
            if (!seen.TryAdd(SqlText.FoldAsciiCase(table.Name), table.Name))
            {
                throw new SerializationException(
                    SqliteFormat.FormatName,
                    $"the tables '{seen[SqlText.FoldAsciiCase(table.Name)]}' and '{table.Name}' differ only in letter case, which SQLite treats as the same name",
                    path: table.Rows.GetPath());
            }
        }

        return tables;
    }

    private static TablePlan PlanTable(string name, JsonArray rows)
    {
        CheckIdentifier(name, "table", rows.GetPath());
        if (name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
        {
            throw new SerializationException(SqliteFormat.FormatName, $"the table name '{name}' starts with 'sqlite_', which SQLite reserves for itself", path: rows.GetPath());
        }

        var plan = new TablePlan(name, rows);
        var byFoldedName = new Dictionary<string, ColumnPlan>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not JsonObject row)
            {
                throw new SerializationException(SqliteFormat.FormatName, $"a table row must be an object, not {Describe(rows[i])}", path: rows[i]?.GetPath() ?? $"{rows.GetPath()}[{i}]");
            }

            foreach (KeyValuePair<string, JsonNode?> cell in row)
            {
                string folded = SqlText.FoldAsciiCase(cell.Key);
                if (!byFoldedName.TryGetValue(folded, out ColumnPlan? column))
                {
                    CheckIdentifier(cell.Key, "column", row.GetPath());
                    column = new ColumnPlan(cell.Key);
                    byFoldedName.Add(folded, column);
                    plan.Columns.Add(column);
                }
                else if (!string.Equals(column.Name, cell.Key, StringComparison.Ordinal))
                {
                    throw new SerializationException(
                        SqliteFormat.FormatName,
                        $"the columns '{column.Name}' and '{cell.Key}' differ only in letter case, which SQLite treats as the same name",
                        path: row.GetPath());
                }

                column.Add(KindOf(cell.Value), cell.Value);
            }
        }

        if (rows.Count > 0 && plan.Columns.Count == 0)
        {
            throw new SerializationException(SqliteFormat.FormatName, "every row of this table is an empty object, but a SQLite table needs at least one column", path: rows.GetPath());
        }

        foreach (ColumnPlan column in plan.Columns)
        {
            if (column.HasJson && column.Kinds != (1 << (int)CellKind.Json))
            {
                throw new SerializationException(
                    SqliteFormat.FormatName,
                    $"the column '{column.Name}' mixes objects or arrays with other values; a column holding objects or arrays (stored as JSON text) may hold only objects, arrays and nulls",
                    path: column.FirstJson!.GetPath());
            }
        }

        return plan;
    }

    private static void CheckIdentifier(string name, string what, string path)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new SerializationException(SqliteFormat.FormatName, $"a {what} name holds a NUL character, which SQLite cannot hold in a name", path: path);
        }

        if (SqlText.HasLoneSurrogate(name))
        {
            throw new SerializationException(SqliteFormat.FormatName, $"a {what} name holds an unpaired surrogate, which UTF-8 cannot encode", path: path);
        }
    }

    private static void CreateTable(SqliteConnection connection, SqliteTransaction transaction, TablePlan table)
    {
        var sql = new StringBuilder("CREATE TABLE ").Append(SqlText.Quote(table.Name)).Append(" (");
        if (table.Columns.Count == 0)
        {
            // An empty table: SQLite needs one column; it reads back as an empty array whatever its columns.
            sql.Append("\"value\"");
        }

        for (int i = 0; i < table.Columns.Count; i++)
        {
            ColumnPlan column = table.Columns[i];
            sql.Append(i == 0 ? string.Empty : ", ").Append(SqlText.Quote(column.Name));
            string? declared = DeclaredType(column.Kinds);
            if (declared is not null)
            {
                sql.Append(' ').Append(declared);
            }
        }

        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql.Append(')').ToString();
        command.ExecuteNonQuery();
    }

    /// <summary>One kind of value: its type. Several kinds: no type (no affinity, so each value keeps its storage class).</summary>
    private static string? DeclaredType(int kinds) => kinds switch
    {
        1 << (int)CellKind.Integer => ColumnTypes.Integer,
        1 << (int)CellKind.Real => ColumnTypes.Real,
        1 << (int)CellKind.Text => ColumnTypes.Text,
        1 << (int)CellKind.Blob => ColumnTypes.Blob,
        1 << (int)CellKind.Boolean => ColumnTypes.Boolean,
        1 << (int)CellKind.Json => ColumnTypes.Json,
        1 << (int)CellKind.DateTime => ColumnTypes.DateTime,
        1 << (int)CellKind.Date => ColumnTypes.Date,
        1 << (int)CellKind.Time => ColumnTypes.Time,
        _ => null,
    };

    private void InsertRows(SqliteConnection connection, SqliteTransaction transaction, TablePlan table)
    {
        if (table.Rows.Count == 0)
        {
            return;
        }

        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO ").Append(SqlText.Quote(table.Name)).Append(" (");
        var values = new StringBuilder(") VALUES (");
        var parameters = new SqliteParameter[table.Columns.Count];
        for (int i = 0; i < table.Columns.Count; i++)
        {
            string separator = i == 0 ? string.Empty : ", ";
            string parameterName = "$p" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(separator).Append(SqlText.Quote(table.Columns[i].Name));
            values.Append(separator).Append(parameterName);
            parameters[i] = command.Parameters.Add(parameterName, SqliteType.Text);
        }

        command.CommandText = sql.Append(values).Append(')').ToString();
        command.Prepare();
        foreach (JsonNode? node in table.Rows)
        {
            var row = (JsonObject)node!;
            for (int i = 0; i < parameters.Length; i++)
            {
                ColumnPlan column = table.Columns[i];
                object value = row.TryGetPropertyValue(column.Name, out JsonNode? cell) ? ToStored(cell) : DBNull.Value;
                parameters[i].SqliteType = value switch
                {
                    long => SqliteType.Integer,
                    double => SqliteType.Real,
                    byte[] => SqliteType.Blob,
                    _ => SqliteType.Text,
                };
                parameters[i].Value = value;
            }

            command.ExecuteNonQuery();
        }
    }

    /// <summary>The value SQLite stores for a cell: <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, byte array or <see cref="DBNull"/>.</summary>
    private object ToStored(JsonNode? cell)
    {
        switch (cell)
        {
            case null:
                return DBNull.Value;
            case JsonObject or JsonArray:
                var buffer = new ArrayBufferWriter<byte>();
                Formats.Json.Write(cell, buffer, _cellJsonOptions);
                return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        var value = (JsonValue)cell;
        object raw = value.GetValue<object>();
        switch (raw)
        {
            case JsonElement element:
                return element.ValueKind switch
                {
                    JsonValueKind.String => CheckedText(element.GetString()!, value),
                    JsonValueKind.True => 1L,
                    JsonValueKind.False => 0L,
                    JsonValueKind.Null => DBNull.Value,
                    JsonValueKind.Number when element.TryGetInt64(out long integer) => integer,
                    JsonValueKind.Number when IsIntegerText(element.GetRawText()) => element.GetRawText(),
                    JsonValueKind.Number when element.TryGetDouble(out double real) && double.IsFinite(real) => real,
                    JsonValueKind.Number => element.GetRawText(),
                    _ => throw Unsupported(value, element.ValueKind.ToString()),
                };
            case string text:
                return CheckedText(text, value);
            case bool flag:
                return flag ? 1L : 0L;
            case char c:
                return CheckedText(c.ToString(), value);
            case byte or sbyte or short or ushort or int or uint or long:
                return System.Convert.ToInt64(raw, CultureInfo.InvariantCulture);
            case ulong unsigned:
                return unsigned <= long.MaxValue ? (long)unsigned : unsigned.ToString(CultureInfo.InvariantCulture);
            case BigInteger big:
                return big >= long.MinValue && big <= long.MaxValue ? (long)big : big.ToString(CultureInfo.InvariantCulture);
            case Int128 wide:
                return wide >= long.MinValue && wide <= long.MaxValue ? (long)wide : wide.ToString(CultureInfo.InvariantCulture);
            case UInt128 wideUnsigned:
                return wideUnsigned <= long.MaxValue ? (long)wideUnsigned : wideUnsigned.ToString(CultureInfo.InvariantCulture);
            case double or float or Half or decimal:
                double number = System.Convert.ToDouble(raw is Half half ? (double)half : raw, CultureInfo.InvariantCulture);
                if (double.IsNaN(number))
                {
                    throw new SerializationException(SqliteFormat.FormatName, "SQLite cannot store NaN (it would turn into NULL); store it as a string or null", path: value.GetPath());
                }

                return number;
            case byte[] bytes:
                return bytes;
            case ReadOnlyMemory<byte> memory:
                return memory.ToArray();
            case Memory<byte> memory:
                return memory.ToArray();
            case DateTimeOffset offsetTime:
                return offsetTime.ToString("O", CultureInfo.InvariantCulture);
            case DateTime dateTime:
                return dateTime.ToString("O", CultureInfo.InvariantCulture);
            case DateOnly date:
                return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case TimeOnly time:
                return time.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            default:
                throw Unsupported(value, raw.GetType().Name);
        }
    }

    private static CellKind KindOf(JsonNode? cell)
    {
        switch (cell)
        {
            case null:
                return CellKind.Null;
            case JsonObject or JsonArray:
                return CellKind.Json;
        }

        object raw = ((JsonValue)cell).GetValue<object>();
        return raw switch
        {
            JsonElement element => element.ValueKind switch
            {
                JsonValueKind.String => CellKind.Text,
                JsonValueKind.True or JsonValueKind.False => CellKind.Boolean,
                JsonValueKind.Null => CellKind.Null,
                JsonValueKind.Number when element.TryGetInt64(out _) => CellKind.Integer,
                JsonValueKind.Number when IsIntegerText(element.GetRawText()) => CellKind.Text,
                JsonValueKind.Number when element.TryGetDouble(out double real) && double.IsFinite(real) => CellKind.Real,
                JsonValueKind.Number => CellKind.Text,
                _ => CellKind.Text,
            },
            string or char => CellKind.Text,
            bool => CellKind.Boolean,
            byte or sbyte or short or ushort or int or uint or long => CellKind.Integer,
            ulong unsigned => unsigned <= long.MaxValue ? CellKind.Integer : CellKind.Text,
            BigInteger big => big >= long.MinValue && big <= long.MaxValue ? CellKind.Integer : CellKind.Text,
            Int128 wide => wide >= long.MinValue && wide <= long.MaxValue ? CellKind.Integer : CellKind.Text,
            UInt128 wide => wide <= long.MaxValue ? CellKind.Integer : CellKind.Text,
            double or float or Half or decimal => CellKind.Real,
            byte[] or ReadOnlyMemory<byte> or Memory<byte> => CellKind.Blob,
            DateTimeOffset or DateTime => CellKind.DateTime,
            DateOnly => CellKind.Date,
            TimeOnly => CellKind.Time,

            // Unknown CLR types are reported by ToStored with the value's path.
            _ => CellKind.Text,
        };
    }

    private static bool IsIntegerText(string number)
    {
        foreach (char c in number)
        {
            if (c is '.' or 'e' or 'E')
            {
                return false;
            }
        }

        return true;
    }

    private static string CheckedText(string text, JsonValue value)
    {
        if (SqlText.HasLoneSurrogate(text))
        {
            throw new SerializationException(SqliteFormat.FormatName, "the string holds an unpaired surrogate, which UTF-8 cannot encode", path: value.GetPath());
        }

        return text;
    }

    private static SerializationException Unsupported(JsonValue value, string type) =>
        new(SqliteFormat.FormatName, $"SQLite cannot store a value of type {type}; convert it to a string, number, boolean or byte array first", path: value.GetPath());

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue value => "a " + value.GetValueKind().ToString().ToLowerInvariant(),
        _ => "a value",
    };

    private sealed class TablePlan(string name, JsonArray rows)
    {
        public string Name { get; } = name;

        public JsonArray Rows { get; } = rows;

        public List<ColumnPlan> Columns { get; } = [];
    }

    private sealed class ColumnPlan(string name)
    {
        public string Name { get; } = name;

        /// <summary>A bit per <see cref="CellKind"/> seen in the column, nulls excluded.</summary>
        public int Kinds { get; private set; }

        public bool HasJson => (Kinds & (1 << (int)CellKind.Json)) != 0;

        public JsonNode? FirstJson { get; private set; }

        public void Add(CellKind kind, JsonNode? cell)
        {
            if (kind == CellKind.Null)
            {
                return;
            }

            Kinds |= 1 << (int)kind;
            if (kind == CellKind.Json && FirstJson is null)
            {
                FirstJson = cell;
            }
        }
    }
}
