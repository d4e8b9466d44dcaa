namespace XSystem.Cli.Doctor;

/// <summary>Checks that XSystem.Core loads and its helpers give the expected answers.</summary>
internal sealed class CoreCheck : IDoctorCheck
{
    public string Module => "XSystem.Core";

    public string Description => "version and byte-size round trip";

    public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        long parsed = ByteSize.Parse(ByteSize.Format(3L * 1024 * 1024));
        return ValueTask.FromResult(parsed == 3L * 1024 * 1024
            ? CheckResult.Pass($"version {XSystemInfo.Version}")
            : CheckResult.Fail($"ByteSize round trip gave {parsed} bytes instead of {3L * 1024 * 1024}"));
    }
}
