using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Api;

namespace Orchestrator.Master.Tests.Api;

public sealed class LoginRateLimiterTests
{
    [Fact]
    public void OverTheLimit_Refused_UntilTheOldestAttemptIsAMinuteOld()
    {
        var time = new FakeTimeProvider();
        var limiter = new LoginRateLimiter(2, time);

        Assert.True(limiter.TryAcquire("10.0.0.1", out _));
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(limiter.TryAcquire("10.0.0.1", out _));
        Assert.False(limiter.TryAcquire("10.0.0.1", out var retry));
        Assert.Equal(40, retry);
        time.Advance(TimeSpan.FromSeconds(40));
        Assert.True(limiter.TryAcquire("10.0.0.1", out _));
        Assert.False(limiter.TryAcquire("10.0.0.1", out _));
    }

    [Fact]
    public void Addresses_AreCountedApart()
    {
        var limiter = new LoginRateLimiter(1, new FakeTimeProvider());

        Assert.True(limiter.TryAcquire("a", out _));
        Assert.True(limiter.TryAcquire("b", out _));
        Assert.False(limiter.TryAcquire("a", out _));
    }

    [Fact]
    public void Zero_IsUnlimited()
    {
        var limiter = new LoginRateLimiter(0, new FakeTimeProvider());

        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(limiter.TryAcquire("a", out _)));
    }
}
