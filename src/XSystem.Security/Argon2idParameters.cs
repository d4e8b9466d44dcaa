namespace XSystem.Security;

/// <summary>
/// Argon2id cost parameters. The defaults follow the OWASP Password Storage Cheat Sheet's first recommendation:
/// 19 MiB of memory, 2 passes, 1 lane.
/// </summary>
/// <remarks>
/// libsodium (through NSec) computes Argon2id with exactly one lane, so <see cref="Parallelism"/> must be 1; hashes made
/// elsewhere with more lanes cannot be checked here.
/// Thread safety: immutable; safe to share.
/// </remarks>
public sealed record Argon2idParameters
{
    /// <summary>The smallest memory cost accepted (8 KiB, the Argon2 minimum for one lane).</summary>
    public const int MinMemoryKiB = 8;

    /// <summary>The largest memory cost accepted (4 GiB).</summary>
    public const int MaxMemoryKiB = 4 * 1024 * 1024;

    /// <summary>The OWASP defaults: <c>m=19456, t=2, p=1</c>.</summary>
    public static Argon2idParameters Default { get; } = new();

    /// <summary>Memory cost in KiB; default 19456 (19 MiB).</summary>
    public int MemoryKiB { get; init; } = 19456;

    /// <summary>Number of passes over the memory; default 2.</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>Number of lanes; default 1 (the only value libsodium supports).</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Throws when a parameter is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public void Validate()
    {
        if (MemoryKiB is < MinMemoryKiB or > MaxMemoryKiB)
        {
            throw new ArgumentOutOfRangeException(nameof(MemoryKiB), MemoryKiB, $"Argon2id memory must be {MinMemoryKiB} KiB to {MaxMemoryKiB} KiB.");
        }

        if (Iterations is < 1 or > 1_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "Argon2id iterations must be 1 to 1000.");
        }

        if (Parallelism != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Parallelism), Parallelism, "Argon2id parallelism must be 1: libsodium computes a single lane.");
        }
    }

    /// <summary>The parameters in PHC notation, for example <c>m=19456,t=2,p=1</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"m={MemoryKiB},t={Iterations},p={Parallelism}";
}
