using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Auth;

namespace Orchestrator.Master.Tests.Auth;

public class AuthThrottleTests
{
    private readonly FakeTimeProvider _time = new();

    private static int Passed(AuthThrottle throttle, string connection, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => throttle.TryAcquire(connection));

    [Fact]
    public void OneConnection_GetsItsBurstThenItsRate()
    {
        var throttle = new AuthThrottle(_time, globalRate: 1000, connectionRate: 5);

        Assert.Equal(10, Passed(throttle, "a", 100));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, Passed(throttle, "a", 100));
        Assert.Equal(10, Passed(throttle, "b", 100));
    }

    [Fact]
    public void ManyConnections_AreBoundByTheGlobalRate()
    {
        var throttle = new AuthThrottle(_time, globalRate: 50, connectionRate: 5);

        var passed = Enumerable.Range(0, 1000).Count(i => throttle.TryAcquire($"c{i}"));
        _time.Advance(TimeSpan.FromSeconds(2));
        var later = Enumerable.Range(1000, 1000).Count(i => throttle.TryAcquire($"c{i}"));

        Assert.Equal(100, passed);
        Assert.Equal(100, later);
    }

    [Fact]
    public void ZeroRates_MeanUnlimited()
    {
        var throttle = new AuthThrottle(_time, globalRate: 0, connectionRate: 0);

        Assert.Equal(10_000, Passed(throttle, "a", 10_000));
    }

    [Fact]
    public void ManyConnectionsTracked_StaysBounded_AndStillThrottles()
    {
        var throttle = new AuthThrottle(_time, globalRate: 0, connectionRate: 1);

        for (var i = 0; i < 25_000; i++)
        {
            throttle.TryAcquire($"c{i}");
        }

        Assert.Equal(2, Passed(throttle, "fresh", 10));
    }

    [Fact]
    public void Proofs_SpendOnlyTheirConnectionsBucket()
    {
        var throttle = new AuthThrottle(_time, globalRate: 1, connectionRate: 5);

        var proofs = Enumerable.Range(0, 100).Count(i => throttle.TryAcquire($"c{i}", counted: false));
        var hellos = Enumerable.Range(100, 100).Count(i => throttle.TryAcquire($"c{i}"));

        Assert.Equal(100, proofs);
        Assert.Equal(2, hellos);
    }
}
