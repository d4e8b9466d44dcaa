namespace XSystem.Caching.Redis.Internal;

/// <summary>
/// Skips a failing dependency for a while: after a failure it opens for <c>initial</c>, and each failure of the first
/// call let through afterwards doubles the pause up to <c>max</c>; a success closes it and resets the pause.
/// Failures of calls that were already in flight when it opened do not lengthen the pause.
/// </summary>
internal sealed class CircuitBreaker(TimeProvider timeProvider, TimeSpan initial, TimeSpan max)
{
    private readonly Lock _gate = new();
    private long _openUntil;
    private TimeSpan _pause;

    /// <summary>Whether calls should skip the dependency now.</summary>
    public bool IsOpen => timeProvider.GetTimestamp() < Volatile.Read(ref _openUntil);

    /// <summary>The pause the breaker opened with last; zero while closed.</summary>
    public TimeSpan CurrentPause
    {
        get
        {
            lock (_gate)
            {
                return _pause;
            }
        }
    }

    /// <summary>Records a failure; returns the new pause when this failure opened the breaker, else <see langword="null"/>.</summary>
    public TimeSpan? OnFailure()
    {
        lock (_gate)
        {
            long now = timeProvider.GetTimestamp();
            if (now < _openUntil)
            {
                return null;
            }

            _pause = _pause == TimeSpan.Zero ? initial : TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, max.Ticks));
            Volatile.Write(ref _openUntil, now + (long)(_pause.TotalSeconds * timeProvider.TimestampFrequency));
            return _pause;
        }
    }

    /// <summary>Records a success: closes the breaker and resets the pause.</summary>
    public void OnSuccess()
    {
        if (Volatile.Read(ref _openUntil) == 0)
        {
            return;
        }

        Reset();
    }

    /// <summary>Closes the breaker at once (the connection came back).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _pause = TimeSpan.Zero;
            Volatile.Write(ref _openUntil, 0);
        }
    }
}
