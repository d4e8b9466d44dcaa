using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Nodes;
using XSystem.Validation.Internal;

namespace XSystem.Validation;

/// <summary>
/// Validation entry points for any model type, including records and classes that do not derive from
/// <see cref="XModel{TSelf}"/> (for example <c>record Point(int X, int Y)</c>).
/// </summary>
/// <remarks>Thread safety: all members are safe to call from any thread; plans are built once per type.</remarks>
public static class ModelValidator
{
    /// <summary>Validates <paramref name="input"/> as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="input">Dictionary, <see cref="JsonNode"/>, <see cref="System.Text.Json.JsonElement"/>, JSON text (a string) or any object.</param>
    /// <param name="strict">When true only exact JSON types are accepted.</param>
    /// <returns>The validated model.</returns>
    /// <exception cref="ModelValidationException">The input is not valid.</exception>
    public static T Validate<T>(object? input, bool strict = false)
        where T : class
    {
        var plan = PlanOf<T>.Plan;
        var r = input is string json ? plan.ValidateJson(json, strict, out var errors) : plan.Validate(input, strict, out errors);
        return r as T ?? throw Fail(plan, errors);
    }

    /// <summary>Parses and validates JSON text as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="json">JSON text.</param>
    /// <param name="strict">When true only exact JSON types are accepted.</param>
    /// <returns>The validated model.</returns>
    /// <exception cref="ModelValidationException">The JSON is malformed or not valid.</exception>
    public static T ValidateJson<T>(string json, bool strict = false)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        var plan = PlanOf<T>.Plan;
        var r = plan.ValidateJson(json, strict, out var errors);
        return r as T ?? throw Fail(plan, errors);
    }

    /// <summary>Parses and validates UTF-8 JSON as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="utf8Json">UTF-8 JSON.</param>
    /// <param name="strict">When true only exact JSON types are accepted.</param>
    /// <returns>The validated model.</returns>
    /// <exception cref="ModelValidationException">The JSON is malformed or not valid.</exception>
    public static T ValidateJson<T>(ReadOnlySpan<byte> utf8Json, bool strict = false)
        where T : class
    {
        var plan = PlanOf<T>.Plan;
        var r = plan.ValidateJson(utf8Json, strict, out var errors);
        return r as T ?? throw Fail(plan, errors);
    }

    /// <summary>Validates without throwing.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="input">The input.</param>
    /// <param name="model">The model when valid.</param>
    /// <param name="errors">Every problem; empty when valid.</param>
    /// <param name="strict">When true only exact JSON types are accepted.</param>
    /// <returns>True when valid.</returns>
    public static bool TryValidate<T>(object? input, [NotNullWhen(true)] out T? model, out IReadOnlyList<ModelError> errors, bool strict = false)
        where T : class
    {
        var plan = PlanOf<T>.Plan;
        var r = input is string json ? plan.ValidateJson(json, strict, out var list) : plan.Validate(input, strict, out list);
        model = r as T;
        errors = model is null ? (IReadOnlyList<ModelError>?)list ?? [new ModelError([], "model_type", "Input is not valid", input)] : [];
        return model is not null;
    }

    /// <summary>Returns the JSON Schema (draft 2020-12) of a model type.</summary>
    /// <param name="modelType">An <see cref="XModel{TSelf}"/> subclass or a record.</param>
    /// <returns>A new <see cref="JsonObject"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelType"/> is not a model type.</exception>
    public static JsonObject JsonSchema(Type modelType)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        if (!ModelPlan.IsModelType(modelType))
        {
            throw new ArgumentException($"'{modelType.FullName}' is not a model type: derive it from XModel<T> or declare it as a record class.", nameof(modelType));
        }

        return ModelPlan.For(modelType).JsonSchema();
    }

    /// <summary>Returns the JSON Schema (draft 2020-12) of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <returns>A new <see cref="JsonObject"/>.</returns>
    public static JsonObject JsonSchema<T>()
        where T : class => PlanOf<T>.Plan.JsonSchema();

    /// <summary>Dumps any model (records included) to a JSON object.</summary>
    /// <param name="model">The model.</param>
    /// <returns>A new <see cref="JsonObject"/>.</returns>
    public static JsonObject Dump(object model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ModelPlan.For(model.GetType()).Dump(model);
    }

    private static ModelValidationException Fail(ModelPlan plan, List<ModelError>? errors) =>
        new(plan.Title, (IReadOnlyList<ModelError>?)errors ?? [new ModelError([], "model_type", "Input should be an object", null)]);

    private static class PlanOf<T>
    {
        private static ModelPlan? _plan;

        // Not a static readonly initializer: a model definition error must surface as itself, not as a TypeInitializationException.
        public static ModelPlan Plan => _plan ??= ModelPlan.For(typeof(T));
    }
}
