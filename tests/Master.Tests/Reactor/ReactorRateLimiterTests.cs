using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Reactor;

namespace Orchestrator.Master.Tests.Reactor;

public class ReactorRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryAcquire_UpToCount_ThenRefusedWithinTheWindow()
    {
        var limiter = new ReactorRateLimiter(3, TimeSpan.FromSeconds(10), _time);

        var granted = Enumerable.Range(0, 5).Count(_ => limiter.TryAcquire("rule"));

        Assert.Equal(3, granted);
        Assert.True(limiter.IsExhausted("rule"));
    }

    [Fact]
    public void TryAcquire_WindowSlides_OldestStartsFreeBudget()
    {
        var limiter = new ReactorRateLimiter(2, TimeSpan.FromSeconds(10), _time);
        Assert.True(limiter.TryAcquire("rule"));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(limiter.TryAcquire("rule"));
        Assert.False(limiter.TryAcquire("rule"));

        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.True(limiter.TryAcquire("rule"));
        Assert.False(limiter.TryAcquire("rule"));
    }

    [Fact]
    public void TryAcquire_BurstAtTheEdgeOfTwoWindows_NeverRunsMoreThanCountInAnyWindow()
    {
        var limiter = new ReactorRateLimiter(5, TimeSpan.FromSeconds(10), _time);
        _time.Advance(TimeSpan.FromSeconds(9.9));
        var first = Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire("rule"));
        _time.Advance(TimeSpan.FromSeconds(0.2));

        var second = Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire("rule"));

        Assert.Equal(5, first);
        Assert.Equal(0, second);
    }

    [Fact]
    public void TryAcquire_RulesHaveTheirOwnBudgets()
    {
        var limiter = new ReactorRateLimiter(1, TimeSpan.FromSeconds(10), _time);

        Assert.True(limiter.TryAcquire("a"));
        Assert.False(limiter.TryAcquire("a"));
        Assert.True(limiter.TryAcquire("b"));
    }

    [Fact]
    public void CountZero_NoLimit()
    {
        var limiter = new ReactorRateLimiter(0, TimeSpan.FromSeconds(10), _time);

        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(limiter.TryAcquire("rule")));
        Assert.False(limiter.IsExhausted("rule"));
    }

    [Fact]
    public void IsExhausted_TakesNothing()
    {
        var limiter = new ReactorRateLimiter(1, TimeSpan.FromSeconds(10), _time);

        Assert.False(limiter.IsExhausted("rule"));
        Assert.False(limiter.IsExhausted("rule"));
        Assert.True(limiter.TryAcquire("rule"));
    }
}
