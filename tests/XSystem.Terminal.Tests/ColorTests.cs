namespace XSystem.Terminal.Tests;

public class ColorTests
{
    [Theory]
    [InlineData("red", 1)]
    [InlineData("RED", 1)]
    [InlineData("bright_red", 9)]
    [InlineData("BrightRed", 9)]
    [InlineData("bright-blue", 12)]
    [InlineData("grey", 8)]
    [InlineData("gray", 8)]
    [InlineData("white", 7)]
    public void Parse_StandardNamesAndAliases_ReturnsPaletteColor(string name, int index)
    {
        Color color = Colors.Parse(name);

        color.IsStandard.ShouldBeTrue();
        color.AnsiIndex.ShouldBe(index);
        color.ShouldBe(Colors.All[index]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("purpleish")]
    [InlineData("#12")]
    [InlineData(null)]
    public void TryParse_UnknownName_ReturnsFalse(string? name)
    {
        Colors.TryParse(name, out _).ShouldBeFalse();
    }

    [Fact]
    public void Parse_UnknownName_ThrowsFormatExceptionListingNames()
    {
        var ex = Should.Throw<FormatException>(() => Colors.Parse("purpleish"));

        ex.Message.ShouldContain("purpleish");
        ex.Message.ShouldContain("bright_");
    }

    [Fact]
    public void FromHex_ShortAndLongForms_AreTheSameRgbColor()
    {
        Color shortForm = Color.FromHex("#f80");
        Color longForm = Color.FromHex("ff8800");

        shortForm.ShouldBe(longForm);
        longForm.ShouldBe(Color.FromRgb(255, 136, 0));
        longForm.IsStandard.ShouldBeFalse();
        longForm.ToHex().ShouldBe("#ff8800");
        longForm.ToString().ShouldBe("#ff8800");
    }

    [Theory]
    [InlineData("#gg0000")]
    [InlineData("12345")]
    [InlineData("#")]
    public void FromHex_InvalidText_ThrowsFormatException(string text)
    {
        Should.Throw<FormatException>(() => Color.FromHex(text)).Message.ShouldContain(text);
    }

    [Fact]
    public void All_HasSixteenDistinctStandardColorsInPaletteOrder()
    {
        Colors.All.Count.ShouldBe(16);
        Colors.All.Distinct().Count().ShouldBe(16);
        for (int i = 0; i < 16; i++)
        {
            Colors.All[i].AnsiIndex.ShouldBe(i);
        }

        Colors.Red.ToString().ShouldBe("Red");
        Colors.BrightCyan.ToString().ShouldBe("BrightCyan");
    }

    [Fact]
    public void StandardColor_DoesNotEqualRgbColorWithSameComponents()
    {
        Color rgb = Color.FromRgb(Colors.BrightRed.R, Colors.BrightRed.G, Colors.BrightRed.B);

        (rgb == Colors.BrightRed).ShouldBeFalse();
        rgb.ToSpectre().ShouldBe(new Spectre.Console.Color(255, 0, 0));
    }
}
