using System.Net;
using XSystem.Http.Tests.Infrastructure;

namespace XSystem.Http.Tests;

/// <summary>DownloadFileAsync against a real server: atomic rename, resume with Range + If-Range, checksum, progress.</summary>
public sealed class DownloadTests(TestServer server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xsys-http-dl-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task DownloadFileAsync_Complete_WritesFileAndReportsProgress()
    {
        string path = Path.Combine(_dir, "file.bin");
        var reports = new List<TransferProgress>();
        var progress = new SyncProgress<TransferProgress>(reports.Add);
        using var client = new AdvancedHttpClient(server.Options());

        DownloadResult result = await client.DownloadFileAsync($"{server.Https}download", path, progress, new DownloadOptions { ExpectedSha256 = TestServer.DownloadSha256.ToUpperInvariant() }, Ct);

        (await File.ReadAllBytesAsync(path, Ct)).ShouldBe(TestServer.DownloadContent);
        result.Length.ShouldBe(TestServer.DownloadSize);
        result.Sha256.ShouldBe(TestServer.DownloadSha256);
        result.ResumedFrom.ShouldBe(0);
        File.Exists(path + ".partial").ShouldBeFalse();
        reports[^1].BytesTransferred.ShouldBe(TestServer.DownloadSize);
        reports[^1].TotalBytes.ShouldBe(TestServer.DownloadSize);
        reports[^1].Fraction.ShouldBe(1.0);
    }

    [Fact]
    public async Task DownloadFileAsync_ServerAbortsMidBody_ResumesWithRangeAndProducesTheRightFile()
    {
        string key = TestServer.NewKey();
        string path = Path.Combine(_dir, "resumed.bin");
        using var client = new AdvancedHttpClient(server.Options());

        DownloadResult result = await client.DownloadFileAsync($"{server.Http1}download?key={key}&abort=1", path, null, new DownloadOptions { ExpectedSha256 = TestServer.DownloadSha256 }, Ct);

        (await File.ReadAllBytesAsync(path, Ct)).ShouldBe(TestServer.DownloadContent);
        result.ResumedFrom.ShouldBeGreaterThan(0);
        server.Hits(key).ShouldBe(2);
        IReadOnlyList<string> seen = server.HeadersSeen(key);
        seen[1].ShouldContain($"range=bytes={result.ResumedFrom}-");
        seen[1].ShouldContain("if-range=\"v1\"");
    }

    [Fact]
    public async Task DownloadFileAsync_InterruptedWithoutRetries_KeepsPartialAndNextCallResumes()
    {
        string key = TestServer.NewKey();
        string path = Path.Combine(_dir, "later.bin");
        using var client = new AdvancedHttpClient(server.Options(o => o.Retry = RetryOptions.None));
        string url = $"{server.Http1}download?key={key}&abort=1";

        await Should.ThrowAsync<Exception>(() => client.DownloadFileAsync(url, path, cancellationToken: Ct));
        File.Exists(path).ShouldBeFalse();
        long partialLength = new FileInfo(path + ".partial").Length;
        DownloadResult result = await client.DownloadFileAsync(url, path, cancellationToken: Ct);

        partialLength.ShouldBeGreaterThan(0);
        result.ResumedFrom.ShouldBe(partialLength);
        (await File.ReadAllBytesAsync(path, Ct)).ShouldBe(TestServer.DownloadContent);
    }

    [Fact]
    public async Task DownloadFileAsync_ChecksumMismatch_LeavesTargetUntouched()
    {
        string path = Path.Combine(_dir, "target.bin");
        await File.WriteAllTextAsync(path, "old content", Ct);
        using var client = new AdvancedHttpClient(server.Options());

        DownloadChecksumException ex = await Should.ThrowAsync<DownloadChecksumException>(() =>
            client.DownloadFileAsync($"{server.Http1}download", path, null, new DownloadOptions { ExpectedSha256 = new string('0', 64) }, Ct));

        ex.Actual.ShouldBe(TestServer.DownloadSha256);
        (await File.ReadAllTextAsync(path, Ct)).ShouldBe("old content");
        File.Exists(path + ".partial").ShouldBeFalse();
    }

    [Fact]
    public async Task DownloadFileAsync_ErrorStatus_ThrowsAndWritesNothing()
    {
        string path = Path.Combine(_dir, "missing.bin");
        using var client = new AdvancedHttpClient(server.Options());

        HttpStatusException ex = await Should.ThrowAsync<HttpStatusException>(() => client.DownloadFileAsync($"{server.Http1}status/404", path, cancellationToken: Ct));

        ex.Status.ShouldBe(HttpStatusCode.NotFound);
        File.Exists(path).ShouldBeFalse();
    }

    /// <summary>An IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
