using System.Text;
using XSystem.Serialization.Tests.Contract;

namespace XSystem.Serialization.Tests.Plist;

public sealed class PlistFormatContractTests : FormatContractTests
{
    protected override IFormat Format { get; } = new PlistFormat();

    /// <summary>Property lists have no null.</summary>
    protected override FormatProfile Profile { get; } = new() { Nulls = false };

    /// <summary>10,000 nested &lt;array&gt; elements inside &lt;plist&gt;.</summary>
    protected override byte[] DeepInput(int depth)
    {
        var text = new StringBuilder("<plist version=\"1.0\">", (depth * 15) + 40);
        text.Insert(text.Length, "<array>", depth);
        text.Insert(text.Length, "</array>", depth);
        text.Append("</plist>");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
