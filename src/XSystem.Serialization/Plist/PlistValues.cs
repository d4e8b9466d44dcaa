using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>Conventions shared by the XML and binary property-list readers and writers.</summary>
internal static class PlistValues
{
    /// <summary>The key of the documented UID shape <c>{"$uid": n}</c>.</summary>
    public const string UidKey = "$uid";

    /// <summary>The key Apple's XML form uses for a UID: <c>&lt;dict&gt;&lt;key&gt;CF$UID&lt;/key&gt;&lt;integer&gt;n&lt;/integer&gt;&lt;/dict&gt;</c>.</summary>
    public const string XmlUidKey = "CF$UID";

    /// <summary>Property-list dates count seconds from 2001-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset Epoch = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly BigInteger MinInteger = -(BigInteger.One << 127);

    public static readonly BigInteger MaxInteger = (BigInteger.One << 127) - 1;

    /// <summary>Whether <paramref name="obj"/> is exactly <c>{"$uid": n}</c> with n a non-negative 64-bit integer.</summary>
    public static bool IsUid(JsonObject obj, out long uid)
    {
        uid = 0;
        if (obj.Count != 1 || !obj.TryGetPropertyValue(UidKey, out JsonNode? node) || node is not JsonValue value)
        {
            return false;
        }

        TreeScalar scalar = TreeScalar.From(value);
        if (scalar.Kind == ScalarKind.Integer && scalar.Integer >= 0)
        {
            uid = scalar.Integer;
            return true;
        }

        return false;
    }

    /// <summary>The JSON path of a container's child, for error messages.</summary>
    public static string ChildPath(JsonNode? parent, string? key, int index)
    {
        string parentPath = parent?.GetPath() ?? "$";
        if (key is null)
        {
            return parent is null ? "$" : $"{parentPath}[{index.ToString(CultureInfo.InvariantCulture)}]";
        }

        bool simple = key.Length > 0 && (char.IsLetter(key[0]) || key[0] == '_') && key.All(c => char.IsLetterOrDigit(c) || c == '_');
        return simple ? $"{parentPath}.{key}" : $"{parentPath}['{key.Replace("'", "\\'", StringComparison.Ordinal)}']";
    }

    /// <summary>The exception for a null in the tree: property lists have no null.</summary>
    public static SerializationException NoNull(string format, string path) =>
        new(format, "property lists have no null; remove the member or store a placeholder (an empty string, false)", path: path);

    /// <summary>The exception for an integer beyond the signed 128-bit range property lists hold.</summary>
    public static SerializationException TooBig(string format, string path) =>
        new(format, "the integer is outside the signed 128-bit range a property list holds; store it as a string", path: path);
}
