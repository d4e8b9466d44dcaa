using Microsoft.Extensions.Time.Testing;
using XSystem.Caching.Redis.Internal;

namespace XSystem.Caching.Redis.Tests.Internal;

public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new();

    private CircuitBreaker Create() => new(_time, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));

    [Fact]
    public void OnFailure_Closed_OpensForTheInitialPause()
    {
        CircuitBreaker breaker = Create();

        TimeSpan? pause = breaker.OnFailure();

        pause.ShouldBe(TimeSpan.FromMilliseconds(250));
        breaker.IsOpen.ShouldBeTrue();
        _time.Advance(TimeSpan.FromMilliseconds(249));
        breaker.IsOpen.ShouldBeTrue();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        breaker.IsOpen.ShouldBeFalse();
    }

    [Fact]
    public void OnFailure_AfterEachPause_DoublesUpToTheMaximum()
    {
        CircuitBreaker breaker = Create();
        var pauses = new List<TimeSpan>();

        for (int i = 0; i < 6; i++)
        {
            pauses.Add(breaker.OnFailure()!.Value);
            _time.Advance(pauses[^1]);
        }

        pauses.Select(p => p.TotalMilliseconds).ShouldBe([250, 500, 1000, 2000, 2000, 2000]);
    }

    [Fact]
    public void OnFailure_WhileOpen_DoesNotLengthenThePause()
    {
        CircuitBreaker breaker = Create();
        breaker.OnFailure();

        TimeSpan? second = breaker.OnFailure();
        _time.Advance(TimeSpan.FromMilliseconds(250));

        second.ShouldBeNull();
        breaker.IsOpen.ShouldBeFalse();
        breaker.CurrentPause.ShouldBe(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void OnSuccess_AfterFailures_ResetsThePause()
    {
        CircuitBreaker breaker = Create();
        breaker.OnFailure();
        _time.Advance(TimeSpan.FromSeconds(1));
        breaker.OnFailure();
        _time.Advance(TimeSpan.FromSeconds(1));

        breaker.OnSuccess();
        TimeSpan? next = breaker.OnFailure();

        next.ShouldBe(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Reset_WhileOpen_ClosesAtOnce()
    {
        CircuitBreaker breaker = Create();
        breaker.OnFailure();

        breaker.Reset();

        breaker.IsOpen.ShouldBeFalse();
        breaker.CurrentPause.ShouldBe(TimeSpan.Zero);
    }
}
