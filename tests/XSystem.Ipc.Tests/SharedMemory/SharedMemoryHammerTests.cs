using System.Globalization;
using XSystem.Ipc.Tests.Queues;

namespace XSystem.Ipc.Tests.SharedMemory;

/// <summary>
/// A writer process writing back to back and two reader processes hammer one segment for up to 4 seconds each (20,000 reads). Every value a reader decodes
/// must pass the value's own consistency check (all items equal the sequence, checksum field, text length), which a
/// torn read would break, and the readers must have seen many distinct values.
/// </summary>
public sealed class SharedMemoryHammerTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadersAndWritersInProcesses_HammerForSeconds_NoTornValue()
    {
        var options = new SharedMemoryOptions { Directory = _dir.Path };
        using (SharedMemorySegment.Create("hammer", 4096, options))
        {
        }

        using TestChildProcess writer = await TestChildProcess.StartAsync(Ct, "shm-write", _dir.Path, "hammer");
        using TestChildProcess reader1 = await TestChildProcess.StartAsync(Ct, "shm-read", _dir.Path, "hammer", "20000", "4000");
        using TestChildProcess reader2 = await TestChildProcess.StartAsync(Ct, "shm-read", _dir.Path, "hammer", "20000", "4000");

        (await reader1.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct)).ShouldBe(0);
        (await reader2.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct)).ShouldBe(0);
        await writer.KillAsync(Ct);

        foreach (TestChildProcess reader in new[] { reader1, reader2 })
        {
            string[] parts = reader.Lines.Single().Split(' ');
            parts[0].ShouldBe("done");
            long ok = long.Parse(parts[1], CultureInfo.InvariantCulture);
            long bad = long.Parse(parts[2], CultureInfo.InvariantCulture);
            long distinct = long.Parse(parts[3], CultureInfo.InvariantCulture);
            bad.ShouldBe(0, "a reader decoded a torn value");
            ok.ShouldBeGreaterThan(200, "a reader decoded too few values for the test to mean anything");
            distinct.ShouldBeGreaterThan(3, "the readers saw too few writes for the test to mean anything");
        }

        using var check = SharedMemorySegment.Open("hammer", options);
        check.Sequence.ShouldBeGreaterThan(1000, "the writer wrote too little for the test to mean anything");
    }
}
