using System.ComponentModel.DataAnnotations;
using System.Text;

namespace XSystem.Validation;

/// <summary>
/// Thrown when input does not validate against a model. <see cref="Errors"/> lists every problem with its location;
/// <see cref="ToString"/> renders a multi-line report.
/// </summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class ModelValidationException : ValidationException
{
    /// <summary>Creates the exception.</summary>
    public ModelValidationException()
        : this("Validation failed.")
    {
    }

    /// <summary>Creates the exception with a message and no errors.</summary>
    /// <param name="message">The message.</param>
    public ModelValidationException(string message)
        : base(message)
    {
        Errors = [];
        Title = "";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = [];
        Title = "";
    }

    /// <summary>Creates the exception for a model and its errors.</summary>
    /// <param name="title">The model name shown in the report.</param>
    /// <param name="errors">Every problem found.</param>
    public ModelValidationException(string title, IReadOnlyList<ModelError> errors)
        : base(BuildMessage(title, errors))
    {
        ArgumentNullException.ThrowIfNull(errors);
        Title = title;
        Errors = errors;
    }

    /// <summary>The name of the model that failed.</summary>
    public string Title { get; }

    /// <summary>Every problem found, in input order.</summary>
    public IReadOnlyList<ModelError> Errors { get; }

    /// <summary>The number of errors (pydantic's <c>error_count()</c>).</summary>
    public int ErrorCount => Errors.Count;

    /// <summary>Renders the readable report: a heading, then each location with its message and type.</summary>
    /// <returns>The multi-line report.</returns>
    public override string ToString() => Message;

    private static string BuildMessage(string title, IReadOnlyList<ModelError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var sb = new StringBuilder();
        sb.Append(errors.Count).Append(errors.Count == 1 ? " validation error for " : " validation errors for ").Append(title);
        foreach (var e in errors)
        {
            sb.Append('\n');
            e.Render(sb);
        }

        return sb.ToString();
    }
}
