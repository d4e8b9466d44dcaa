using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace XSystem.Serialization.Bson.Internal;

/// <summary>
/// The stream MongoDB.Bson reads untrusted bytes from. MongoDB.Bson allocates a string's buffer from its length prefix
/// before it reads the bytes (a 600-byte document claiming a 1 GB string allocates 1 GB, then fails), so every length
/// prefix that leads to an allocation or a slice is checked against the bytes actually left first: O(1) per value.
/// </summary>
internal sealed class GuardedBsonStream : ByteBufferStream
{
    private readonly byte[] _bytes;
    private readonly int _length;

    public GuardedBsonStream(byte[] bytes, int length)
        : base(new ByteArrayBuffer(bytes, length, isReadOnly: true), ownsBuffer: false)
    {
        _bytes = bytes;
        _length = length;
    }

    public override string ReadString(UTF8Encoding encoding)
    {
        CheckLengthPrefix(extra: 0);
        return base.ReadString(encoding);
    }

    public override IByteBuffer ReadSlice()
    {
        CheckLengthPrefix(extra: -4); // a document's length prefix counts itself
        return base.ReadSlice();
    }

    /// <summary>
    /// Throws when the int32 length prefix at the current position claims more bytes than follow it.
    /// <paramref name="extra"/> is added to the claim (a document's prefix includes its own four bytes).
    /// </summary>
    public void CheckLengthPrefix(int extra)
    {
        long position = Position;
        long left = _length - position - 4;
        if (left < 0)
        {
            throw new EndOfStreamException($"A length prefix at byte {position} runs past the end of the {_length}-byte document.");
        }

        long claimed = (long)BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan((int)position, 4)) + extra;
        if (claimed > left)
        {
            throw new EndOfStreamException($"The value at byte {position} claims {claimed} bytes, but only {left} follow in the document.");
        }
    }
}

/// <summary>
/// MongoDB.Bson's binary reader with the two guards its recursive deserializers lack: nesting depth is counted on
/// every document and array start (deep input fails with a limit instead of exhausting the stack), and binary data
/// lengths are checked before the library allocates for them (strings and slices are checked by
/// <see cref="GuardedBsonStream"/>).
/// </summary>
internal sealed class GuardedBsonReader : BsonBinaryReader
{
    private readonly GuardedBsonStream _stream;
    private readonly int _maxDepth;
    private int _depth;
    private List<(BsonReaderBookmark Bookmark, int Depth)>? _bookmarks;

    public GuardedBsonReader(GuardedBsonStream stream, int maxDepth)
        : base(stream)
    {
        _stream = stream;
        _maxDepth = maxDepth;
    }

    public override void ReadStartDocument()
    {
        Enter();
        base.ReadStartDocument();
    }

    public override void ReadEndDocument()
    {
        base.ReadEndDocument();
        _depth--;
    }

    public override void ReadStartArray()
    {
        Enter();
        base.ReadStartArray();
    }

    public override void ReadEndArray()
    {
        base.ReadEndArray();
        _depth--;
    }

    // Discriminator lookups read ahead (a document start with no end) and rewind to a bookmark: the depth rewinds too.
    public override BsonReaderBookmark GetBookmark()
    {
        BsonReaderBookmark bookmark = base.GetBookmark();
        (_bookmarks ??= []).Add((bookmark, _depth));
        return bookmark;
    }

    public override void ReturnToBookmark(BsonReaderBookmark bookmark)
    {
        base.ReturnToBookmark(bookmark);
        if (_bookmarks is not null)
        {
            for (int i = _bookmarks.Count - 1; i >= 0; i--)
            {
                if (ReferenceEquals(_bookmarks[i].Bookmark, bookmark))
                {
                    _depth = _bookmarks[i].Depth;
                    _bookmarks.RemoveRange(i, _bookmarks.Count - i);
                    return;
                }
            }
        }
    }

    public override BsonBinaryData ReadBinaryData()
    {
        CheckBinaryLength();
        return base.ReadBinaryData();
    }

    public override byte[] ReadBytes()
    {
        CheckBinaryLength();
        return base.ReadBytes();
    }

    private void Enter()
    {
        if (++_depth > _maxDepth)
        {
            throw new DepthExceededException(_maxDepth);
        }
    }

    private void CheckBinaryLength()
    {
        // Binary data: int32 length, a subtype byte, then the bytes; the prefix does not count the subtype.
        if (State == BsonReaderState.Value && CurrentBsonType == BsonType.Binary)
        {
            _stream.CheckLengthPrefix(extra: 1);
        }
    }

    /// <summary>Thrown inside MongoDB.Bson (which wraps it) when input nests deeper than the limit.</summary>
    internal sealed class DepthExceededException : FormatException
    {
        public DepthExceededException(int maxDepth)
            : base($"The document nests deeper than SerializerOptions.MaxDepth ({maxDepth}).")
        {
        }

        public DepthExceededException()
        {
        }

        public DepthExceededException(string message)
            : base(message)
        {
        }

        public DepthExceededException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
