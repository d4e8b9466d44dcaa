namespace XSystem.Core.Tests;

public class GuardTests
{
    [Fact]
    public void NotNullOrEmptyPath_ValidPath_ReturnsIt() =>
        Guard.NotNullOrEmptyPath("a/b.txt").ShouldBe("a/b.txt");

    [Fact]
    public void NotNullOrEmptyPath_Null_ThrowsArgumentNullWithParameterName()
    {
        string? path = null;
        var ex = Should.Throw<ArgumentNullException>(() => Guard.NotNullOrEmptyPath(path));
        ex.ParamName.ShouldBe("path");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("a\0b")]
    public void NotNullOrEmptyPath_Invalid_ThrowsArgumentException(string path) =>
        Should.Throw<ArgumentException>(() => Guard.NotNullOrEmptyPath(path));

    [Fact]
    public void NonNegativeTimeout_Infinite_AllowedByDefault() =>
        Guard.NonNegativeTimeout(Timeout.InfiniteTimeSpan).ShouldBe(Timeout.InfiniteTimeSpan);

    [Fact]
    public void NonNegativeTimeout_InfiniteWhenDisallowed_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Guard.NonNegativeTimeout(Timeout.InfiniteTimeSpan, allowInfinite: false));

    [Fact]
    public void NonNegativeTimeout_Negative_Throws()
    {
        TimeSpan timeout = TimeSpan.FromSeconds(-2);
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => Guard.NonNegativeTimeout(timeout));
        ex.ParamName.ShouldBe("timeout");
    }

    [Fact]
    public void XSystemInfo_Version_IsSemanticVersion() =>
        XSystemInfo.Version.ShouldMatch(@"^\d+\.\d+\.\d+");

    [Fact]
    public void XSystemException_KeepsMessageAndInner()
    {
        var inner = new InvalidOperationException("inner");
        var ex = new XSystemException("outer", inner);
        ex.Message.ShouldBe("outer");
        ex.InnerException.ShouldBeSameAs(inner);
    }
}
