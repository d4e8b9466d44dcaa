using System.Globalization;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Bson.Internal;

/// <summary>The MongoDB Extended JSON v2 (relaxed) keys and value shapes the tree uses for BSON types JSON lacks.</summary>
internal static class ExtendedJson
{
    public const string ObjectId = "$oid";
    public const string DateKey = "$date";
    public const string NumberLong = "$numberLong";
    public const string NumberInt = "$numberInt";
    public const string NumberDouble = "$numberDouble";
    public const string Decimal = "$numberDecimal";
    public const string BinaryKey = "$binary";
    public const string Timestamp = "$timestamp";
    public const string Regex = "$regularExpression";
    public const string DbPointer = "$dbPointer";
    public const string Code = "$code";
    public const string Scope = "$scope";
    public const string Symbol = "$symbol";
    public const string Undefined = "$undefined";
    public const string MinKey = "$minKey";
    public const string MaxKey = "$maxKey";

    private const long MinIsoMilliseconds = 0; // 1970-01-01T00:00:00Z
    private const long MaxIsoMilliseconds = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

    /// <summary>Relaxed form: an ISO 8601 UTC string for years 1970-9999, else <c>{"$numberLong": "ms"}</c>.</summary>
    public static JsonObject Date(long milliseconds)
    {
        if (milliseconds is >= MinIsoMilliseconds and <= MaxIsoMilliseconds)
        {
            DateTime utc = DateTime.UnixEpoch.AddMilliseconds(milliseconds);
            string format = milliseconds % 1000 == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            return new JsonObject { [DateKey] = utc.ToString(format, CultureInfo.InvariantCulture) };
        }

        return new JsonObject { [DateKey] = new JsonObject { [NumberLong] = milliseconds.ToString(CultureInfo.InvariantCulture) } };
    }

    /// <summary><c>{"$binary": {"base64": ..., "subType": "hh"}}</c>.</summary>
    public static JsonObject Binary(ReadOnlySpan<byte> payload, byte subType) => new()
    {
        [BinaryKey] = new JsonObject
        {
            ["base64"] = Convert.ToBase64String(payload),
            ["subType"] = subType.ToString("x2", CultureInfo.InvariantCulture),
        },
    };

    /// <summary>Milliseconds since the Unix epoch, rounded down (BSON dates hold milliseconds).</summary>
    public static long ToMilliseconds(DateTimeOffset value)
    {
        long ticks = value.UtcTicks - DateTime.UnixEpoch.Ticks;
        long milliseconds = ticks / TimeSpan.TicksPerMillisecond;
        return ticks % TimeSpan.TicksPerMillisecond < 0 ? milliseconds - 1 : milliseconds;
    }
}
