using System.Globalization;
using System.Text;
using Spectre.Console;
using SpectreStyle = Spectre.Console.Style;

namespace XSystem.Terminal;

/// <summary>
/// A progress bar with rate and ETA that behaves on terminals and in logs: on an interactive terminal it redraws one
/// line in place (at most every <see cref="ProgressBarOptions.RefreshInterval"/>); with redirected output it writes a plain
/// line at most every <see cref="ProgressBarOptions.RedirectedInterval"/> and a final line when done, with no escape codes
/// and no carriage returns.
/// </summary>
/// <remarks>
/// <para>A total of 0 or <see cref="Unknown"/> (-1) makes the bar indeterminate: it shows the count, rate and elapsed time,
/// and <see cref="Eta"/> stays <see langword="null"/>.</para>
/// <para>Use it with <c>using</c>: <see cref="Dispose"/> writes the final line if <see cref="Complete"/> was not called.
/// Do not write other output to the same console while an in-place bar is active.</para>
/// <para>Thread safety: <see cref="Advance"/>, <see cref="Set"/>, <see cref="Complete"/>, <see cref="Dispose"/> and every
/// property are safe to call from any number of threads; counting is lock-free and drawing is done by one thread at a time.</para>
/// </remarks>
public sealed class ProgressBar : IDisposable
{
    /// <summary>The total to pass when the number of items is not known in advance (an indeterminate bar).</summary>
    public const long Unknown = -1;

    private readonly ProgressBarOptions _options;
    private readonly IAnsiConsole _console;
    private readonly TimeProvider _time;
    private readonly bool _live;
    private readonly long _start;
    private readonly Lock _sync = new();
    private readonly List<(long Timestamp, long Value)> _samples = new(24);
    private readonly TimeSpan _sampleSpacing;
    private long _current;
    private long _lastDraw;
    private long _end;
    private int _finished; // 0 running, 1 finished

    /// <summary>Creates and starts a progress bar.</summary>
    /// <param name="total">The number of items; 0 or <see cref="Unknown"/> for an indeterminate bar.</param>
    /// <param name="description">A short label shown before the bar; default none. Printed verbatim.</param>
    /// <param name="options">Options; default <see langword="null"/> uses <see cref="ProgressBarOptions"/> defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="total"/> is below -1, or an option is out of range.</exception>
    public ProgressBar(long total, string? description = null, ProgressBarOptions? options = null)
    {
        if (total < Unknown)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, TerminalMessages.InvalidTotal(total));
        }

        _options = (options ?? new ProgressBarOptions()).Validated();
        Total = total;
        Description = description;
        _console = _options.Console ?? Term.ErrorConsole;
        _time = _options.TimeProvider;
        _live = (_options.Live ?? _console.Profile.Out.IsTerminal) && _console.Profile.Capabilities.Ansi;
        _sampleSpacing = _options.RateWindow / 20;
        _start = _time.GetTimestamp();
        _lastDraw = _start;
        _samples.Add((_start, 0));
        if (_live)
        {
            lock (_sync)
            {
                DrawLive(_start, final: false);
            }
        }
    }

    /// <summary>The total number of items; 0 or <see cref="Unknown"/> when indeterminate.</summary>
    public long Total { get; }

    /// <summary>The label shown before the bar, or <see langword="null"/>.</summary>
    public string? Description { get; }

    /// <summary>True when the total is unknown (0 or <see cref="Unknown"/>).</summary>
    public bool IsIndeterminate => Total <= 0;

    /// <summary>True when the bar draws in place; false when it writes plain lines.</summary>
    public bool IsLive => _live;

    /// <summary>True after <see cref="Complete"/> or <see cref="Dispose"/>.</summary>
    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    /// <summary>The number of items done so far (never above <see cref="Total"/> on a determinate bar).</summary>
    public long Current => Interlocked.Read(ref _current);

    /// <summary>The fraction done, 0 to 1; 0 on an indeterminate bar.</summary>
    public double Fraction => IsIndeterminate ? 0 : Math.Clamp((double)Current / Total, 0, 1);

    /// <summary>The time since the bar was created, frozen when it finishes.</summary>
    public TimeSpan Elapsed
    {
        get
        {
            return _time.GetElapsedTime(_start, CurrentTimestamp());
        }
    }

    /// <summary>Items per second over the last <see cref="ProgressBarOptions.RateWindow"/>; after completion, the average
    /// over the whole run; 0 while unknown (no time has passed).</summary>
    public double Rate
    {
        get
        {
            lock (_sync)
            {
                return ComputeRate(CurrentTimestamp());
            }
        }
    }

    /// <summary>The estimated time left: <see langword="null"/> while unknown (indeterminate bar, nothing done yet, or zero
    /// rate), <see cref="TimeSpan.Zero"/> when done.</summary>
    public TimeSpan? Eta
    {
        get
        {
            lock (_sync)
            {
                return ComputeEta(CurrentTimestamp());
            }
        }
    }

    /// <summary>Adds <paramref name="count"/> items (clamped at <see cref="Total"/>) and redraws when the throttle allows.</summary>
    /// <param name="count">The number of items done; default 1; must not be negative.</param>
    public void Advance(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (IsIndeterminate)
        {
            Interlocked.Add(ref _current, count);
        }
        else
        {
            long seen = Interlocked.Read(ref _current);
            while (true)
            {
                long next = seen + count > Total || seen + count < seen ? Total : seen + count;
                long previous = Interlocked.CompareExchange(ref _current, next, seen);
                if (previous == seen)
                {
                    break;
                }

                seen = previous;
            }
        }

        OnProgress();
    }

    /// <summary>Sets the number of items done, clamped to 0..<see cref="Total"/> (to 0 and above when indeterminate).</summary>
    /// <param name="value">The number of items done.</param>
    public void Set(long value)
    {
        long clamped = Math.Max(0, IsIndeterminate ? value : Math.Min(value, Total));
        Interlocked.Exchange(ref _current, clamped);
        OnProgress();
    }

    /// <summary>Marks the work done: sets <see cref="Current"/> to <see cref="Total"/>, draws the final line and ends it.
    /// Calling it again, or after <see cref="Dispose"/>, does nothing.</summary>
    public void Complete()
    {
        if (!IsIndeterminate)
        {
            Interlocked.Exchange(ref _current, Total);
        }

        Finish(completed: true);
    }

    /// <summary>Finishes the line: draws the final state (if <see cref="Complete"/> was not called) and ends the line.</summary>
    public void Dispose() => Finish(completed: false);

    private void Finish(bool completed)
    {
        lock (_sync)
        {
            if (_finished != 0)
            {
                return;
            }

            long now = _time.GetTimestamp();
            RecordSample(now);
            Interlocked.Exchange(ref _end, now);
            Volatile.Write(ref _finished, 1);
            string line = BuildLine(now, final: true, completed, _console.Profile.Capabilities.Unicode);
            if (_live)
            {
                DrawLive(now, final: true, line);
            }
            else
            {
                AnsiText.WriteLine(_console, line, SpectreStyle.Plain);
            }
        }
    }

    private void OnProgress()
    {
        if (Volatile.Read(ref _finished) != 0 || !_sync.TryEnter())
        {
            return;
        }

        try
        {
            if (_finished != 0)
            {
                return;
            }

            long now = _time.GetTimestamp();
            RecordSample(now);
            TimeSpan sinceDraw = _time.GetElapsedTime(_lastDraw, now);
            if (_live)
            {
                bool reachedTotal = !IsIndeterminate && Current >= Total;
                if (sinceDraw >= _options.RefreshInterval || reachedTotal)
                {
                    DrawLive(now, final: false);
                }
            }
            else if (sinceDraw >= _options.RedirectedInterval)
            {
                _lastDraw = now;
                AnsiText.WriteLine(_console, BuildLine(now, final: false, completed: false, _console.Profile.Capabilities.Unicode), SpectreStyle.Plain);
            }
        }
        finally
        {
            _sync.Exit();
        }
    }

    private void DrawLive(long now, bool final, string? finalLine = null)
    {
        _lastDraw = now;
        bool unicode = _console.Profile.Capabilities.Unicode;
        string line = finalLine ?? BuildLine(now, final: false, completed: false, unicode);
        int max = Math.Max(1, _console.Profile.Width - 1);
        if (line.Length > max)
        {
            line = line[..max];
        }

        bool color = _console.Profile.Capabilities.ColorSystem != ColorSystem.NoColors;
        SpectreStyle style = color ? AnsiText.ToSpectre(_options.Color, Style.None) : SpectreStyle.Plain;
        _console.WriteAnsi(writer =>
        {
            writer.Write("\r");
            writer.Write(line, style, null!);
            writer.EraseInLine(0);
            if (final)
            {
                writer.WriteLine();
            }
        });
    }

    private long CurrentTimestamp()
    {
        return Volatile.Read(ref _finished) != 0 ? Interlocked.Read(ref _end) : _time.GetTimestamp();
    }

    private void RecordSample(long now)
    {
        if (_samples.Count == 0 || _time.GetElapsedTime(_samples[^1].Timestamp, now) >= _sampleSpacing)
        {
            _samples.Add((now, Current));
        }

        // Keep exactly one sample at or before the start of the window as the baseline.
        int drop = 0;
        while (drop < _samples.Count - 1 && _time.GetElapsedTime(_samples[drop + 1].Timestamp, now) >= _options.RateWindow)
        {
            drop++;
        }

        if (drop > 0)
        {
            _samples.RemoveRange(0, drop);
        }
    }

    private double ComputeRate(long now)
    {
        if (_finished != 0)
        {
            double seconds = _time.GetElapsedTime(_start, now).TotalSeconds;
            return seconds > 0 ? Current / seconds : 0;
        }

        RecordSample(now);
        var baseline = _samples[0];
        double span = _time.GetElapsedTime(baseline.Timestamp, now).TotalSeconds;
        return span > 0 ? Math.Max(0, Current - baseline.Value) / span : 0;
    }

    private TimeSpan? ComputeEta(long now)
    {
        if (IsIndeterminate)
        {
            return null;
        }

        long current = Current;
        if (current >= Total)
        {
            return TimeSpan.Zero;
        }

        double rate = ComputeRate(now);
        if (current == 0 || rate <= 0)
        {
            return null;
        }

        double seconds = (Total - current) / rate;
        return seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    private string BuildLine(long now, bool final, bool completed, bool unicode)
    {
        var line = new StringBuilder(96);
        if (!string.IsNullOrEmpty(Description))
        {
            line.Append(Description).Append(' ');
        }

        long current = Current;
        double rate = ComputeRate(now);
        TimeSpan elapsed = _time.GetElapsedTime(_start, now);
        if (IsIndeterminate)
        {
            line.Append(current.ToString(CultureInfo.InvariantCulture));
            if (_options.ShowRate)
            {
                line.Append(' ').Append(ProgressFormat.Rate(rate));
            }

            line.Append(final ? (completed ? " done in " : " stopped after ") : " elapsed ").Append(ProgressFormat.Duration(elapsed));
            return line.ToString();
        }

        double fraction = Math.Clamp((double)current / Total, 0, 1);
        int filled = (int)Math.Floor(fraction * _options.BarWidth);
        line.Append(unicode ? string.Empty : "[")
            .Append(unicode ? '█' : '#', filled)
            .Append(unicode ? '░' : '-', _options.BarWidth - filled)
            .Append(unicode ? string.Empty : "]")
            .Append(' ')
            .Append((fraction * 100).ToString("0.0", CultureInfo.InvariantCulture).PadLeft(5))
            .Append("% ")
            .Append(current.ToString(CultureInfo.InvariantCulture))
            .Append('/')
            .Append(Total.ToString(CultureInfo.InvariantCulture));
        if (_options.ShowRate)
        {
            line.Append(' ').Append(ProgressFormat.Rate(rate));
        }

        if (final)
        {
            line.Append(completed ? " done in " : " stopped after ").Append(ProgressFormat.Duration(elapsed));
        }
        else if (_options.ShowEta)
        {
            line.Append(" ETA ").Append(ProgressFormat.Duration(ComputeEta(now)));
        }

        return line.ToString();
    }
}
