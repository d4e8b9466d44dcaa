using System.Diagnostics.CodeAnalysis;

namespace XSystem.Serialization;

/// <summary>
/// Declares that an assembly provides a format. <see cref="Formats"/> finds the formats of XSystem.Serialization
/// and of its satellite packages (YAML, TOML, CSV ...) through this attribute, so referencing a satellite package
/// is all it takes: no registration call.
/// </summary>
/// <remarks>The type must be a non-abstract class implementing <see cref="IFormat"/> with a public parameterless constructor.</remarks>
/// <param name="formatType">The format's type.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class RegisterFormatAttribute(
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type formatType) : Attribute
{
    /// <summary>The format's type.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type FormatType { get; } = formatType;
}
