namespace XSystem.Cli.Doctor;

/// <summary>The self-checks <c>xsys doctor</c> runs, one or more per module. Each new module adds its own here.</summary>
internal static class DoctorChecks
{
    public static IReadOnlyList<IDoctorCheck> Create() =>
    [
        new CoreCheck(),
        new IoCheck(),
        new TerminalCheck(),
        new SerializationCheck(),
        new ThreadingCheck(),
        new TimeCheck(),
        new RedisCheck(),
        new SecurityCheck(),
        new MonitoringCheck(),
        new HttpCheck(),
        new IpcCheck(),
    ];
}

/// <summary>The checks a <see cref="Commands.DoctorCommand"/> runs; registered in the app so tests can supply their own.</summary>
/// <param name="Checks">The checks, in the order they run.</param>
internal sealed record DoctorCheckSet(IReadOnlyList<IDoctorCheck> Checks);
