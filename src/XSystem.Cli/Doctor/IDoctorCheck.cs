namespace XSystem.Cli.Doctor;

/// <summary>A module's self-check, run by <c>xsys doctor</c>.</summary>
internal interface IDoctorCheck
{
    /// <summary>The module the check belongs to, for example <c>XSystem.IO</c>.</summary>
    string Module { get; }

    /// <summary>What the check does, in a few words.</summary>
    string Description { get; }

    /// <summary>Runs the check. Throwing counts as a failure with the exception's message.</summary>
    ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken);
}

/// <summary>The outcome of one self-check.</summary>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="Detail">What was found, for example <c>atomic write, read-back and lock OK (3 ms)</c>.</param>
internal readonly record struct CheckResult(bool Passed, string Detail)
{
    public static CheckResult Pass(string detail) => new(true, detail);

    public static CheckResult Fail(string detail) => new(false, detail);
}
