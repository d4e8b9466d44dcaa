using System.Text.Json;
using System.Text.Json.Nodes;

namespace XSystem.Validation.Internal;

/// <summary>Per-call mutable state: the current path, the collected errors and the strict flag. Reused per thread.</summary>
internal sealed class ValidationState
{
    [ThreadStatic]
    private static ValidationState? _cached;

    private string?[] _names = new string?[16];
    private int[] _indexes = new int[16];
    private int _depth;

    public List<ModelError>? Errors;
    public bool Strict;

    /// <summary>The deepest path validated before nesting is reported as <c>recursion_loop</c> (guards against cyclic CLR inputs and stack exhaustion).</summary>
    public const int MaxDepth = 256;

    public int ErrorCount => Errors?.Count ?? 0;

    /// <summary>True (after recording <c>recursion_loop</c>) when the path is too deep to descend further.</summary>
    public bool TooDeep(object? input)
    {
        if (_depth <= MaxDepth)
        {
            return false;
        }

        Add("recursion_loop", $"Recursion error: cyclic reference or nesting deeper than {MaxDepth} levels", input is JsonElement or JsonNode ? null : input?.GetType().Name);
        return true;
    }

    public int Depth => _depth;

    public static ValidationState Rent(bool strict)
    {
        var s = _cached ?? new ValidationState();
        _cached = null;
        s.Strict = strict;
        s._depth = 0;
        s.Errors = null;
        return s;
    }

    public static void Return(ValidationState s)
    {
        s.Errors = null;
        _cached = s;
    }

    public void Push(string name)
    {
        if (_depth == _names.Length)
        {
            Grow();
        }

        _names[_depth] = name;
        _depth++;
    }

    public void Push(int index)
    {
        if (_depth == _names.Length)
        {
            Grow();
        }

        _names[_depth] = null;
        _indexes[_depth] = index;
        _depth++;
    }

    public void Pop() => _depth--;

    private void Grow()
    {
        Array.Resize(ref _names, _names.Length * 2);
        Array.Resize(ref _indexes, _indexes.Length * 2);
    }

    public object[] CurrentLoc()
    {
        var loc = new object[_depth];
        for (var i = 0; i < _depth; i++)
        {
            loc[i] = _names[i] ?? (object)_indexes[i];
        }

        return loc;
    }

    public void Add(string type, string message, object? input)
    {
        (Errors ??= []).Add(new ModelError(CurrentLoc(), type, message, ToReportable(input)));
    }

    public void AddAt(IReadOnlyList<object> relative, string type, string message, object? input)
    {
        var loc = new List<object>(CurrentLoc());
        loc.AddRange(relative);
        (Errors ??= []).Add(new ModelError(loc, type, message, ToReportable(input)));
    }

    internal static object? ToReportable(object? input) => input switch
    {
        JsonElement e => JsonHelpers.ToNode(e),
        JsonNode n => n.Parent is null ? n : n.DeepClone(),
        _ => input,
    };
}
