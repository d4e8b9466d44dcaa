using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;
using Spectre.Console;
using SpectreBorder = Spectre.Console.TableBorder;
using SpectreTable = Spectre.Console.Table;

namespace XSystem.Terminal;

/// <summary>
/// A text table built from rows or from a sequence of objects, rendered with Spectre.Console and fitted to the
/// console width: when the natural width is too wide, the widest columns are narrowed and their cells truncated with an
/// ellipsis, so every row stays on one line.
/// </summary>
/// <remarks>
/// Cell text, headers and the title are printed verbatim (never parsed as markup). Cells are formatted when added, with
/// <see cref="FormatProvider"/>; <see langword="null"/> becomes an empty cell.
/// Thread safety: not thread-safe while being built; once built, rendering the same table from several threads at the
/// same time is safe as long as nobody modifies it.
/// </remarks>
public sealed class Table
{
    private readonly List<string> _columns = [];
    private readonly List<Alignment> _alignments = [];
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with the given column headers.</summary>
    /// <param name="columns">The column headers, in order; more can be added with <see cref="AddColumn"/>.</param>
    public Table(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (string column in columns)
        {
            AddColumn(column);
        }
    }

    /// <summary>The column headers, in order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The number of rows added.</summary>
    public int RowCount => _rows.Count;

    /// <summary>A title shown above the table; default <see langword="null"/> (none).</summary>
    public string? Title { get; set; }

    /// <summary>The border style; default <see cref="TableBorder.Rounded"/>.</summary>
    public TableBorder Border { get; set; } = TableBorder.Rounded;

    /// <summary>The maximum width in columns; default <see langword="null"/>: the console width when rendering, unlimited for
    /// <see cref="ToString()"/>.</summary>
    public int? MaxWidth { get; set; }

    /// <summary>The culture used to format cells as they are added; default <see langword="null"/>: the current culture.</summary>
    public IFormatProvider? FormatProvider { get; set; }

    /// <summary>
    /// Builds a table from objects: one column per public readable instance property (base class properties first, then
    /// declaration order), one row per item. Numeric columns are right-aligned; <see langword="null"/> values are empty.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <returns>The table.</returns>
    public static Table From<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        PropertyInfo[] properties = typeof(T)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .OrderBy(p => Depth(p.DeclaringType))
            .ThenBy(p => p.MetadataToken)
            .ToArray();
        var table = new Table();
        foreach (PropertyInfo property in properties)
        {
            table.AddColumn(property.Name, IsNumeric(property.PropertyType) ? Alignment.Right : Alignment.Left);
        }

        foreach (T item in items)
        {
            object?[] cells = new object?[properties.Length];
            if (item is not null)
            {
                for (int i = 0; i < properties.Length; i++)
                {
                    cells[i] = properties[i].GetValue(item);
                }
            }

            table.AddRow(cells);
        }

        return table;
    }

    /// <summary>Adds a column.</summary>
    /// <param name="name">The header text.</param>
    /// <param name="alignment">The alignment of the column's cells; default <see cref="Alignment.Left"/>.</param>
    /// <returns>This table, for chaining.</returns>
    public Table AddColumn(string name, Alignment alignment = Alignment.Left)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Enum.IsDefined(alignment))
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, null);
        }

        _columns.Add(name);
        _alignments.Add(alignment);
        for (int i = 0; i < _rows.Count; i++)
        {
            _rows[i] = [.. _rows[i], string.Empty];
        }

        return this;
    }

    /// <summary>Sets the alignment of a column.</summary>
    /// <param name="column">The column header (ordinal comparison).</param>
    /// <param name="alignment">The alignment.</param>
    /// <returns>This table, for chaining.</returns>
    /// <exception cref="ArgumentException">The table has no such column.</exception>
    public Table Align(string column, Alignment alignment)
    {
        ArgumentNullException.ThrowIfNull(column);
        int index = _columns.IndexOf(column);
        if (index < 0)
        {
            throw new ArgumentException(TerminalMessages.UnknownColumn(column, _columns), nameof(column));
        }

        if (!Enum.IsDefined(alignment))
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, null);
        }

        _alignments[index] = alignment;
        return this;
    }

    /// <summary>Right-aligns a column (typical for numbers).</summary>
    /// <param name="column">The column header.</param>
    /// <returns>This table, for chaining.</returns>
    /// <exception cref="ArgumentException">The table has no such column.</exception>
    public Table AlignRight(string column) => Align(column, Alignment.Right);

    /// <summary>Gets the alignment of a column.</summary>
    /// <param name="column">The column header.</param>
    /// <returns>The alignment.</returns>
    /// <exception cref="ArgumentException">The table has no such column.</exception>
    public Alignment GetAlignment(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        int index = _columns.IndexOf(column);
        return index >= 0
            ? _alignments[index]
            : throw new ArgumentException(TerminalMessages.UnknownColumn(column, _columns), nameof(column));
    }

    /// <summary>Adds a row. Fewer cells than columns leave the rest empty; <see langword="null"/> becomes an empty cell;
    /// other values are formatted with <see cref="FormatProvider"/>.</summary>
    /// <param name="cells">The cell values, in column order.</param>
    /// <returns>This table, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The table has no columns.</exception>
    /// <exception cref="ArgumentException">There are more cells than columns.</exception>
    public Table AddRow(params object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (_columns.Count == 0)
        {
            throw new InvalidOperationException(TerminalMessages.NoColumns);
        }

        if (cells.Length > _columns.Count)
        {
            throw new ArgumentException(TerminalMessages.TooManyCells(cells.Length, _columns.Count), nameof(cells));
        }

        string[] row = new string[_columns.Count];
        IFormatProvider provider = FormatProvider ?? CultureInfo.CurrentCulture;
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = i < cells.Length ? Convert.ToString(cells[i], provider) ?? string.Empty : string.Empty;
        }

        _rows.Add(row);
        return this;
    }

    /// <summary>Writes the table to a console, fitted to <see cref="MaxWidth"/> or the console width.</summary>
    /// <param name="console">The console; default <see langword="null"/>: <see cref="Term.Console"/>.</param>
    public void Render(IAnsiConsole? console = null)
    {
        console ??= Term.Console;
        int width = MaxWidth is int max ? Math.Min(max, console.Profile.Width) : console.Profile.Width;
        console.Write(Build(width, console.Profile.Capabilities.Unicode));
    }

    /// <summary>Renders the table as plain text (no escape codes, Unicode borders), fitted to <see cref="MaxWidth"/> when set
    /// and otherwise at its natural width. Lines are separated by <see cref="Environment.NewLine"/>; trailing spaces are removed.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToString(MaxWidth ?? NaturalWidth());

    /// <summary>Renders the table as plain text fitted to <paramref name="width"/> columns.</summary>
    /// <param name="width">The maximum width; must be positive.</param>
    /// <returns>The text.</returns>
    public string ToString(int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        IAnsiConsole console = TerminalConsoleFactory.Create(
            new TerminalSettings
            {
                Out = buffer,
                Environment = new Dictionary<string, string>(),
                IsOutputRedirected = true,
                IsInputRedirected = true,
                Width = width,
                Unicode = true,
            },
            out _);
        console.Write(Build(width, unicode: true));
        string[] lines = buffer.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        return string.Join(Environment.NewLine, lines.Select(l => l.TrimEnd()));
    }

    internal SpectreTable Build(int width, bool unicode)
    {
        var table = new SpectreTable { Border = ToSpectre(Border, unicode) };
        if (!string.IsNullOrEmpty(Title))
        {
            table.Title = new TableTitle(Markup.Escape(Title));
        }

        if (_columns.Count == 0)
        {
            return table;
        }

        int[] natural = NaturalWidths();
        int[] widths = Fit(natural, Math.Max(1, width - Overhead()));
        string ellipsis = unicode ? "…" : "~";
        for (int c = 0; c < _columns.Count; c++)
        {
            var column = new TableColumn(new Text(Truncate(_columns[c], widths[c], ellipsis)))
            {
                NoWrap = true,
                Alignment = ToJustify(_alignments[c]),
            };
            if (widths[c] < natural[c])
            {
                column.Width = widths[c];
            }

            table.AddColumn(column);
        }

        foreach (string[] row in _rows)
        {
            var cells = new Text[row.Length];
            for (int c = 0; c < row.Length; c++)
            {
                cells[c] = new Text(Truncate(row[c], widths[c], ellipsis)) { Justification = ToJustify(_alignments[c]) };
            }

            table.AddRow(cells);
        }

        return table;
    }

    internal static int CellWidth(string text)
    {
        int widest = 0;
        foreach (string line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            int width = 0;
            foreach (Rune rune in line.EnumerateRunes())
            {
                width += Math.Max(0, rune.ToString().GetCellWidth());
            }

            widest = Math.Max(widest, width);
        }

        return widest;
    }

    private static string Truncate(string text, int width, string ellipsis)
    {
        if (CellWidth(text) <= width)
        {
            return text;
        }

        var result = new StringBuilder();
        foreach (string line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (result.Length > 0)
            {
                result.Append('\n');
            }

            if (CellWidth(line) <= width)
            {
                result.Append(line);
                continue;
            }

            int budget = width - CellWidth(ellipsis);
            int used = 0;
            foreach (Rune rune in line.EnumerateRunes())
            {
                int w = Math.Max(0, rune.ToString().GetCellWidth());
                if (used + w > budget)
                {
                    break;
                }

                result.Append(rune.ToString());
                used += w;
            }

            result.Append(budget >= 0 ? ellipsis : string.Empty);
        }

        return result.ToString();
    }

    /// <summary>Narrows the widest columns until the sum fits: every column gets min(natural, cap) plus a share of the rest.</summary>
    private static int[] Fit(int[] natural, int available)
    {
        if (natural.Sum() <= available)
        {
            return natural;
        }

        int low = 1;
        int high = natural.Max();
        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if (natural.Sum(w => Math.Min(w, mid)) <= available)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        int[] widths = natural.Select(w => Math.Min(w, low)).ToArray();
        int left = available - widths.Sum();
        for (int i = 0; i < widths.Length && left > 0; i++)
        {
            if (widths[i] < natural[i])
            {
                widths[i]++;
                left--;
            }
        }

        return widths;
    }

    private int[] NaturalWidths()
    {
        int[] widths = new int[_columns.Count];
        for (int c = 0; c < widths.Length; c++)
        {
            widths[c] = Math.Max(1, CellWidth(_columns[c]));
            foreach (string[] row in _rows)
            {
                widths[c] = Math.Max(widths[c], CellWidth(row[c]));
            }
        }

        return widths;
    }

    private int NaturalWidth()
    {
        int width = _columns.Count == 0 ? 1 : NaturalWidths().Sum() + Overhead();
        return Math.Max(width, string.IsNullOrEmpty(Title) ? 1 : CellWidth(Title));
    }

    /// <summary>Columns taken by borders and padding: one separator per column boundary plus one space of padding on each
    /// side of a cell. A borderless table draws one space between columns, but Spectre.Console still reserves the cell
    /// padding when it fits the table to the width, so the padding is counted there too.</summary>
    private int Overhead() => Border == TableBorder.None ? 2 * _columns.Count : (3 * _columns.Count) + 1;

    private static Justify ToJustify(Alignment alignment) => alignment switch
    {
        Alignment.Center => Justify.Center,
        Alignment.Right => Justify.Right,
        _ => Justify.Left,
    };

    private static SpectreBorder ToSpectre(TableBorder border, bool unicode) => border switch
    {
        TableBorder.None => SpectreBorder.None,
        TableBorder.Ascii => SpectreBorder.Ascii,
        TableBorder.Markdown => SpectreBorder.Markdown,
        _ when !unicode => SpectreBorder.Ascii,
        TableBorder.Square => SpectreBorder.Square,
        TableBorder.Heavy => SpectreBorder.Heavy,
        TableBorder.Double => SpectreBorder.Double,
        _ => SpectreBorder.Rounded,
    };

    private static int Depth(Type? type)
    {
        int depth = 0;
        while (type?.BaseType is not null)
        {
            depth++;
            type = type.BaseType;
        }

        return depth;
    }

    private static bool IsNumeric(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(byte) || t == typeof(sbyte) || t == typeof(short) || t == typeof(ushort) || t == typeof(int)
            || t == typeof(uint) || t == typeof(long) || t == typeof(ulong) || t == typeof(float) || t == typeof(double)
            || t == typeof(decimal) || t == typeof(Int128) || t == typeof(UInt128) || t == typeof(Half);
    }
}
