using System.Text.Json;
using System.Text.Json.Nodes;

namespace XSystem.Validation.Internal;

/// <summary>Per-call mutable state: the current path, the collected errors and the strict flag. Reused per thread.</summary>
internal sealed class ValidationState
{
    [ThreadStatic]
    private static ValidationState? cached;

    private string?[] names = new string?[16];
    private int[] indexes = new int[16];
    private int depth;

    public List<ModelError>? Errors;
    public bool Strict;

    public int ErrorCount => Errors?.Count ?? 0;

    public int Depth => depth;

    public static ValidationState Rent(bool strict)
    {
        var s = cached ?? new ValidationState();
        cached = null;
        s.Strict = strict;
        s.depth = 0;
        s.Errors = null;
        return s;
    }

    public static void Return(ValidationState s)
    {
        s.Errors = null;
        cached = s;
    }

    public void Push(string name)
    {
        if (depth == names.Length)
        {
            Grow();
        }

        names[depth] = name;
        depth++;
    }

    public void Push(int index)
    {
        if (depth == names.Length)
        {
            Grow();
        }

        names[depth] = null;
        indexes[depth] = index;
        depth++;
    }

    public void Pop() => depth--;

    private void Grow()
    {
        Array.Resize(ref names, names.Length * 2);
        Array.Resize(ref indexes, indexes.Length * 2);
    }

    public object[] CurrentLoc()
    {
        var loc = new object[depth];
        for (var i = 0; i < depth; i++)
        {
            loc[i] = names[i] ?? (object)indexes[i];
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
