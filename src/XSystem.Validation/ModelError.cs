using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace XSystem.Validation;

/// <summary>One validation problem: where (<see cref="Loc"/>), what (<see cref="Type"/>), a readable message and the offending input.</summary>
/// <remarks>Thread safety: immutable.</remarks>
public sealed class ModelError
{
    /// <summary>Creates an error.</summary>
    /// <param name="loc">Path segments: field names (strings) and collection indexes (ints).</param>
    /// <param name="type">The stable machine code, for example <c>missing</c> or <c>int_parsing</c>.</param>
    /// <param name="message">A readable message.</param>
    /// <param name="input">The offending input value, if any.</param>
    public ModelError(IReadOnlyList<object> loc, string type, string message, object? input)
    {
        ArgumentNullException.ThrowIfNull(loc);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(message);
        Loc = loc;
        Type = type;
        Message = message;
        Input = input;
    }

    /// <summary>Path segments of the problem: field names (strings, as they appear in JSON) and indexes (ints).</summary>
    public IReadOnlyList<object> Loc { get; }

    /// <summary>The stable machine code of the problem (pydantic's error types: <c>missing</c>, <c>int_parsing</c>, <c>greater_than_equal</c> ...).</summary>
    public string Type { get; }

    /// <summary>A readable description of the problem.</summary>
    public string Message { get; }

    /// <summary>The offending input (JSON inputs are given as <see cref="JsonNode"/>); null when missing.</summary>
    public object? Input { get; }

    /// <summary>The location as a dotted path, for example <c>address.zip</c> or <c>tags.3</c>.</summary>
    public string Path => Loc.Count == 0 ? "(root)" : string.Join('.', Loc.Select(s => Convert.ToString(s, CultureInfo.InvariantCulture)));

    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message} [type={Type}]";

    internal static string FormatInput(object? input) => input switch
    {
        null => "null",
        string s => "'" + s + "'",
        JsonNode n => n.ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => input.ToString() ?? "",
    };

    internal void Render(StringBuilder sb)
    {
        sb.Append(Path).Append('\n');
        sb.Append("  ").Append(Message).Append(" [type=").Append(Type);
        if (Type != "missing")
        {
            sb.Append(", input=").Append(FormatInput(Input));
        }

        sb.Append(']');
    }
}
