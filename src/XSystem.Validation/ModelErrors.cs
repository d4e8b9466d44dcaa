using XSystem.Validation.Internal;

namespace XSystem.Validation;

/// <summary>Collects problems found by a model-level <see cref="XModel.Validate(ModelErrors)"/> override.</summary>
/// <remarks>Thread safety: use only inside the validation call that passed it; not thread-safe.</remarks>
public sealed class ModelErrors
{
    private readonly ValidationState _state;
    private readonly ModelPlan _plan;
    private int _added;

    internal ModelErrors(ValidationState state, ModelPlan plan)
    {
        _state = state;
        _plan = plan;
    }

    /// <summary>The number of problems added through this collector.</summary>
    public int Count => _added;

    /// <summary>Adds a <c>value_error</c> located at a field (C# or JSON name) or at the model itself (null).</summary>
    /// <param name="field">The field name, or null for the whole model.</param>
    /// <param name="message">A readable message.</param>
    public void Add(string? field, string message) => Add(field, "value_error", message, null);

    /// <summary>Adds a problem with an explicit type code.</summary>
    /// <param name="field">The field name (C# or JSON name), or null for the whole model.</param>
    /// <param name="type">The machine code, for example <c>value_error</c> or a custom code.</param>
    /// <param name="message">A readable message.</param>
    /// <param name="input">The offending value, if any.</param>
    public void Add(string? field, string type, string message, object? input)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(message);
        IReadOnlyList<object> loc = field is null ? [] : [_plan.FindField(field)?.WireName ?? field];
        _state.AddAt(loc, type, message, input);
        _added++;
    }
}
