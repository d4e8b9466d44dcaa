using System.Text;

namespace XSystem.Serialization.Internal;

/// <summary>
/// Content detection for <c>multipart/form-data</c>: a first line <c>--boundary</c> followed by part headers, among them
/// <c>Content-Disposition: form-data</c>.
/// </summary>
internal static class MultipartProbe
{
    public static double Score(ReadOnlySpan<byte> sample)
    {
        sample = FormatGuards.SkipUtf8Bom(sample);
        if (!MultipartReader.TryInferBoundary(sample, out _, out int start))
        {
            return 0;
        }

        ReadOnlySpan<byte> body = sample[start..];
        int firstBreak = body.IndexOf((byte)'\n');
        if (firstBreak < 0)
        {
            return 0.3; // a boundary-looking line and nothing more
        }

        string headers = Encoding.Latin1.GetString(body[(firstBreak + 1)..Math.Min(body.Length, firstBreak + 1 + 2048)]);
        int blank = headers.IndexOf("\n\r\n", StringComparison.Ordinal) is int crlf and >= 0 ? crlf : headers.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank >= 0)
        {
            headers = headers[..blank];
        }

        if (headers.Contains("content-disposition: form-data", StringComparison.OrdinalIgnoreCase)
            || headers.Contains("content-disposition:form-data", StringComparison.OrdinalIgnoreCase))
        {
            return 0.95;
        }

        if (headers.Contains("content-disposition:", StringComparison.OrdinalIgnoreCase)
            || headers.Contains("content-type:", StringComparison.OrdinalIgnoreCase))
        {
            return 0.5;
        }

        return body.StartsWith("---"u8) ? 0.05 : 0.2;
    }
}
