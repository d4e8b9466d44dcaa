using System.Net.Http.Headers;
using XSystem.Http.Internal;
using XSystem.Serialization;

namespace XSystem.Http;

public sealed partial class AdvancedHttpClient
{
    /// <summary>Sends a GET request and buffers the response.</summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response (status not checked).</returns>
    public Task<HttpResponseMessage> GetAsync(string url, CancellationToken cancellationToken = default) =>
        SendAsync(Create(HttpMethod.Get, url, null), HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>Sends a GET request.</summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="completionOption">Whether to buffer the body or return after the headers.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response (status not checked).</returns>
    public Task<HttpResponseMessage> GetAsync(string url, HttpCompletionOption completionOption, CancellationToken cancellationToken = default) =>
        SendAsync(Create(HttpMethod.Get, url, null), completionOption, cancellationToken);

    /// <summary>Sends a HEAD request.</summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response (status not checked).</returns>
    public Task<HttpResponseMessage> HeadAsync(string url, CancellationToken cancellationToken = default) =>
        SendAsync(Create(HttpMethod.Head, url, null), HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>Sends a POST request (not retried unless <see cref="RetryOptions.RetryNonIdempotent"/> is set).</summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="content">The body, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response (status not checked).</returns>
    public Task<HttpResponseMessage> PostAsync(string url, HttpContent? content, CancellationToken cancellationToken = default) =>
        SendAsync(Create(HttpMethod.Post, url, content), HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>Sends a PUT request.</summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="content">The body, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response (status not checked).</returns>
    public Task<HttpResponseMessage> PutAsync(string url, HttpContent? content, CancellationToken cancellationToken = default) =>
        SendAsync(Create(HttpMethod.Put, url, content), HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>Sends a PATCH request (not retried unless <see cref="RetryOptions.RetryNonIdempotent"/> is set).</summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="content">The body, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response (status not checked).</returns>
    public Task<HttpResponseMessage> PatchAsync(string url, HttpContent? content, CancellationToken cancellationToken = default) =>
        SendAsync(Create(HttpMethod.Patch, url, content), HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>Sends a DELETE request.</summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response (status not checked).</returns>
    public Task<HttpResponseMessage> DeleteAsync(string url, CancellationToken cancellationToken = default) =>
        SendAsync(Create(HttpMethod.Delete, url, null), HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>GETs a JSON document and deserializes it (status checked first).</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The value.</returns>
    /// <exception cref="HttpStatusException">The status is not 2xx.</exception>
    /// <exception cref="SerializationException">The body is not valid for <typeparamref name="T"/>.</exception>
    public Task<T?> GetJsonAsync<T>(string url, CancellationToken cancellationToken = default) =>
        GetAsAsync<T>(url, Formats.Json, cancellationToken);

    /// <summary>
    /// GETs a document in any registered format (JSON, YAML, TOML, MessagePack ...; a satellite format must be
    /// referenced by the application) and deserializes it through <see cref="Serializer"/> (status checked first).
    /// </summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="format">The body format; its first media type is sent as <c>Accept</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The value.</returns>
    /// <exception cref="HttpStatusException">The status is not 2xx.</exception>
    public async Task<T?> GetAsAsync<T>(string url, IFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(format);
        HttpRequestMessage request = Create(HttpMethod.Get, url, null);
        if (format.MediaTypes.Count > 0)
        {
            request.Headers.Accept.ParseAdd(format.MediaTypes[0]);
        }

        using HttpResponseMessage response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadAsAsync<T>(response, format, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POSTs <paramref name="value"/> as JSON and returns the response (status not checked).</summary>
    /// <typeparam name="TValue">The body type.</typeparam>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="value">The body value.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response.</returns>
    public Task<HttpResponseMessage> PostJsonAsync<TValue>(string url, TValue value, CancellationToken cancellationToken = default) =>
        PostAsync(url, CreateContent(value, Formats.Json), cancellationToken);

    /// <summary>POSTs <paramref name="value"/> as JSON and deserializes the JSON response (status checked first).</summary>
    /// <typeparam name="TValue">The body type.</typeparam>
    /// <typeparam name="TResult">The response type.</typeparam>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="value">The body value.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response value.</returns>
    /// <exception cref="HttpStatusException">The status is not 2xx.</exception>
    public Task<TResult?> PostJsonAsync<TValue, TResult>(string url, TValue value, CancellationToken cancellationToken = default) =>
        PostAsAsync<TValue, TResult>(url, value, Formats.Json, cancellationToken);

    /// <summary>POSTs <paramref name="value"/> in <paramref name="format"/> and deserializes the response in the same format (status checked first).</summary>
    /// <typeparam name="TValue">The body type.</typeparam>
    /// <typeparam name="TResult">The response type.</typeparam>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="value">The body value.</param>
    /// <param name="format">Format of the request and response bodies.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response value.</returns>
    /// <exception cref="HttpStatusException">The status is not 2xx.</exception>
    public async Task<TResult?> PostAsAsync<TValue, TResult>(string url, TValue value, IFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(format);
        HttpRequestMessage request = Create(HttpMethod.Post, url, CreateContent(value, format));
        if (format.MediaTypes.Count > 0)
        {
            request.Headers.Accept.ParseAdd(format.MediaTypes[0]);
        }

        using HttpResponseMessage response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadAsAsync<TResult>(response, format, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a body from a stream without buffering it. A non-seekable stream is never retried.</summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="body">The body; read from its current position; not disposed.</param>
    /// <param name="method">The method; default POST.</param>
    /// <param name="contentType">The Content-Type; default <c>application/octet-stream</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response (status not checked).</returns>
    public Task<HttpResponseMessage> UploadAsync(string url, Stream body, HttpMethod? method = null, string? contentType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var content = new UploadContent(new NonDisposingStream(body), 81920);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
        return SendAsync(Create(method ?? HttpMethod.Post, url, content), HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <summary>Sends a file as the body without buffering it (retryable for idempotent methods: a file can seek).</summary>
    /// <param name="url">Absolute URL, or relative to the base address.</param>
    /// <param name="path">The file to send.</param>
    /// <param name="method">The method; default PUT.</param>
    /// <param name="contentType">The Content-Type; default <c>application/octet-stream</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response (status not checked).</returns>
    public async Task<HttpResponseMessage> UploadFileAsync(string url, string path, HttpMethod? method = null, string? contentType = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrEmptyPath(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            return await UploadAsync(url, file, method ?? HttpMethod.Put, contentType, cancellationToken).ConfigureAwait(false);
        }
    }

    private static HttpRequestMessage Create(HttpMethod method, string url, HttpContent? content)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new HttpRequestMessage(method, new Uri(url, UriKind.RelativeOrAbsolute)) { Content = content };
    }

    private ByteArrayContent CreateContent<TValue>(TValue value, IFormat format)
    {
        byte[] bytes = Serializer.Serialize(value, format, _options.Serializer);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(format.MediaTypes.Count > 0 ? format.MediaTypes[0] : "application/octet-stream");
        return content;
    }

    private async Task<T?> ReadAsAsync<T>(HttpResponseMessage response, IFormat format, CancellationToken cancellationToken)
    {
        await response.EnsureSuccessAsync(cancellationToken).ConfigureAwait(false);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Serializer.Deserialize<T>(bytes, format, _options.Serializer);
    }

    /// <summary>Lets a caller-owned stream be wrapped in content that the request disposes.</summary>
    private sealed class NonDisposingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
