using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace XSystem.Serialization;

/// <summary>
/// The format registry: every format by name, extension or media type, and content detection.
/// Formats of referenced satellite packages (XSystem.Serialization.Yaml, .Toml, .Csv ...) are found automatically;
/// asking for one whose package is missing throws <see cref="FormatNotAvailableException"/> naming the package.
/// </summary>
/// <remarks>Thread safety: all members are thread-safe. <see cref="Register(IFormat)"/> may run concurrently with lookups.</remarks>
public static partial class Formats
{
    /// <summary>A format that lives in a satellite package, known by name before the package is loaded.</summary>
    private sealed record Satellite(string AssemblyName, string[] Names, string[] Extensions, string[] MediaTypes);

    private static readonly Satellite[] KnownSatellites =
    [
        new("XSystem.Serialization.Yaml", ["yaml", "yml"], [".yaml", ".yml"], ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"]),
        new("XSystem.Serialization.Toml", ["toml"], [".toml"], ["application/toml"]),
        new("XSystem.Serialization.Csv", ["csv", "tsv", "tab"], [".csv", ".tsv", ".tab"], ["text/csv", "text/tab-separated-values"]),
        new("XSystem.Serialization.MessagePack", ["msgpack", "messagepack", "mpk"], [".msgpack", ".mpk", ".mp"], ["application/msgpack", "application/x-msgpack", "application/vnd.msgpack"]),
        new("XSystem.Serialization.Bson", ["bson"], [".bson"], ["application/bson"]),
        new("XSystem.Serialization.Sqlite", ["sqlite", "sqlite3", "db"], [".sqlite", ".sqlite3", ".db"], ["application/vnd.sqlite3", "application/x-sqlite3"]),
    ];

    private static readonly Lock Gate = new();
    private static readonly HashSet<string> LoadedSatellites = new(StringComparer.Ordinal);
    private static volatile Registry _registry = Registry.Empty;
    private static bool _initialized;

    /// <summary>Every available format: the built-in ones, those of referenced satellite packages, and registered ones.</summary>
    public static IReadOnlyList<IFormat> All
    {
        get
        {
            EnsureInitialized();
            LoadAllSatellites();
            return _registry.Ordered;
        }
    }

    /// <summary>Adds (or replaces, by name) a format. Its name, aliases, extensions and media types become lookups.</summary>
    /// <param name="format">The format.</param>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The format has no name.</exception>
    public static void Register(IFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentException.ThrowIfNullOrWhiteSpace(format.Name, nameof(format));
        EnsureInitialized();
        lock (Gate)
        {
            _registry = _registry.With(format);
        }
    }

    /// <summary>Finds a format by its name or an alias, case-insensitively: <c>json</c>, <c>json5</c>, <c>yaml</c>/<c>yml</c>, <c>msgpack</c> ...</summary>
    /// <param name="name">The name.</param>
    /// <returns>The format.</returns>
    /// <exception cref="FormatNotAvailableException">No format has that name, or its satellite package is not referenced (the message names it).</exception>
    public static IFormat FromName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return TryFromName(name, out IFormat? format) ? format : throw NotAvailable(name, s => s.Names, Normalize(name));
    }

    /// <summary>Finds a format by name or alias without throwing.</summary>
    /// <param name="name">The name.</param>
    /// <param name="format">The format when found.</param>
    /// <returns>True when found.</returns>
    public static bool TryFromName(string? name, [NotNullWhen(true)] out IFormat? format)
    {
        // Fast path for canonical lower-case names (what Formats.Json and friends pass): no normalising allocation.
        if (name is not null && Volatile.Read(ref _initialized) && _registry.ByName.TryGetValue(name, out format))
        {
            return true;
        }

        return TryLookup(Normalize(name), r => r.ByName, s => s.Names, out format);
    }

    /// <summary>Finds a format by file extension (<c>.yml</c>, <c>yml</c> or a file name such as <c>config.yml</c>), case-insensitively.</summary>
    /// <param name="extension">The extension, with or without the dot, or a path.</param>
    /// <returns>The format.</returns>
    /// <exception cref="FormatNotAvailableException">No format has that extension, or its satellite package is not referenced.</exception>
    public static IFormat FromExtension(string extension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(extension);
        string key = NormalizeExtension(extension);
        return TryFromExtension(extension, out IFormat? format) ? format : throw NotAvailable(extension, s => s.Extensions, key);
    }

    /// <summary>Finds a format by file extension without throwing.</summary>
    /// <param name="extension">The extension, with or without the dot, or a path.</param>
    /// <param name="format">The format when found.</param>
    /// <returns>True when found.</returns>
    public static bool TryFromExtension(string? extension, [NotNullWhen(true)] out IFormat? format) =>
        TryLookup(NormalizeExtension(extension), r => r.ByExtension, s => s.Extensions, out format);

    /// <summary>Finds a format by media type (<c>application/toml</c>; parameters such as <c>; charset=utf-8</c> are ignored).</summary>
    /// <param name="mediaType">The media type.</param>
    /// <returns>The format.</returns>
    /// <exception cref="FormatNotAvailableException">No format has that media type, or its satellite package is not referenced.</exception>
    public static IFormat FromMediaType(string mediaType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaType);
        string key = NormalizeMediaType(mediaType);
        return TryFromMediaType(mediaType, out IFormat? format) ? format : throw NotAvailable(mediaType, s => s.MediaTypes, key);
    }

    /// <summary>Finds a format by media type without throwing.</summary>
    /// <param name="mediaType">The media type.</param>
    /// <param name="format">The format when found.</param>
    /// <returns>True when found.</returns>
    public static bool TryFromMediaType(string? mediaType, [NotNullWhen(true)] out IFormat? format) =>
        TryLookup(NormalizeMediaType(mediaType), r => r.ByMediaType, s => s.MediaTypes, out format);

    private static bool TryLookup(
        string key,
        Func<Registry, FrozenDictionary<string, IFormat>> map,
        Func<Satellite, string[]> satelliteKeys,
        [NotNullWhen(true)] out IFormat? format)
    {
        format = null;
        if (key.Length == 0)
        {
            return false;
        }

        EnsureInitialized();
        if (map(_registry).TryGetValue(key, out format))
        {
            return true;
        }

        foreach (Satellite satellite in KnownSatellites)
        {
            if (Array.IndexOf(satelliteKeys(satellite), key) >= 0 && TryLoadSatellite(satellite))
            {
                return map(_registry).TryGetValue(key, out format);
            }
        }

        return false;
    }

    private static FormatNotAvailableException NotAvailable(string requested, Func<Satellite, string[]> satelliteKeys, string key)
    {
        foreach (Satellite satellite in KnownSatellites)
        {
            if (Array.IndexOf(satelliteKeys(satellite), key) >= 0)
            {
                return new FormatNotAvailableException(requested, satellite.AssemblyName);
            }
        }

        return new FormatNotAvailableException(requested, (string?)null);
    }

    private static void EnsureInitialized()
    {
        if (Volatile.Read(ref _initialized))
        {
            return;
        }

        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            AddFromAssembly(typeof(Formats).Assembly);
            Volatile.Write(ref _initialized, true);
        }
    }

    private static void LoadAllSatellites()
    {
        foreach (Satellite satellite in KnownSatellites)
        {
            TryLoadSatellite(satellite);
        }
    }

    private static bool TryLoadSatellite(Satellite satellite)
    {
        lock (Gate)
        {
            if (LoadedSatellites.Contains(satellite.AssemblyName))
            {
                return true;
            }
        }

        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(satellite.AssemblyName));
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (FileLoadException)
        {
            return false;
        }
        catch (BadImageFormatException)
        {
            return false;
        }

        lock (Gate)
        {
            if (LoadedSatellites.Add(satellite.AssemblyName))
            {
                AddFromAssembly(assembly);
            }
        }

        return true;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "RegisterFormatAttribute keeps the format's public parameterless constructor.")]
    private static void AddFromAssembly(Assembly assembly)
    {
        // Called under Gate.
        Registry registry = _registry;
        foreach (RegisterFormatAttribute attribute in assembly.GetCustomAttributes<RegisterFormatAttribute>())
        {
            var format = (IFormat)Activator.CreateInstance(attribute.FormatType)!;
            if (!registry.ByName.ContainsKey(format.Name))
            {
                registry = registry.With(format);
            }
        }

        _registry = registry;
    }

    private static string Normalize(string? name) => name?.Trim().ToLowerInvariant() ?? string.Empty;

    private static string NormalizeExtension(string? extension)
    {
        if (string.IsNullOrWhiteSpace(extension))
        {
            return string.Empty;
        }

        string trimmed = extension.Trim();
        string ext = trimmed.StartsWith('.') && trimmed.IndexOfAny(['/', '\\']) < 0 && trimmed.LastIndexOf('.') == 0
            ? trimmed
            : Path.GetExtension(trimmed);
        if (ext.Length == 0)
        {
            ext = "." + trimmed;
        }

        return ext.ToLowerInvariant();
    }

    private static string NormalizeMediaType(string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(mediaType))
        {
            return string.Empty;
        }

        int semicolon = mediaType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? mediaType : mediaType[..semicolon]).Trim().ToLowerInvariant();
    }

    /// <summary>An immutable snapshot of the registered formats; replaced whole on change.</summary>
    private sealed class Registry
    {
        public static readonly Registry Empty = new([]);

        private Registry(List<IFormat> ordered)
        {
            Ordered = ordered.AsReadOnly();
            var byName = new Dictionary<string, IFormat>(StringComparer.Ordinal);
            var byExtension = new Dictionary<string, IFormat>(StringComparer.Ordinal);
            var byMediaType = new Dictionary<string, IFormat>(StringComparer.Ordinal);
            foreach (IFormat format in ordered)
            {
                byName.TryAdd(Normalize(format.Name), format);
                foreach (string alias in format.Aliases)
                {
                    byName.TryAdd(Normalize(alias), format);
                }

                foreach (string extension in format.Extensions)
                {
                    byExtension.TryAdd(NormalizeExtension(extension), format);
                }

                foreach (string mediaType in format.MediaTypes)
                {
                    byMediaType.TryAdd(NormalizeMediaType(mediaType), format);
                }
            }

            ByName = byName.ToFrozenDictionary(StringComparer.Ordinal);
            ByExtension = byExtension.ToFrozenDictionary(StringComparer.Ordinal);
            ByMediaType = byMediaType.ToFrozenDictionary(StringComparer.Ordinal);
        }

        public System.Collections.ObjectModel.ReadOnlyCollection<IFormat> Ordered { get; }

        public FrozenDictionary<string, IFormat> ByName { get; }

        public FrozenDictionary<string, IFormat> ByExtension { get; }

        public FrozenDictionary<string, IFormat> ByMediaType { get; }

        public Registry With(IFormat format)
        {
            var list = new List<IFormat>(Ordered.Count + 1);
            foreach (IFormat existing in Ordered)
            {
                if (!string.Equals(existing.Name, format.Name, StringComparison.OrdinalIgnoreCase))
                {
                    list.Add(existing);
                }
            }

            // A newly registered format wins over earlier ones for shared aliases, extensions and media types.
            list.Insert(0, format);
            return new Registry(list);
        }
    }
}
