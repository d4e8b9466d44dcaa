using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace XSystem.Serialization.Tests.Multipart;

/// <summary>
/// Our multipart bodies against ASP.NET Core, both ways: a real Kestrel server on 127.0.0.1 parses what
/// <see cref="MultipartFormat"/> writes (<c>Request.ReadFormAsync</c>), ASP.NET Core's own
/// <see cref="Microsoft.AspNetCore.WebUtilities.MultipartReader"/> reads it section by section, and our reader parses
/// what .NET's <see cref="MultipartFormDataContent"/> writes.
/// </summary>
public sealed class MultipartInteropTests
{
    private static readonly byte[] Binary = [0, 13, 10, 45, 45, 98, 255, 13, 10, 13, 10, 7];

    private static JsonObject Sample() => new()
    {
        ["title"] = "Grüße, \"quoted\" & more",
        ["tags"] = new JsonArray("a", "b"),
        ["upload"] = new JsonObject
        {
            ["filename"] = "data file.bin",
            ["contentType"] = "application/octet-stream",
            ["content"] = JsonValue.Create(Binary),
        },
    };

    private static (byte[] Body, string ContentType) WriteSample()
    {
        byte[] body = Serializer.Write(Sample(), Formats.Multipart);
        return (body, MultipartFormat.GetContentType(body));
    }

    [Fact]
    public async Task Kestrel_ReadFormAsync_SeesOurFieldsAndFile()
    {
        await using WebApplication app = await StartServerAsync();
        (byte[] body, string contentType) = WriteSample();
        using var client = new HttpClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using HttpResponseMessage response = await client.PostAsync(app.Urls.First() + "/form", content, TestContext.Current.CancellationToken);
        string report = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, report);
        JsonNode parsed = JsonNode.Parse(report)!;
        parsed["title"]!.GetValue<string>().ShouldBe("Grüße, \"quoted\" & more");
        parsed["tags"]!.GetValue<string>().ShouldBe("a,b");
        parsed["fileName"]!.GetValue<string>().ShouldBe("data file.bin");
        parsed["fileType"]!.GetValue<string>().ShouldBe("application/octet-stream");
        Convert.FromBase64String(parsed["fileBytes"]!.GetValue<string>()).ShouldBe(Binary);
    }

    [Fact]
    public async Task AspNetCoreMultipartReader_ReadsOurSections()
    {
        (byte[] body, string contentType) = WriteSample();
        string boundary = HeaderUtilities.RemoveQuotes(Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType).Boundary).Value!;
        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, new MemoryStream(body));
        var fields = new List<(string Name, string Value)>();
        byte[]? file = null;
        string? fileName = null;

        while (await reader.ReadNextSectionAsync(TestContext.Current.CancellationToken) is { } section)
        {
            ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition).ShouldBeTrue();
            if (disposition!.IsFileDisposition())
            {
                fileName = disposition.FileName.Value;
                using var copy = new MemoryStream();
                await section.Body.CopyToAsync(copy, TestContext.Current.CancellationToken);
                file = copy.ToArray();
            }
            else
            {
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                fields.Add((disposition.Name.Value!, await text.ReadToEndAsync(TestContext.Current.CancellationToken)));
            }
        }

        fields.ShouldBe([("title", "Grüße, \"quoted\" & more"), ("tags", "a"), ("tags", "b")]);
        fileName.ShouldBe("data file.bin");
        file.ShouldBe(Binary);
    }

    [Fact]
    public async Task DotNetMultipartFormDataContent_ParsedByUs()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("Grüße"), "title");
        form.Add(new StringContent("x"), "tags");
        form.Add(new StringContent("y"), "tags");
        var file = new ByteArrayContent(Binary);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        form.Add(file, "upload", "picture.png");
        byte[] body = await form.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        string boundary = form.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value!.Trim('"');

        JsonObject tree = Serializer.Parse(body, Formats.Multipart)!.AsObject();
        var parts = new List<MultipartPart>();
        var contents = new List<byte[]>();
        await foreach (MultipartPart part in MultipartFormat.ReadPartsAsync(new MemoryStream(body), boundary, cancellationToken: TestContext.Current.CancellationToken))
        {
            parts.Add(part);
            using var copy = new MemoryStream();
            await part.Content.CopyToAsync(copy, TestContext.Current.CancellationToken);
            contents.Add(copy.ToArray());
        }

        tree["title"]!.GetValue<string>().ShouldBe("Grüße");
        tree["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["x", "y"]);
        tree["upload"]!["filename"]!.GetValue<string>().ShouldBe("picture.png");
        tree["upload"]!["contentType"]!.GetValue<string>().ShouldBe("image/png");
        tree["upload"]!["content"]!.GetValue<byte[]>().ShouldBe(Binary);
        parts.Select(p => p.Name).ShouldBe(["title", "tags", "tags", "upload"]);
        parts[3].FileName.ShouldBe("picture.png");
        contents[3].ShouldBe(Binary);
    }

    private static async Task<WebApplication> StartServerAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.MapPost("/form", async (HttpRequest request) =>
        {
            IFormCollection form = await request.ReadFormAsync();
            IFormFile upload = form.Files["upload"]!;
            using var bytes = new MemoryStream();
            await upload.CopyToAsync(bytes);
            return Results.Json(new Dictionary<string, string>
            {
                ["title"] = form["title"].ToString(),
                ["tags"] = string.Join(',', form["tags"].ToArray()),
                ["fileName"] = upload.FileName,
                ["fileType"] = upload.ContentType,
                ["fileBytes"] = Convert.ToBase64String(bytes.ToArray()),
            });
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }
}
