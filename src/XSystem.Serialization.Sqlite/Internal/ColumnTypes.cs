namespace XSystem.Serialization.Sqlite.Internal;

/// <summary>What a column's declared type tells the reader beyond SQLite's storage classes.</summary>
internal enum ColumnMeaning
{
    /// <summary>Values read as their storage class says.</summary>
    Plain,

    /// <summary>Declared BOOLEAN or BOOL: integers 0 and 1 read as false and true.</summary>
    Boolean,

    /// <summary>Declared JSON: text holding an object or array reads as that subtree.</summary>
    Json,

    /// <summary>Declared DATETIME or TIMESTAMP: ISO 8601 round-trip text reads as a date-time.</summary>
    DateTime,

    /// <summary>Declared DATE: <c>yyyy-MM-dd</c> text reads as a date.</summary>
    Date,

    /// <summary>Declared TIME: <c>HH:mm:ss.fffffff</c> text reads as a time of day.</summary>
    Time,
}

/// <summary>The declared column types the writer uses, and how the reader interprets declared types.</summary>
internal static class ColumnTypes
{
    public const string Integer = "INTEGER";
    public const string Real = "REAL";
    public const string Text = "TEXT";
    public const string Blob = "BLOB";
    public const string Boolean = "BOOLEAN";
    public const string Json = "JSON";
    public const string DateTime = "DATETIME";
    public const string Date = "DATE";
    public const string Time = "TIME";

    public static ColumnMeaning MeaningOf(string declared) => declared.Trim().ToUpperInvariant() switch
    {
        "BOOLEAN" or "BOOL" => ColumnMeaning.Boolean,
        "JSON" => ColumnMeaning.Json,
        "DATETIME" or "TIMESTAMP" => ColumnMeaning.DateTime,
        "DATE" => ColumnMeaning.Date,
        "TIME" => ColumnMeaning.Time,
        _ => ColumnMeaning.Plain,
    };
}
