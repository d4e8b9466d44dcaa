using System.Net.Http.Headers;
using System.Text;
using System.Text.Unicode;

namespace XSystem.Http;

/// <summary>Status checks for responses.</summary>
/// <remarks>Thread safety: stateless.</remarks>
public static class HttpResponseExtensions
{
    /// <summary>
    /// Returns the response when its status is 2xx; otherwise reads up to 1 KiB of the body, disposes the response
    /// and throws <see cref="HttpStatusException"/> with the status, method, URL and the excerpt.
    /// </summary>
    /// <param name="response">The response to check.</param>
    /// <param name="cancellationToken">Cancels reading the excerpt.</param>
    /// <returns>The same response.</returns>
    /// <exception cref="HttpStatusException">The status is not 2xx.</exception>
    public static async Task<HttpResponseMessage> EnsureSuccessAsync(this HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        string? excerpt = null;
        try
        {
            excerpt = await ReadExcerptAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException)
        {
            excerpt = $"(body unreadable: {ex.Message})";
        }

        HttpRequestMessage? request = response.RequestMessage;
        var exception = new HttpStatusException(response.StatusCode, response.ReasonPhrase, request?.Method, request?.RequestUri, excerpt);
        response.Dispose();
        throw exception;
    }

    internal static async Task<string?> ReadExcerptAsync(HttpContent content, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[HttpStatusException.MaxExcerptBytes];
        int filled = 0;
        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (filled < buffer.Length)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }

        if (filled == 0)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = buffer.AsSpan(0, filled);
        if (IsTextual(content.Headers.ContentType, bytes))
        {
            Encoding encoding = Encoding.UTF8;
            string? charset = content.Headers.ContentType?.CharSet;
            if (charset is not null)
            {
                try
                {
                    encoding = Encoding.GetEncoding(charset.Trim('"'));
                }
                catch (ArgumentException)
                {
                    encoding = Encoding.UTF8;
                }
            }

            string text = encoding.GetString(bytes);
            return filled == buffer.Length ? text + "..." : text;
        }

        return $"({filled}{(filled == buffer.Length ? "+" : string.Empty)} bytes of {content.Headers.ContentType?.MediaType ?? "binary data"}: {Convert.ToHexStringLower(bytes[..Math.Min(32, filled)])}...)";
    }

    private static bool IsTextual(MediaTypeHeaderValue? type, ReadOnlySpan<byte> bytes)
    {
        string? media = type?.MediaType;
        if (media is null)
        {
            return !bytes.Contains((byte)0) && Utf8.IsValid(bytes[..Math.Max(0, bytes.Length - 3)]);
        }

        return media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("xml", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("yaml", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("toml", StringComparison.OrdinalIgnoreCase)
            || media.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || media.Contains("javascript", StringComparison.OrdinalIgnoreCase);
    }
}
