using System.Diagnostics.CodeAnalysis;
using Spectre.Console.Cli;

namespace XSystem.Cli;

/// <summary>
/// A minimal constructor-injection container for Spectre.Console.Cli: commands receive the console and
/// the doctor's check set through their constructors, so tests can substitute both.
/// </summary>
internal sealed class TypeRegistrar : ITypeRegistrar
{
    private readonly Dictionary<Type, List<Func<TypeResolver, object>>> _registrations = [];

    public void Register(Type service, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type implementation) =>
        Add(service, resolver => resolver.Create(implementation));

    public void RegisterInstance(Type service, object implementation) =>
        Add(service, _ => implementation);

    public void RegisterLazy(Type service, Func<object> factory)
    {
        var lazy = new Lazy<object>(factory);
        Add(service, _ => lazy.Value);
    }

    public ITypeResolver Build() => new TypeResolver(_registrations.ToDictionary(p => p.Key, p => p.Value.ToArray()));

    private void Add(Type service, Func<TypeResolver, object> factory)
    {
        if (!_registrations.TryGetValue(service, out var list))
        {
            _registrations[service] = list = [];
        }

        list.Add(factory);
    }

    internal sealed class TypeResolver(Dictionary<Type, Func<TypeResolver, object>[]> registrations) : ITypeResolver
    {
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The CLI is not compiled ahead of time.")]
        public object? Resolve(Type? type)
        {
            if (type is null)
            {
                return null;
            }

            if (registrations.TryGetValue(type, out var factories))
            {
                return factories[^1](this);
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            {
                Type element = type.GetGenericArguments()[0];
                var all = registrations.TryGetValue(element, out var many) ? many : [];
                var array = Array.CreateInstance(element, all.Length);
                for (int i = 0; i < all.Length; i++)
                {
                    array.SetValue(all[i](this), i);
                }

                return array;
            }

            return type.IsAbstract || type.IsInterface ? null : Create(type);
        }

        [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "The CLI is not trimmed; command types are rooted by registration.")]
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The CLI is not trimmed; command types are rooted by registration.")]
        public object Create(Type implementation)
        {
            var constructor = implementation.GetConstructors()
                .OrderByDescending(c => c.GetParameters().Length)
                .FirstOrDefault();
            if (constructor is null)
            {
                return Activator.CreateInstance(implementation)
                    ?? throw new InvalidOperationException($"Could not create {implementation.FullName}.");
            }

            object?[] arguments = constructor.GetParameters()
                .Select(p => Resolve(p.ParameterType)
                    ?? throw new InvalidOperationException($"{implementation.Name} needs a {p.ParameterType.Name}, and none is registered."))
                .ToArray();
            return constructor.Invoke(arguments);
        }
    }
}
