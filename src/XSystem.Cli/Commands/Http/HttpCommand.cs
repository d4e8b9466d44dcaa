using System.ComponentModel;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;
using XSystem.Cli.Commands.Serialization;
using XSystem.Http;
using XSystem.Serialization;
using XSystem.Terminal;

namespace XSystem.Cli.Commands.Http;

/// <summary>
/// <c>xsys http METHOD URL</c>: sends one request with AdvancedHttpClient and prints the status, the negotiated
/// protocol and the headers on the console and the body (pretty-printed when JSON or YAML) on standard output; with
/// <c>-o FILE</c> the body is downloaded to FILE (atomic, resumable) with a progress bar.
/// </summary>
internal sealed class HttpCommand(IAnsiConsole console, StandardStreams streams) : AsyncCommand<HttpCommand.Settings>
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>Arguments and options of <c>xsys http</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<METHOD>")]
        [Description("GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS.")]
        public string Method { get; init; } = "GET";

        [CommandArgument(1, "<URL>")]
        [Description("Absolute http:// or https:// URL.")]
        public string Url { get; init; } = string.Empty;

        [CommandOption("-H|--header <HEADER>")]
        [Description("Request header 'Name: value'; repeat for more.")]
        public string[] Headers { get; init; } = [];

        [CommandOption("-d|--data <DATA>")]
        [Description("Request body text, or @FILE to stream a file.")]
        public string? Data { get; init; }

        [CommandOption("--json")]
        [Description("Send the body as JSON (Content-Type and Accept: application/json).")]
        public bool Json { get; init; }

        [CommandOption("-o|--output <FILE>")]
        [Description("Download the body to FILE (atomic; resumes an interrupted download) with a progress bar.")]
        public string? Output { get; init; }

        [CommandOption("--http2")]
        [Description("HTTP/2 only: prior knowledge (h2c) for http://, no fallback for https://.")]
        public bool Http2 { get; init; }

        [CommandOption("--trust-cert <FILE>")]
        [Description("Also trust this server certificate (PEM or DER), e.g. a self-signed development server. Other certificates are still validated.")]
        public string? TrustCertificate { get; init; }

        [CommandOption("--max-attempts <N>")]
        [Description("Attempts for idempotent requests (retries on connection errors, timeouts, 408/429/5xx). Default: 3.")]
        public int MaxAttempts { get; init; } = 3;

        public override ValidationResult Validate()
        {
            if (!Methods.Contains(Method.ToUpperInvariant()))
            {
                return ValidationResult.Error($"METHOD '{Method}' is not one of {string.Join(", ", Methods)}.");
            }

            if (!Uri.TryCreate(Url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return ValidationResult.Error($"URL '{Url}' is not an absolute http:// or https:// URL.");
            }

            if (MaxAttempts is < 1 or > 20)
            {
                return ValidationResult.Error("--max-attempts must be between 1 and 20.");
            }

            return Headers.All(h => h.Contains(':', StringComparison.Ordinal))
                ? ValidationResult.Success()
                : ValidationResult.Error("-H expects 'Name: value'.");
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        DataCommandSupport.RunAsync(streams, async () =>
        {
            HttpClientOptions options = CreateOptions(settings);
            using var client = new AdvancedHttpClient(options);
            try
            {
                return settings.Output is null
                    ? await SendAsync(client, settings, cancellationToken).ConfigureAwait(false)
                    : await DownloadAsync(client, settings, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpTimeoutException ex)
            {
                return DataCommandSupport.Report(streams, XsysApp.ExitFailed, ex.Message);
            }
            catch (HttpStatusException ex)
            {
                return DataCommandSupport.Report(streams, XsysApp.ExitFailed, ex.Message);
            }
            catch (HttpRequestException ex)
            {
                return DataCommandSupport.Report(streams, XsysApp.ExitFailed, $"{settings.Method.ToUpperInvariant()} {settings.Url} failed: {Describe(ex)}");
            }
        });

    private static HttpClientOptions CreateOptions(Settings settings)
    {
        var options = new HttpClientOptions { Http2Only = settings.Http2 };
        options.Retry.MaxAttempts = settings.MaxAttempts;
        if (settings.TrustCertificate is { } path)
        {
            if (!File.Exists(path))
            {
                throw CommandProblemException.Usage($"--trust-cert file not found: {path}");
            }

            options.TrustedServerCertificates.Add(path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
                ? X509Certificate2.CreateFromPem(File.ReadAllText(path))
                : X509CertificateLoader.LoadCertificateFromFile(path));
        }

        return options;
    }

    private async Task<int> SendAsync(AdvancedHttpClient client, Settings settings, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = CreateRequest(settings, out FileStream? upload);
        await using (upload)
        {
            using HttpResponseMessage response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            WriteHead(response);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            byte[] shown = Pretty(body, response.Content.Headers.ContentType?.MediaType);
            await streams.Output.WriteAsync(shown, cancellationToken).ConfigureAwait(false);
            if (shown.Length > 0 && shown[^1] != (byte)'\n' && streams.OutputIsTerminal)
            {
                streams.Output.WriteByte((byte)'\n');
            }

            await streams.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? XsysApp.ExitOk : XsysApp.ExitFailed;
        }
    }

    private async Task<int> DownloadAsync(AdvancedHttpClient client, Settings settings, CancellationToken cancellationToken)
    {
        if (!settings.Method.Equals("GET", StringComparison.OrdinalIgnoreCase) || settings.Data is not null)
        {
            throw CommandProblemException.Usage("-o downloads with GET and no body; drop -d or use GET.");
        }

        var download = new DownloadOptions();
        foreach (string header in settings.Headers)
        {
            (string name, string value) = SplitHeader(header);
            download.Headers[name] = value;
        }

        ProgressBar? bar = null;
        var progress = new SyncProgress(p =>
        {
            bar ??= new ProgressBar(p.TotalBytes ?? ProgressBar.Unknown, Path.GetFileName(settings.Output), new ProgressBarOptions { Console = console });
            bar.Set(p.BytesTransferred);
        });
        try
        {
            DownloadResult result = await client.DownloadFileAsync(settings.Url, settings.Output!, progress, download, cancellationToken).ConfigureAwait(false);
            bar?.Complete();
            console.MarkupLineInterpolated($"[green]Saved[/] {result.Path} ({ByteSize.Format(result.Length)}, HTTP/{result.Version}, sha256 {result.Sha256}{(result.ResumedFrom > 0 ? $", resumed at byte {result.ResumedFrom}" : string.Empty)})");
            return XsysApp.ExitOk;
        }
        finally
        {
            bar?.Dispose();
        }
    }

    private static HttpRequestMessage CreateRequest(Settings settings, out FileStream? upload)
    {
        upload = null;
        var request = new HttpRequestMessage(new HttpMethod(settings.Method.ToUpperInvariant()), settings.Url);
        if (settings.Data is { } data)
        {
            if (data.StartsWith('@'))
            {
                string path = data[1..];
                if (!File.Exists(path))
                {
                    throw CommandProblemException.Failed($"file not found: {path}");
                }

                upload = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                request.Content = new StreamContent(upload);
            }
            else
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(data));
            }

            request.Content.Headers.ContentType = new MediaTypeHeaderValue(settings.Json ? "application/json" : "application/x-www-form-urlencoded");
        }

        if (settings.Json)
        {
            request.Headers.Accept.ParseAdd("application/json");
        }

        foreach (string header in settings.Headers)
        {
            (string name, string value) = SplitHeader(header);
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                if (request.Content is null)
                {
                    throw CommandProblemException.Usage($"-H '{header}' is a content header, which needs a body (-d).");
                }

                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static (string Name, string Value) SplitHeader(string header)
    {
        int colon = header.IndexOf(':', StringComparison.Ordinal);
        return (header[..colon].Trim(), header[(colon + 1)..].Trim());
    }

    private void WriteHead(HttpResponseMessage response)
    {
        int code = (int)response.StatusCode;
        string color = code < 300 ? "green" : code < 400 ? "yellow" : "red";
        console.MarkupLine($"[{color}]HTTP/{response.Version} {code} {Markup.Escape(response.ReasonPhrase ?? response.StatusCode.ToString())}[/]");
        foreach (KeyValuePair<string, IEnumerable<string>> header in response.Headers.Concat(response.Content.Headers))
        {
            console.MarkupLineInterpolated($"[grey]{header.Key}:[/] {string.Join(", ", header.Value)}");
        }

        console.WriteLine();
    }

    internal static byte[] Pretty(byte[] body, string? mediaType)
    {
        if (body.Length == 0 || mediaType is null)
        {
            return body;
        }

        IFormat? format = mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) ? Formats.Json
            : mediaType.Contains("yaml", StringComparison.OrdinalIgnoreCase) && Formats.TryFromName("yaml", out IFormat? yaml) ? yaml
            : null;
        if (format is null)
        {
            return body;
        }

        try
        {
            return Serializer.Write(Serializer.Parse(body, format), format, new SerializerOptions { Indent = true });
        }
        catch (SerializationException)
        {
            return body;
        }
    }

    private static string Describe(Exception ex)
    {
        var text = new StringBuilder(ex.Message);
        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" (").Append(inner.Message).Append(')');
        }

        return text.ToString();
    }

    private sealed class SyncProgress(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }
}
