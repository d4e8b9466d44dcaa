using System.Reflection;
using System.Runtime.CompilerServices;

namespace XSystem.Tests;

/// <summary>Reflection checks of the house API conventions over every XSystem assembly the meta-package brings.</summary>
public class ApiConventionTests
{
    /// <summary>Public types designed for extension: documented base classes.</summary>
    private static readonly HashSet<string> OpenByDesign =
    [
        "XSystem.XSystemException",
        "XSystem.Serialization.SerializationException",
        "XSystem.Serialization.FormatOptions",
    ];

    public static IEnumerable<Assembly> XSystemAssemblies()
    {
        // Touch one type per module so every assembly the meta-package references is loaded.
        _ = typeof(XSystemInfo);
        _ = typeof(XSystem.IO.AtomicFile);
        _ = typeof(XSystem.Terminal.Term);
        _ = typeof(XSystem.Serialization.Serializer);
        _ = XSystem.Serialization.Formats.All;
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name is { } name && name.StartsWith("XSystem", StringComparison.Ordinal) && !name.EndsWith(".Tests", StringComparison.Ordinal))
            .OrderBy(a => a.GetName().Name, StringComparer.Ordinal);
    }

    private static IEnumerable<Type> PublicTypes() => XSystemAssemblies().SelectMany(a => a.GetExportedTypes());

    [Fact]
    public void Assemblies_AreLoaded()
    {
        XSystemAssemblies().Select(a => a.GetName().Name).ShouldContain("XSystem.Serialization.Yaml");
        PublicTypes().Count().ShouldBeGreaterThan(50, "the convention checks must see the public API");
    }

    [Fact]
    public void PublicClasses_AreSealedStaticOrAbstract()
    {
        var open = PublicTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !OpenByDesign.Contains(t.FullName!))
            .Select(t => t.FullName)
            .ToList();

        open.ShouldBeEmpty("public classes must be sealed unless designed for extension (then list them in OpenByDesign)");
    }

    [Fact]
    public void PublicExceptions_DeriveFromABclOrXSystemExceptionAndEndInException()
    {
        foreach (Type type in PublicTypes().Where(t => typeof(Exception).IsAssignableFrom(t) && t != typeof(XSystemException)))
        {
            type.Name.ShouldEndWith("Exception");
            type.BaseType.ShouldNotBe(typeof(Exception), $"{type.FullName} should derive from a more specific BCL exception or XSystemException");
        }
    }

    [Fact]
    public void AsyncMethods_EndInAsyncAndTakeACancellationTokenLast()
    {
        var problems = new List<string>();
        foreach (Type type in PublicTypes())
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.IsSpecialName || !IsAsyncReturn(method.ReturnType) || IsFrameworkOverride(method))
                {
                    continue;
                }

                if (!method.Name.EndsWith("Async", StringComparison.Ordinal))
                {
                    problems.Add($"{type.FullName}.{method.Name}: async method name must end in Async");
                }

                ParameterInfo[] parameters = method.GetParameters();
                if (parameters.Length == 0 || parameters[^1].ParameterType != typeof(CancellationToken))
                {
                    problems.Add($"{type.FullName}.{method.Name}: the last parameter must be a CancellationToken");
                }
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void AsyncEnumerables_HaveEnumeratorCancellation()
    {
        var problems = new List<string>();
        foreach (Type type in PublicTypes())
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                bool isIterator = method.GetCustomAttribute<AsyncIteratorStateMachineAttribute>() is not null;
                if (isIterator && !method.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken) && p.GetCustomAttribute<EnumeratorCancellationAttribute>() is not null))
                {
                    problems.Add($"{type.FullName}.{method.Name}: async iterator without [EnumeratorCancellation] CancellationToken");
                }
            }
        }

        problems.ShouldBeEmpty();
    }

    private static bool IsAsyncReturn(Type type)
    {
        if (type == typeof(Task) || type == typeof(ValueTask))
        {
            return true;
        }

        if (!type.IsGenericType)
        {
            return false;
        }

        Type definition = type.GetGenericTypeDefinition();
        return definition == typeof(Task<>) || definition == typeof(ValueTask<>) || definition == typeof(IAsyncEnumerable<>);
    }

    /// <summary>Overrides and implementations of framework members (Stream.WriteAsync, IAsyncDisposable.DisposeAsync ...) follow the framework's shape.</summary>
    private static bool IsFrameworkOverride(MethodInfo method)
    {
        if (method.Name is "DisposeAsync" or "GetAsyncEnumerator")
        {
            return true;
        }

        MethodInfo baseDefinition = method.GetBaseDefinition();
        if (baseDefinition.DeclaringType is { } declaring && declaring != method.DeclaringType
            && declaring.Assembly.GetName().Name?.StartsWith("XSystem", StringComparison.Ordinal) != true)
        {
            return true;
        }

        return method.DeclaringType!.GetInterfaces()
            .Where(i => i.Assembly.GetName().Name?.StartsWith("XSystem", StringComparison.Ordinal) != true)
            .Any(i => method.DeclaringType.GetInterfaceMap(i).TargetMethods.Contains(method));
    }
}
