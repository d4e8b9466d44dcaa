using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using XSystem.Validation.Internal;

namespace XSystem.Validation;

/// <summary>
/// Non-generic base of every <see cref="XModel{TSelf}"/>: dumping, extra properties and the model-level
/// <see cref="Validate"/> hook.
/// </summary>
/// <remarks>Thread safety: a validated model is as thread-safe as its own properties (immutable when they are init-only).</remarks>
public abstract class XModel : IValidatableModel
{
    /// <summary>Input properties that matched no field when the model's policy is <see cref="ExtraPolicy.Allow"/>; otherwise null.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, JsonNode?>? ModelExtra { get; private set; }

    /// <summary>Returns the model as a JSON object (field names as in JSON: the alias or camelCase name), extras included.</summary>
    /// <returns>A new <see cref="JsonObject"/>.</returns>
    public JsonObject ModelDump() => ModelPlan.For(GetType()).Dump(this);

    /// <summary>Returns the model as JSON text.</summary>
    /// <returns>Compact JSON text.</returns>
    public string ModelDumpJson() => ModelDump().ToJsonString();

    /// <summary>
    /// Model-level (cross-field) rules. Runs after every field validated; add problems to <paramref name="errors"/>.
    /// The default does nothing.
    /// </summary>
    /// <param name="errors">Collects problems; locations are relative to this model.</param>
    protected virtual void Validate(ModelErrors errors)
    {
    }

    void IValidatableModel.Validate(ModelErrors errors) => Validate(errors);

    internal void SetExtra(Dictionary<string, JsonNode?> extra) => ModelExtra = extra;
}

/// <summary>
/// Base class of declarative models (the counterpart of pydantic's <c>BaseModel</c> and the Python <c>XModel</c>):
/// public properties are fields; <see cref="FieldAttribute"/> and DataAnnotations add constraints.
/// </summary>
/// <typeparam name="TSelf">The model type itself.</typeparam>
/// <remarks>Thread safety: all static members are safe to call from any thread; the per-type plan is built once.</remarks>
#pragma warning disable CA1000 // Static members on the generic base are the public contract (User.ModelValidate(...)).
public abstract class XModel<TSelf> : XModel
    where TSelf : XModel<TSelf>
{
    /// <summary>Validates <paramref name="input"/> and creates the model.</summary>
    /// <param name="input">An <see cref="IDictionary{TKey,TValue}"/> with string keys, a <see cref="JsonNode"/>, a
    /// <see cref="System.Text.Json.JsonElement"/>, JSON text (a <see cref="string"/> is parsed as JSON), an instance of the model,
    /// or any object read through its public properties.</param>
    /// <param name="strict">When true only exact JSON types are accepted (no coercion).</param>
    /// <returns>The validated model.</returns>
    /// <exception cref="ModelValidationException">The input is not valid; <see cref="ModelValidationException.Errors"/> lists every problem.</exception>
    public static TSelf ModelValidate(object? input, bool strict = false) =>
        ModelValidator.Validate<TSelf>(input, strict);

    /// <summary>Parses JSON text and validates it.</summary>
    /// <param name="json">JSON text.</param>
    /// <param name="strict">When true only exact JSON types are accepted.</param>
    /// <returns>The validated model.</returns>
    /// <exception cref="ModelValidationException">The JSON is malformed (<c>json_invalid</c>) or not valid.</exception>
    public static TSelf ModelValidateJson(string json, bool strict = false) =>
        ModelValidator.ValidateJson<TSelf>(json, strict);

    /// <summary>Parses UTF-8 JSON and validates it.</summary>
    /// <param name="utf8Json">UTF-8 encoded JSON.</param>
    /// <param name="strict">When true only exact JSON types are accepted.</param>
    /// <returns>The validated model.</returns>
    /// <exception cref="ModelValidationException">The JSON is malformed (<c>json_invalid</c>) or not valid.</exception>
    public static TSelf ModelValidateJson(ReadOnlySpan<byte> utf8Json, bool strict = false) =>
        ModelValidator.ValidateJson<TSelf>(utf8Json, strict);

    /// <summary>Validates without throwing.</summary>
    /// <param name="input">The input (see <see cref="ModelValidate"/>).</param>
    /// <param name="model">The model when valid.</param>
    /// <param name="errors">Every problem when invalid; empty when valid.</param>
    /// <param name="strict">When true only exact JSON types are accepted.</param>
    /// <returns>True when the input is valid.</returns>
    public static bool TryModelValidate(object? input, [NotNullWhen(true)] out TSelf? model, out IReadOnlyList<ModelError> errors, bool strict = false) =>
        ModelValidator.TryValidate(input, out model, out errors, strict);

    /// <summary>Returns the JSON Schema (draft 2020-12) of the model; nested models are in <c>$defs</c>.</summary>
    /// <returns>A new <see cref="JsonObject"/> the caller may modify.</returns>
    public static JsonObject ModelJsonSchema() => ModelValidator.JsonSchema<TSelf>();
}
#pragma warning restore CA1000

/// <summary>Implemented by models (records included) that add model-level rules after field validation.</summary>
/// <remarks>Thread safety: <see cref="Validate"/> is called on the new model by the validating thread only.</remarks>
public interface IValidatableModel
{
    /// <summary>Adds cross-field problems to <paramref name="errors"/>.</summary>
    /// <param name="errors">The collector; locations are relative to the model.</param>
    void Validate(ModelErrors errors);
}
