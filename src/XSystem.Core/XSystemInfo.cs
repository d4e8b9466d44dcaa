using System.Reflection;

namespace XSystem;

/// <summary>Facts about the XSystem build that is loaded.</summary>
/// <remarks>Thread safety: immutable; safe from any thread.</remarks>
public static class XSystemInfo
{
    /// <summary>The informational version of XSystem.Core, for example <c>0.1.0</c> (source-revision suffix removed).</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        string? informational = typeof(XSystemInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return typeof(XSystemInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
