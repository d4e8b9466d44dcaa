namespace XSystem.Cli.Doctor;

/// <summary>How far along a module is. The README's module table shows the same values.</summary>
internal enum ModuleStatus
{
    /// <summary>Not started.</summary>
    Planned,

    /// <summary>Partly built; not every point of its issue holds yet.</summary>
    InProgress,

    /// <summary>Built, tested and documented.</summary>
    Done,
}

/// <summary>One XSystem module as the doctor reports it.</summary>
/// <param name="Name">The package name, for example <c>XSystem.IO</c>.</param>
/// <param name="Status">Its status.</param>
/// <param name="Summary">One line on what it does.</param>
internal sealed record ModuleInfo(string Name, ModuleStatus Status, string Summary);

/// <summary>The single list of modules and their status; the README table is checked against it by a test.</summary>
internal static class ModuleCatalog
{
    public static IReadOnlyList<ModuleInfo> All { get; } =
    [
        new("XSystem.Core", ModuleStatus.Done, "errors, guards, byte sizes"),
        new("XSystem.IO", ModuleStatus.Done, "atomic durable writes, safe reads, path guard, file lock, file watcher"),
        new("XSystem.Terminal", ModuleStatus.Done, "colors, progress bars, tables, prompts"),
        new("XSystem.Serialization", ModuleStatus.Done, "one API for 18 formats, detection, conversion"),
        new("XSystem.Caching", ModuleStatus.Done, "LRU, LFU and TTL caches; Redis scale-out"),
        new("XSystem.Security", ModuleStatus.Done, "AEAD, X25519, Ed25519, hashing, KDFs, X.509"),
        new("XSystem.Validation", ModuleStatus.Done, "declarative models, coercion, JSON Schema"),
        new("XSystem.Threading", ModuleStatus.Done, "async locks, semaphores, events, queues, pools"),
        new("XSystem.Time", ModuleStatus.Done, "human durations, time-ago, ISO 8601, time zones"),
        new("XSystem.Http", ModuleStatus.Done, "HTTP/2 client with retries, timeouts and a mock transport"),
        new("XSystem.Monitoring", ModuleStatus.Done, "system and process information, monitor, leak detector"),
        new("XSystem.Ipc", ModuleStatus.Done, "process manager, worker pool, shared memory, queues, pipes"),
    ];

    public static string Label(ModuleStatus status) => status switch
    {
        ModuleStatus.Done => "done",
        ModuleStatus.InProgress => "in progress",
        _ => "planned",
    };
}
