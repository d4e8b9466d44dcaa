namespace XSystem.Core.Tests;

public class ByteSizeTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1L, "1 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.0 KiB")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(1048576L, "1.0 MiB")]
    [InlineData(1048575L, "1.0 MiB")]
    [InlineData(-2048L, "-2.0 KiB")]
    [InlineData(long.MaxValue, "8.0 EiB")]
    public void Format_Binary_UsesIecUnits(long bytes, string expected) =>
        ByteSize.Format(bytes).ShouldBe(expected);

    [Theory]
    [InlineData(999L, "999 B")]
    [InlineData(1000L, "1.0 kB")]
    [InlineData(1_500_000L, "1.5 MB")]
    public void Format_Decimal_UsesSiUnits(long bytes, string expected) =>
        ByteSize.Format(bytes, binary: false).ShouldBe(expected);

    [Fact]
    public void Format_Decimals_AreHonoured() =>
        ByteSize.Format(1536, decimals: 3).ShouldBe("1.500 KiB");

    [Theory]
    [InlineData(-1)]
    [InlineData(7)]
    public void Format_DecimalsOutOfRange_Throws(int decimals) =>
        Should.Throw<ArgumentOutOfRangeException>(() => ByteSize.Format(1, decimals: decimals));

    [Theory]
    [InlineData("512", 512L)]
    [InlineData("512 B", 512L)]
    [InlineData("4 KiB", 4096L)]
    [InlineData("4k", 4096L)]
    [InlineData("4kb", 4000L)]
    [InlineData("1.5 MiB", 1572864L)]
    [InlineData("1.5MB", 1500000L)]
    [InlineData("2G", 2147483648L)]
    [InlineData("  100 MiB  ", 104857600L)]
    public void Parse_ValidText_ReturnsBytes(string text, long expected) =>
        ByteSize.Parse(text).ShouldBe(expected);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("5 XB")]
    [InlineData("5 KiBB")]
    [InlineData("99999 EiB")]
    public void TryParse_InvalidText_ReturnsFalse(string text)
    {
        ByteSize.TryParse(text, out long bytes).ShouldBeFalse();
        bytes.ShouldBe(0);
    }

    [Fact]
    public void Parse_InvalidText_ThrowsFormatExceptionNamingTheInput()
    {
        var ex = Should.Throw<FormatException>(() => ByteSize.Parse("ten"));
        ex.Message.ShouldContain("'ten'");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1024L)]
    [InlineData(5L * 1024 * 1024 * 1024)]
    public void FormatThenParse_PowersOfTwo_RoundTrip(long bytes) =>
        ByteSize.Parse(ByteSize.Format(bytes)).ShouldBe(bytes);
}
