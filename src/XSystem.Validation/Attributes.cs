namespace XSystem.Validation;

/// <summary>What a model does with input properties that match none of its fields.</summary>
public enum ExtraPolicy
{
    /// <summary>Unknown properties are ignored (the default).</summary>
    Ignore = 0,

    /// <summary>Unknown properties are errors of type <c>extra_forbidden</c>; the schema says <c>additionalProperties: false</c>.</summary>
    Forbid = 1,

    /// <summary>Unknown properties are kept in <see cref="XModel.ModelExtra"/>.</summary>
    Allow = 2,
}

/// <summary>
/// Declares the constraints and metadata of one model field (the counterpart of pydantic's <c>Field(...)</c>).
/// Numeric bounds use <see cref="double.NaN"/> and lengths use -1 for "not set".
/// </summary>
/// <remarks>Thread safety: attributes are read once when a model's plan is built; treat instances as immutable.</remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
public sealed class FieldAttribute : Attribute
{
    /// <summary>Inclusive lower bound (<c>value &gt;= Ge</c>). Default: not set.</summary>
    public double Ge { get; set; } = double.NaN;

    /// <summary>Exclusive lower bound (<c>value &gt; Gt</c>). Default: not set.</summary>
    public double Gt { get; set; } = double.NaN;

    /// <summary>Inclusive upper bound (<c>value &lt;= Le</c>). Default: not set.</summary>
    public double Le { get; set; } = double.NaN;

    /// <summary>Exclusive upper bound (<c>value &lt; Lt</c>). Default: not set.</summary>
    public double Lt { get; set; } = double.NaN;

    /// <summary>The value must be an exact multiple of this number (must be positive). Default: not set.</summary>
    public double MultipleOf { get; set; } = double.NaN;

    /// <summary>Minimum length of a string (in Unicode code points) or a collection (in items). Default: -1 (not set).</summary>
    public int MinLength { get; set; } = -1;

    /// <summary>Maximum length of a string (in Unicode code points) or a collection (in items). Default: -1 (not set).</summary>
    public int MaxLength { get; set; } = -1;

    /// <summary>
    /// A regular expression the string must match somewhere (JSON Schema semantics: anchor it with <c>^...$</c> for a
    /// full match). Evaluated with <see cref="System.Text.RegularExpressions.RegexOptions.ECMAScript"/> when the
    /// pattern allows it. Default: null.
    /// </summary>
    public string? Pattern { get; set; }

    /// <summary>The name of the field in input and output (JSON); the declared and camelCase names are accepted too. Default: null.</summary>
    public string? Alias { get; set; }

    /// <summary>A description copied into the JSON Schema. Default: null.</summary>
    public string? Description { get; set; }

    /// <summary>The value used when the field is missing from the input (converted like input). Setting it makes the field optional. Default: null (not set).</summary>
    public object? Default { get; set; }

    /// <summary>Example values copied into the JSON Schema's <c>examples</c>. Default: null.</summary>
    public object[]? Examples { get; set; }

    /// <summary>When true this field accepts only exact JSON types even in lax mode. Default: false.</summary>
    public bool Strict { get; set; }
}

/// <summary>
/// Marks a static method <c>static T Method(T value)</c> of a model as a validator of the named fields. It runs after
/// the field's conversion and constraints, may return a changed value, and reports a problem by throwing an
/// <see cref="ArgumentException"/>, <see cref="FormatException"/> or
/// <see cref="System.ComponentModel.DataAnnotations.ValidationException"/> (recorded as <c>value_error</c>).
/// </summary>
/// <remarks>Thread safety: attributes are read once when a model's plan is built.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class FieldValidatorAttribute : Attribute
{
    /// <summary>Creates the attribute for the given field (property) names.</summary>
    /// <param name="fields">The C# property names the method validates (use <c>nameof</c>).</param>
    public FieldValidatorAttribute(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        Fields = fields;
    }

    /// <summary>The C# property names the method validates.</summary>
    public IReadOnlyList<string> Fields { get; }
}

/// <summary>Model-wide configuration (the counterpart of pydantic's <c>model_config</c>).</summary>
/// <remarks>Thread safety: attributes are read once when a model's plan is built.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ModelConfigAttribute : Attribute
{
    /// <summary>What to do with unknown input properties. Default: <see cref="ExtraPolicy.Ignore"/>.</summary>
    public ExtraPolicy Extra { get; set; } = ExtraPolicy.Ignore;

    /// <summary>When true every field of this model accepts only exact JSON types. Default: false.</summary>
    public bool Strict { get; set; }

    /// <summary>The title written into the JSON Schema. Default: null (the type name).</summary>
    public string? Title { get; set; }

    /// <summary>A description written into the JSON Schema. Default: null.</summary>
    public string? Description { get; set; }
}
