using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XSystem.Serialization.Internal;

/// <summary>Writes the tree as a <c>multipart/form-data</c> body with a boundary that occurs in no part.</summary>
internal static class MultipartWriter
{
    private const string Format = MultipartHeaders.Format;

    private static readonly string[] FileKeys = ["filename", "contentType", "content"];

    public static void Write(JsonNode? tree, IBufferWriter<byte> output, SerializerOptions options, Func<string>? newBoundary = null)
    {
        MultipartOptions multipart = options.GetFormatOptions<MultipartOptions>();
        var parts = new List<(byte[] Header, byte[] Content, string Path)>();
        FormTreeFlattener.Flatten(tree, Format, multipart.BracketNesting, IsFile, (name, value) => parts.Add(Build(name, value)));
        string boundary = ChooseBoundary(parts, multipart.Boundary, newBoundary ?? RandomBoundary);
        byte[] dashBoundary = Encoding.ASCII.GetBytes("--" + boundary);
        foreach (var (header, content, _) in parts)
        {
            output.Write(dashBoundary);
            output.Write("\r\n"u8);
            output.Write(header);
            output.Write(content);
            output.Write("\r\n"u8);
        }

        output.Write(dashBoundary);
        output.Write("--\r\n"u8);
    }

    /// <summary>A fresh boundary: a fixed prefix and 24 random letters and digits.</summary>
    public static string RandomBoundary() =>
        "----XSystemFormBoundary" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24);

    /// <summary>Whether an object is a file value <c>{filename, contentType?, content}</c>; throws for a near miss.</summary>
    private static bool IsFile(JsonObject obj)
    {
        bool hasContent = obj.ContainsKey("content"), hasName = obj.ContainsKey("filename");
        if (!hasContent && !hasName)
        {
            return false;
        }

        foreach (var (key, _) in obj)
        {
            if (Array.IndexOf(FileKeys, key) < 0)
            {
                throw new SerializationException(Format, $"a file object holds only 'filename', 'contentType' and 'content', not '{FormTreeBuilder.Shorten(key)}'", path: obj.GetPath());
            }
        }

        if (!hasContent || !hasName)
        {
            throw new SerializationException(Format, "a file object needs both 'filename' and 'content'", path: obj.GetPath());
        }

        return true;
    }

    private static (byte[] Header, byte[] Content, string Path) Build(string name, JsonNode value)
    {
        var header = new StringBuilder("Content-Disposition: form-data; name=\"").Append(MultipartHeaders.Escape(name)).Append('"');
        byte[] content;
        if (value is JsonObject file)
        {
            string fileName = file["filename"] is JsonValue fn && fn.GetValueKind() == JsonValueKind.String
                ? TreeScalars.ToText(fn)
                : throw new SerializationException(Format, "'filename' must be a string", path: file.GetPath());
            string contentType = file["contentType"] switch
            {
                null => "application/octet-stream",
                JsonValue ct when ct.GetValueKind() == JsonValueKind.String => TreeScalars.ToText(ct),
                _ => throw new SerializationException(Format, "'contentType' must be a string", path: file.GetPath()),
            };
            if (contentType.Length == 0 || contentType.Any(char.IsControl))
            {
                throw new SerializationException(Format, "'contentType' must be a non-empty media type without control characters (a line break would inject a header)", path: file.GetPath());
            }

            content = file["content"] switch
            {
                JsonValue bytes when bytes.TryGetValue(out byte[]? raw) => raw,
                JsonValue text when text.GetValueKind() == JsonValueKind.String => Encoding.UTF8.GetBytes(TreeScalars.ToText(text)),
                _ => throw new SerializationException(Format, "'content' must be bytes or a string", path: file.GetPath()),
            };
            header.Append("; filename=\"").Append(MultipartHeaders.Escape(fileName)).Append("\"\r\nContent-Type: ").Append(contentType);
        }
        else
        {
            content = Encoding.UTF8.GetBytes(TreeScalars.ToText((JsonValue)value));
        }

        header.Append("\r\n\r\n");
        return (Encoding.UTF8.GetBytes(header.ToString()), content, value.GetPath());
    }

    private static string ChooseBoundary(List<(byte[] Header, byte[] Content, string Path)> parts, string? fixedBoundary, Func<string> newBoundary)
    {
        for (int attempt = 0; attempt < 16; attempt++)
        {
            string boundary = fixedBoundary ?? newBoundary();
            byte[] bytes = Encoding.ASCII.GetBytes(boundary);
            string? collision = null;
            foreach (var (_, content, path) in parts)
            {
                if (content.AsSpan().IndexOf(bytes) >= 0)
                {
                    collision = path;
                    break;
                }
            }

            if (collision is null)
            {
                return boundary;
            }

            if (fixedBoundary is not null)
            {
                throw new SerializationException(Format, $"the boundary '{boundary}' (MultipartOptions.Boundary) occurs in a part's content; leave MultipartOptions.Boundary unset so a safe one is picked", path: collision);
            }
        }

        throw new SerializationException(Format, "no boundary could be found that occurs in no part's content after 16 attempts");
    }
}
