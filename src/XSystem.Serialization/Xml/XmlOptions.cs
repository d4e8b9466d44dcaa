namespace XSystem.Serialization;

/// <summary>
/// Settings for the XML mapping (see <see cref="XmlFormat"/> for the convention). Pass an instance in
/// <see cref="SerializerOptions.FormatOptions"/>.
/// </summary>
/// <remarks>Thread safety: immutable once built; share one instance freely.</remarks>
public sealed class XmlOptions : FormatOptions
{
    private readonly string _attributePrefix = "@";
    private readonly string _textKey = "#text";
    private readonly string _rootName = "root";
    private readonly string _indentChars = "  ";

    /// <summary>
    /// The prefix that marks an attribute among an element's keys. Default <c>@</c> (<c>&lt;a id="1"/&gt;</c> reads as
    /// <c>{"a": {"@id": "1"}}</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The value is null or empty.</exception>
    public string AttributePrefix
    {
        get => _attributePrefix;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _attributePrefix = value;
        }
    }

    /// <summary>The key that holds an element's text when the element also has attributes or child elements. Default <c>#text</c>.</summary>
    /// <exception cref="ArgumentException">The value is null or empty.</exception>
    public string TextKey
    {
        get => _textKey;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _textKey = value;
        }
    }

    /// <summary>
    /// The root element's name when writing a tree that is not an object with exactly one (non-array) member:
    /// such a tree is written inside <c>&lt;root&gt;</c> and reads back as <c>{"root": tree}</c>. Default <c>root</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not a valid XML name.</exception>
    public string RootName
    {
        get => _rootName;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            try
            {
                System.Xml.XmlConvert.VerifyName(value);
            }
            catch (System.Xml.XmlException ex)
            {
                throw new ArgumentException($"'{value}' is not a valid XML element name.", nameof(value), ex);
            }

            _rootName = value;
        }
    }

    /// <summary>
    /// Element names (qualified, as they appear in the document) that always read as arrays, even when an element
    /// occurs once. Default: none. Elements the writer marks with <c>xsys:array</c> read as arrays regardless.
    /// </summary>
    public IReadOnlySet<string> AlwaysArray { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The characters of one indentation level when <see cref="SerializerOptions.Indent"/> is on. Default two spaces.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public string IndentChars
    {
        get => _indentChars;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _indentChars = value;
        }
    }

    /// <summary>Whether the writer starts with <c>&lt;?xml version="1.0" encoding="utf-8"?&gt;</c>. Default true.</summary>
    public bool WriteDeclaration { get; init; } = true;
}
