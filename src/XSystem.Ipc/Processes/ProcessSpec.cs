namespace XSystem.Ipc;

/// <summary>When a <see cref="ProcessManager"/> starts a process again after it exits.</summary>
public enum RestartPolicy
{
    /// <summary>Never restart (the default).</summary>
    Never,

    /// <summary>Restart when the process exits with a non-zero code or is killed by a signal.</summary>
    OnFailure,

    /// <summary>Restart whenever the process exits, unless it was stopped through the manager.</summary>
    Always,
}

/// <summary>What a <see cref="ProcessManager"/> runs and how it restarts it.</summary>
/// <remarks>Thread safety: set the properties before <see cref="ProcessManager.Start"/>; the manager copies them.</remarks>
public sealed class ProcessSpec
{
    /// <summary>Creates a spec for <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    /// <param name="fileName">The program (a path, or a name looked up in PATH).</param>
    /// <param name="arguments">Its arguments, passed as they are (no shell splitting).</param>
    public ProcessSpec(string fileName, params IEnumerable<string> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        FileName = fileName;
        Arguments = [.. arguments];
    }

    /// <summary>The program.</summary>
    public string FileName { get; }

    /// <summary>The arguments.</summary>
    public IList<string> Arguments { get; }

    /// <summary>Environment variables to set (a <see langword="null"/> value removes one). Default empty: the manager's environment is inherited.</summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Working directory; <see langword="null"/> (the default) for the manager's current directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>When to restart. Default <see cref="RestartPolicy.Never"/>.</summary>
    public RestartPolicy RestartPolicy { get; set; } = RestartPolicy.Never;

    /// <summary>Delay before the first restart; each further restart within <see cref="RestartWindow"/> doubles it. Default 1 second.</summary>
    public TimeSpan InitialRestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the restart delay. Default 30 seconds.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most restarts allowed within <see cref="RestartWindow"/>; one more failure ends in <see cref="ManagedProcessState.Failed"/>. Default 5.</summary>
    public int MaxRestarts { get; set; } = 5;

    /// <summary>The sliding window for <see cref="MaxRestarts"/> and for the backoff exponent. Default 1 minute.</summary>
    public TimeSpan RestartWindow { get; set; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialRestartDelay, TimeSpan.Zero, "spec.InitialRestartDelay");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRestartDelay, InitialRestartDelay, "spec.MaxRestartDelay");
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRestarts, "spec.MaxRestarts");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RestartWindow, TimeSpan.Zero, "spec.RestartWindow");
        if (!Enum.IsDefined(RestartPolicy))
        {
            throw new ArgumentOutOfRangeException("spec.RestartPolicy", RestartPolicy, "Unknown restart policy.");
        }
    }

    internal ProcessSpec Copy()
    {
        var copy = new ProcessSpec(FileName, Arguments)
        {
            WorkingDirectory = WorkingDirectory,
            RestartPolicy = RestartPolicy,
            InitialRestartDelay = InitialRestartDelay,
            MaxRestartDelay = MaxRestartDelay,
            MaxRestarts = MaxRestarts,
            RestartWindow = RestartWindow,
        };
        foreach (KeyValuePair<string, string?> pair in Environment)
        {
            copy.Environment[pair.Key] = pair.Value;
        }

        return copy;
    }
}
