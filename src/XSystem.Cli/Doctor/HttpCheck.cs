using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using XSystem.Http;

namespace XSystem.Cli.Doctor;

/// <summary>
/// Starts a Kestrel server on a free loopback port with a throwaway self-signed certificate and checks that
/// AdvancedHttpClient negotiates HTTP/2 over TLS (ALPN) with it, trusting exactly that certificate.
/// </summary>
internal sealed class HttpCheck : IDoctorCheck
{
    public string Module => "XSystem.Http";

    public string Description => "HTTP/2 over TLS (ALPN) against a loopback Kestrel server";

    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        using X509Certificate2 certificate = CreateCertificate();
        WebApplication? app = null;
        try
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            ListenOptions? endpoint = null;
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.UseHttps(certificate);
                endpoint = o;
            }));
            app = builder.Build();
            app.Map("/", (HttpContext ctx) => ctx.Response.WriteAsync(ctx.Request.Protocol, ctx.RequestAborted));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            int port = ((IPEndPoint)endpoint!.EndPoint).Port;

            var options = new HttpClientOptions { AttemptTimeout = TimeSpan.FromSeconds(10), Retry = RetryOptions.None };
            options.TrustedServerCertificates.Add(certificate);
            using var client = new AdvancedHttpClient(options);
            using HttpResponseMessage response = await client.GetAsync($"https://127.0.0.1:{port}/", cancellationToken).ConfigureAwait(false);
            string served = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.Version == HttpVersion.Version20 && served == "HTTP/2"
                ? CheckResult.Pass($"HTTP/2 over TLS negotiated with a loopback server (port {port})")
                : CheckResult.Fail($"expected HTTP/2 over TLS, got HTTP/{response.Version} (server saw {served}); ALPN may be unavailable in this OpenSSL");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or InvalidOperationException or CryptographicException)
        {
            return CheckResult.Fail($"loopback HTTPS test failed: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=xsys doctor", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        using X509Certificate2 ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
