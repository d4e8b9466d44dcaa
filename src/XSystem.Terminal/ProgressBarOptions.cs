using Spectre.Console;

namespace XSystem.Terminal;

/// <summary>Settings for a <see cref="ProgressBar"/>. Every property has a documented default; the bar validates them once.</summary>
/// <remarks>Thread safety: a plain settings object; do not mutate it while a bar is being created from it.</remarks>
public sealed class ProgressBarOptions
{
    /// <summary>The console to draw on. Default <see langword="null"/>: <see cref="Term.ErrorConsole"/> (standard error), so
    /// standard output stays clean for data.</summary>
    public IAnsiConsole? Console { get; set; }

    /// <summary>The clock for rate, ETA, elapsed time and throttling. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Whether to redraw one line in place (carriage return and erase-line codes). Default <see langword="null"/>: in place
    /// when the console is a terminal with ANSI support, plain lines otherwise (redirected output, <c>TERM=dumb</c>).
    /// In-place drawing needs ANSI support: <see langword="true"/> is ignored on a console without it.
    /// </summary>
    public bool? Live { get; set; }

    /// <summary>The minimum time between two in-place redraws. Default 100 ms (10 redraws a second). Must be positive.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The minimum time between two plain lines when not drawing in place (redirected output). Default 5 seconds. Must be
    /// positive. A final line is always written by <see cref="ProgressBar.Complete"/> or <see cref="ProgressBar.Dispose"/>.
    /// </summary>
    public TimeSpan RedirectedInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The sliding window over which <see cref="ProgressBar.Rate"/> is measured. Default 10 seconds. Must be positive.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The width of the bar itself in columns (the line adds description, percentage, counts, rate and ETA).
    /// Default 30; between 5 and 200. The bar shrinks when the console is too narrow.</summary>
    public int BarWidth { get; set; } = 30;

    /// <summary>Show the rate (for example <c>"1.2k/s"</c>). Default true.</summary>
    public bool ShowRate { get; set; } = true;

    /// <summary>Show the ETA (for example <c>"ETA 00:42"</c>) on determinate bars. Default true.</summary>
    public bool ShowEta { get; set; } = true;

    /// <summary>The bar color when the console has color. Default <see cref="Colors.Green"/>.</summary>
    public Color Color { get; set; } = Colors.Green;

    internal ProgressBarOptions Validated()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RefreshInterval, TimeSpan.Zero, nameof(RefreshInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RedirectedInterval, TimeSpan.Zero, nameof(RedirectedInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RateWindow, TimeSpan.Zero, nameof(RateWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(BarWidth, 5, nameof(BarWidth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BarWidth, 200, nameof(BarWidth));
        return new ProgressBarOptions
        {
            Console = Console,
            TimeProvider = TimeProvider,
            Live = Live,
            RefreshInterval = RefreshInterval,
            RedirectedInterval = RedirectedInterval,
            RateWindow = RateWindow,
            BarWidth = BarWidth,
            ShowRate = ShowRate,
            ShowEta = ShowEta,
            Color = Color,
        };
    }
}
