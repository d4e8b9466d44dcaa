using System.ComponentModel;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using Spectre.Console.Cli;
using XSystem.Cli.Commands.Serialization;
using XSystem.Validation;
using static XSystem.Cli.Commands.Serialization.DataCommandSupport;

namespace XSystem.Cli.Commands.Validation;

/// <summary>
/// <c>xsys schema ASSEMBLY.dll TYPE</c>: loads an assembly into its own load context, finds the model type (full or
/// simple name) and prints its JSON Schema (draft 2020-12).
/// </summary>
internal sealed class SchemaCommand(StandardStreams streams) : AsyncCommand<SchemaCommand.Settings>
{
    /// <summary>Arguments of <c>xsys schema</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<ASSEMBLY>")]
        [Description("The .dll that declares the model.")]
        public string Assembly { get; init; } = string.Empty;

        [CommandArgument(1, "<TYPE>")]
        [Description("The model type: its full name (Namespace.Type) or, when unique, its simple name.")]
        public string Type { get; init; } = string.Empty;
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        RunAsync(streams, () => Task.FromResult(Print(settings)));

    private int Print(Settings settings)
    {
        var path = Path.GetFullPath(settings.Assembly);
        if (!File.Exists(path))
        {
            throw CommandProblemException.Failed($"assembly not found: {settings.Assembly}");
        }

        var alc = new ModelLoadContext(path);
        try
        {
            Assembly assembly;
            try
            {
                assembly = alc.LoadFromAssemblyPath(path);
            }
            catch (BadImageFormatException)
            {
                throw CommandProblemException.Failed($"{settings.Assembly} is not a .NET assembly.");
            }

            var type = FindType(assembly, settings.Type);
            string json;
            try
            {
                json = ModelValidator.JsonSchema(type).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            }
            catch (ArgumentException ex)
            {
                throw CommandProblemException.Failed(ex.Message);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
            {
                throw CommandProblemException.Failed($"{type.FullName}: {ex.Message}");
            }

            var bytes = Encoding.UTF8.GetBytes(json + "\n");
            streams.Output.Write(bytes);
            streams.Output.Flush();
            return XsysApp.ExitOk;
        }
        finally
        {
            alc.Unload();
        }
    }

    private static Type FindType(Assembly assembly, string name)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = [.. ex.Types.OfType<Type>()];
        }

        var exact = types.FirstOrDefault(t => t.FullName == name);
        if (exact is not null)
        {
            return exact;
        }

        var bySimple = types.Where(t => t.Name == name).ToList();
        return bySimple.Count switch
        {
            1 => bySimple[0],
            0 => throw CommandProblemException.Failed($"type '{name}' not found in {assembly.GetName().Name}; give its full name (Namespace.Type)."),
            _ => throw CommandProblemException.Failed($"'{name}' is ambiguous in {assembly.GetName().Name}: {string.Join(", ", bySimple.Select(t => t.FullName))}; give the full name."),
        };
    }

    /// <summary>
    /// Loads the model assembly and its private dependencies from its folder; XSystem, System and every assembly xsys
    /// already has come from the default context, so the model's XModel base is the one this tool knows.
    /// </summary>
    private sealed class ModelLoadContext(string mainPath) : AssemblyLoadContext("xsys-schema", isCollectible: true)
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainPath);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            foreach (var loaded in Default.Assemblies)
            {
                if (AssemblyName.ReferenceMatchesDefinition(assemblyName, loaded.GetName()))
                {
                    return null;
                }
            }

            if (assemblyName.Name is { } n && (n.StartsWith("XSystem", StringComparison.Ordinal) || n.StartsWith("System.", StringComparison.Ordinal)))
            {
                return null;
            }

            var path = _resolver.ResolveAssemblyToPath(assemblyName);
            return path is null ? null : LoadFromAssemblyPath(path);
        }
    }
}
