namespace XSystem.IO.Tests;

public class SmokeTests
{
    [Fact]
    public void ByteSize_Format_Works() => ByteSize.Format(1536).ShouldBe("1.5 KiB");
}
