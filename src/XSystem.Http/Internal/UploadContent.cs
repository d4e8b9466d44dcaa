namespace XSystem.Http.Internal;

/// <summary>Streams a request body without buffering; replayable (for retries and 307/308) only when the stream can seek.</summary>
internal sealed class UploadContent : StreamContent
{
    public UploadContent(Stream stream, int bufferSize)
        : base(stream, bufferSize)
    {
        CanReplay = stream.CanSeek;
    }

    public bool CanReplay { get; }
}
