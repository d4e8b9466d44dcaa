using Spectre.Console.Testing;

namespace XSystem.Terminal.Tests;

public class TableTests
{
    private sealed record Person(string Name, int Age, string? City);

    private class Base
    {
        public string Id { get; init; } = "";
    }

    private sealed class Derived : Base
    {
        public string Zeta { get; init; } = "";

        public string Alpha { get; init; } = "";

        public string this[int index] => "ignored";

        internal string Hidden { get; init; } = "";
    }

    [Fact]
    public void ToString_RowsAdded_RendersHeadersAndCells()
    {
        var table = new Table("Name", "Age").AddRow("Ada", 36).AddRow("Linus", null);

        string text = table.ToString();

        text.ShouldBe(string.Join(Environment.NewLine,
            "╭───────┬─────╮",
            "│ Name  │ Age │",
            "├───────┼─────┤",
            "│ Ada   │ 36  │",
            "│ Linus │     │",
            "╰───────┴─────╯"));
        table.RowCount.ShouldBe(2);
    }

    [Fact]
    public void From_Records_ColumnsInDeclarationOrderAndNullIsEmpty()
    {
        Person[] people = [new("Ada", 36, "London"), new("Grace", 85, null)];

        Table table = Table.From(people);

        table.Columns.ShouldBe(["Name", "Age", "City"]);
        string[] lines = table.ToString().Split(Environment.NewLine);
        lines[1].ShouldBe("│ Name  │ Age │ City   │");
        lines[4].ShouldBe("│ Grace │  85 │        │");
    }

    [Fact]
    public void From_DerivedClass_BaseFirstThenDeclarationOrderSkippingIndexersAndNonPublic()
    {
        Table table = Table.From(new[] { new Derived { Id = "1", Zeta = "z", Alpha = "a" } });

        table.Columns.ShouldBe(["Id", "Zeta", "Alpha"]);
    }

    [Fact]
    public void From_NumericProperty_IsRightAligned()
    {
        Table table = Table.From(new[] { new Person("A", 7, "X") });

        table.GetAlignment("Age").ShouldBe(Alignment.Right);
        table.GetAlignment("Name").ShouldBe(Alignment.Left);
    }

    [Fact]
    public void AlignRight_Column_PadsCellsOnTheLeft()
    {
        var table = new Table("Item", "Price").AlignRight("Price").AddRow("Tea", "1.5").AddRow("Cake", "12.25");

        string[] lines = table.ToString().Split(Environment.NewLine);

        lines[3].ShouldBe("│ Tea  │   1.5 │");
        lines[4].ShouldBe("│ Cake │ 12.25 │");
    }

    [Fact]
    public void AddColumn_CenterAlignment_CentersCells()
    {
        var table = new Table().AddColumn("Status", Alignment.Center).AddRow("ok");

        table.ToString().Split(Environment.NewLine)[3].ShouldBe("│   ok   │");
    }

    [Theory]
    [InlineData(TableBorder.Ascii, "+", "|")]
    [InlineData(TableBorder.Square, "┌", "│")]
    [InlineData(TableBorder.Rounded, "╭", "│")]
    [InlineData(TableBorder.Heavy, "┏", "┃")]
    [InlineData(TableBorder.Double, "╔", "║")]
    public void Border_Style_UsesItsCharacters(TableBorder border, string corner, string vertical)
    {
        var table = new Table("A", "B") { Border = border }.AddRow("1", "2");

        string[] lines = table.ToString().Split(Environment.NewLine);

        lines[0].ShouldStartWith(corner);
        lines[1].ShouldStartWith(vertical);
    }

    [Fact]
    public void Border_Markdown_RendersPipeTableWithAlignmentColons()
    {
        var table = new Table("Name", "Qty") { Border = TableBorder.Markdown }.AlignRight("Qty").AddRow("Tea", 3);

        string[] lines = table.ToString().Split(Environment.NewLine).Where(l => l.Length > 0).ToArray();

        lines[0].ShouldBe("| Name | Qty |");
        lines[1].ShouldBe("| :--- | --: |");
        lines[2].ShouldBe("| Tea  |   3 |");
    }

    [Fact]
    public void Border_None_SeparatesColumnsWithSpaceOnly()
    {
        var table = new Table("A", "B") { Border = TableBorder.None }.AddRow("1", "2");

        table.ToString().ShouldBe("A B" + Environment.NewLine + "1 2");
    }

    [Fact]
    public void Border_NoneOnNarrowConsole_TruncatesInsteadOfCollapsing()
    {
        var console = new TestConsole().Width(20);
        var table = new Table("Key", "Value") { Border = TableBorder.None }.AddRow("name", new string('v', 50));

        table.Render(console);

        console.Lines.Count.ShouldBe(2);
        console.Lines[1].ShouldStartWith("name v");
        console.Lines[1].TrimEnd().ShouldEndWith("…");
        console.Lines.ShouldAllBe(line => line.Length <= 20);
    }

    [Fact]
    public void Render_NonUnicodeConsole_FallsBackToAsciiBorderAndEllipsis()
    {
        var console = new TestConsole().SupportsUnicode(false).Width(20);
        var table = new Table("Name", "Description").AddRow("x", new string('d', 40));

        table.Render(console);

        console.Lines[0].ShouldStartWith("+");
        console.Output.ShouldNotContain("╭");
        console.Output.ShouldContain("~");
    }

    [Fact]
    public void Render_TableWiderThanForty_TruncatesCellsWithEllipsisToFit()
    {
        var console = new TestConsole().Width(40);
        var table = new Table("Name", "Description", "Size")
            .AlignRight("Size")
            .AddRow("alpha", "a very long description that cannot possibly fit in forty columns", 1024)
            .AddRow("beta-with-a-long-name-too", "short", 7);

        table.Render(console);

        console.Lines.ShouldAllBe(line => line.Length <= 40);
        console.Lines.Count.ShouldBe(6); // one line per row: nothing wrapped
        console.Output.ShouldContain("…");
        console.Output.ShouldContain("1024");
    }

    [Fact]
    public void ToString_WithWidth_TruncatesButKeepsEveryRowOnOneLine()
    {
        var table = new Table("Key", "Value").AddRow("k", "word word word word word word word word word");

        string[] lines = table.ToString(24).Split(Environment.NewLine);

        lines.Length.ShouldBe(5);
        lines.ShouldAllBe(line => line.Length <= 24);
        lines[3].ShouldContain("…");
    }

    [Fact]
    public void Cells_TitleAndHeaders_WithMarkup_ArePrintedLiterally()
    {
        var console = new TestConsole().Width(80);
        var table = new Table("[bold]Head[/]") { Title = "[red]Title[/]" }.AddRow("[blue]cell[/] [x]");

        table.Render(console);

        console.Output.ShouldContain("[red]Title[/]");
        console.Output.ShouldContain("[bold]Head[/]");
        console.Output.ShouldContain("[blue]cell[/] [x]");
    }

    [Fact]
    public void ToString_NeverContainsEscapeCodes()
    {
        var table = new Table("A") { Title = "T" }.AddRow("x");

        string text = table.ToString();

        text.ShouldNotContain(TestEnv.Esc);
        text.Split(Environment.NewLine)[0].Trim().ShouldBe("T");
    }

    [Fact]
    public void AddRow_MoreCellsThanColumns_ThrowsArgumentException()
    {
        var table = new Table("A");

        Should.Throw<ArgumentException>(() => table.AddRow(1, 2)).Message.ShouldContain("2 cells");
    }

    [Fact]
    public void AddRow_NoColumns_ThrowsInvalidOperation()
    {
        Should.Throw<InvalidOperationException>(() => new Table().AddRow("x"));
    }

    [Fact]
    public void AlignRight_UnknownColumn_ThrowsListingColumns()
    {
        var table = new Table("Name", "Age");

        Should.Throw<ArgumentException>(() => table.AlignRight("Agee")).Message.ShouldContain("'Name', 'Age'");
    }

    [Fact]
    public void AddRow_FewerCells_LeavesRestEmptyAndAddColumnExtendsRows()
    {
        var table = new Table("A", "B").AddRow("1");
        table.AddColumn("C");

        string[] lines = table.ToString().Split(Environment.NewLine);

        lines[3].ShouldBe("│ 1 │   │   │");
    }

    [Fact]
    public void AddRow_FormatProvider_FormatsNumbersWithIt()
    {
        var table = new Table("N") { FormatProvider = System.Globalization.CultureInfo.GetCultureInfo("de-DE") }.AddRow(1.5);

        table.ToString().ShouldContain("1,5");
    }
}
